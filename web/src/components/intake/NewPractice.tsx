// The cabinet's form that starts a new practice.
import { useState } from 'preact/hooks';
import { fieldErrorsOf, messageOf, type FieldError } from '../../lib/api';
import * as intake from '../../lib/endpoints/intake';
import { errorMap } from '../../lib/forms';
import { creationFields, wordsOf, type EventContext } from '../../lib/intake';
import { navigate } from '../../lib/router';
import { textOf, type Answers } from '../../lib/types';
import { FormFields } from '../FormFields';
import { SectionOptions } from '../common/SectionOptions';

// A new practice: its section and type where the agenda has them, and the fields the contest
// checks at creation (the institution's name and INN), so a refusal comes before the whole form.
export function NewPractice({ ctx }: { ctx: EventContext }) {
  const sections = (ctx.agenda.sections ?? []).filter((s) => typeof s.number === 'number');
  const types = ctx.agenda.practice?.types ?? [];
  const fields = creationFields(ctx.agenda);
  const words = wordsOf(ctx.agenda);
  const [section, setSection] = useState('');
  const [type, setType] = useState('');
  const [answers, setAnswers] = useState<Answers>({});
  const [fieldErrors, setFieldErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [open, setOpen] = useState(false);

  if (!open) {
    return (
      <button type="button" class="button button--primary" data-testid="new-practice" onClick={() => setOpen(true)}>
        {words.agree({ f: 'Новая', m: 'Новый', n: 'Новое' })} {words.one}
      </button>
    );
  }

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    const wanted = [sections.length > 0 && !section ? 'секцию' : '', types.length > 0 && !type ? `вид ${words.genitive}` : ''].filter(Boolean);
    if (wanted.length > 0) {
      setError(`Выберите ${wanted.join(' и ')}.`);
      return;
    }
    setBusy(true);
    setError('');
    setFieldErrors([]);
    try {
      const body: Record<string, unknown> = {};
      if (sections.length > 0) body.section = Number(section);
      if (types.length > 0) body.type = type;
      const given = Object.fromEntries(Object.entries(answers).filter(([, v]) => typeof v === 'string' && v.trim() !== ''));
      if (Object.keys(given).length > 0) body.answers = given;
      const p = await intake.createPractice(ctx.id, body);
      navigate(`/events/${encodeURIComponent(ctx.id)}/practices/${p.id}`);
    } catch (err) {
      setFieldErrors(fieldErrorsOf(err));
      setError(messageOf(err));
      setBusy(false);
    }
  };

  return (
    <form class="form new-practice" onSubmit={onSubmit} noValidate data-testid="new-practice-form">
      <h3>
        {words.agree({ f: 'Новая', m: 'Новый', n: 'Новое' })} {words.one}
      </h3>
      {sections.length > 0 && (
        <div class="field">
          <label class="field__label" for="new-section">
            Секция
          </label>
          <select id="new-section" data-testid="new-section" value={section} onChange={(e) => setSection(e.currentTarget.value)}>
            <option value="">— выберите —</option>
            <SectionOptions sections={sections} />
          </select>
        </div>
      )}
      {types.length > 0 && (
        <fieldset class="group">
          <legend class="group__legend">Вид {words.genitive}</legend>
          {types.map((t) => (
            <div class="choice" key={t.id}>
              <input
                type="radio"
                name="new-type"
                id={`new-type-${t.id}`}
                value={t.id}
                data-testid={`new-type-${t.id}`}
                checked={type === t.id}
                onChange={() => setType(t.id)}
              />
              <label for={`new-type-${t.id}`}>
                <strong>{textOf(t.title) || t.id}</strong>
                {t.description && <span class="choice__hint">{t.description}</span>}
              </label>
            </div>
          ))}
        </fieldset>
      )}
      {fields.length > 0 && (
        <>
          <p class="muted">
            Сначала укажите учреждение: по этим сведениям проверяются условия участия. Остальное заполняется на странице{' '}
            {words.genitive}.
          </p>
          <FormFields
            fields={fields}
            values={answers}
            onChange={(id, v) => setAnswers((a) => ({ ...a, [id]: v }))}
            ctx={{ agenda: ctx.agenda, root: answers, currentYear: ctx.currentYear, errors: errorMap(fieldErrors), readOnly: false }}
          />
        </>
      )}
      {error && (
        <p class="form__error" role="alert" data-testid="new-practice-error">
          {error}
        </p>
      )}
      <div class="form__row">
        <button type="submit" class="button button--primary" data-testid="create-practice" disabled={busy}>
          {busy ? 'Создаём…' : 'Создать и заполнить'}
        </button>
        <button type="button" class="button button--secondary" onClick={() => setOpen(false)}>
          Отмена
        </button>
      </div>
    </form>
  );
}
