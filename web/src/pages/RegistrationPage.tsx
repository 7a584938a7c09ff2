// The registration form of the event (Appendix 1): one per author and co-author, rendered from
// the agenda's registration_form. Saved as a whole (PUT); the server checks required fields and
// consents, and its field errors are shown beside the fields and summarised at the top.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, fieldErrorsOf, messageOf, type FieldError } from '../lib/api';
import { useAuth } from '../lib/auth';
import { errorMap } from '../lib/forms';
import * as intake from '../lib/endpoints/intake';
import { useLoad } from '../lib/hooks';
import { registrationNoun, useEventContext, wordsOf, type EventContext } from '../lib/intake';
import { formatDateTime } from '../lib/time';
import { textOf, type Answers } from '../lib/types';
import { FormFields } from '../components/FormFields';
import { Breadcrumbs } from '../components/common/Breadcrumbs';
import { ErrorSummary } from '../components/common/ErrorSummary';
import { IntakeNotice } from '../components/IntakeNotice';
import { LoadError, Loading, LoginNeeded } from '../components/common/Message';

export function RegistrationPage({ id }: { id: string }) {
  const auth = useAuth();
  const ctx = useEventContext(id);
  useEffect(() => {
    document.title = 'Регистрационная заявка';
  }, []);
  if (auth.me === undefined || ctx.status === 'loading') return <Loading />;
  if (auth.me === null) return <LoginNeeded what="заполнить регистрационную заявку" />;
  if (ctx.status === 'error') return <LoadError title="Не удалось загрузить мероприятие" message={ctx.message} />;
  return <RegistrationForm ctx={ctx.data} />;
}

function RegistrationForm({ ctx }: { ctx: EventContext }) {
  const form = ctx.agenda.registration_form ?? {};
  const fields = form.fields ?? [];
  const [answers, setAnswers] = useState<Answers>({});
  const reg = useLoad(`registration:${ctx.id}`, async (signal) => {
    const r = await intake.registration(ctx.id, signal);
    setAnswers(r?.answers ?? {});
    return r;
  });
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [status, setStatus] = useState<{ kind: 'idle' | 'saving' | 'saved' | 'error'; text: string }>({ kind: 'idle', text: '' });
  const [dirty, setDirty] = useState(false);
  const summary = useRef<HTMLDivElement>(null);
  const readOnly = ctx.intake?.state !== 'open';
  const words = wordsOf(ctx.agenda);
  const noun = registrationNoun(ctx.agenda);

  if (reg.status === 'error') return <LoadError title={`Не удалось загрузить ${noun.acc}`} message={reg.message} />;
  if (reg.status === 'loading') return <Loading />;
  const loaded = reg.data;

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    setStatus({ kind: 'saving', text: 'Сохраняется…' });
    try {
      const saved = await intake.saveRegistration(ctx.id, answers);
      reg.set(saved);
      setAnswers(saved.answers ?? answers);
      setErrors([]);
      setDirty(false);
      setStatus({ kind: 'saved', text: `${noun.it} ${noun.saved} ${formatDateTime(saved.updated_at, ctx.offset)}.` });
    } catch (err) {
      setErrors(fieldErrorsOf(err));
      setStatus({ kind: 'error', text: `Не сохранено: ${messageOf(err)}` });
      if (err instanceof ApiError && err.status === 422) requestAnimationFrame(() => summary.current?.querySelector<HTMLElement>('.summary')?.focus());
    }
  };

  const title = textOf(form.title) || 'Регистрационная заявка';
  return (
    <article class="intake">
      <Breadcrumbs
        items={[
          { href: `/events/${encodeURIComponent(ctx.id)}`, title: textOf(ctx.agenda.title) || ctx.id },
          { href: `/events/${encodeURIComponent(ctx.id)}/cabinet`, title: `Мои ${words.many}` },
          { title },
        ]}
      />
      <h1>{title}</h1>
      <IntakeNotice ctx={ctx} />
      <p class="muted">
        {form.per === 'applicant'
          ? `Заполняет заявитель — тот, кто подаёт ${words.accusative} от имени учреждения.`
          : 'Заполняет каждый автор и соавтор.'}{' '}
        Поля со знаком * обязательны.
      </p>
      <p data-testid="registration-state" data-complete={loaded?.complete ? 'yes' : 'no'}>
        {loaded === null
          ? `${noun.it} ещё не ${noun.filled}.`
          : loaded.complete
            ? `${noun.it} ${noun.filled}${loaded.updated_at ? `, последнее изменение ${formatDateTime(loaded.updated_at, ctx.offset)}` : ''}.`
            : `${noun.it} ${noun.filled} не полностью.`}
      </p>
      <div ref={summary}>
        <ErrorSummary title={`Исправьте ошибки в ${noun.prep}`} errors={errors} fields={fields} testId="registration-errors" />
      </div>
      <form class="form form--wide" onSubmit={onSubmit} noValidate>
        <FormFields
          fields={fields}
          values={answers}
          ctx={{ agenda: ctx.agenda, root: answers, currentYear: ctx.currentYear, errors: errorMap(errors), readOnly }}
          onChange={(fid, v) => {
            setAnswers((a) => ({ ...a, [fid]: v }));
            setDirty(true);
            if (status.kind === 'saved') setStatus({ kind: 'idle', text: '' });
          }}
        />
        {!readOnly && (
          <div class="form__actions">
            <button type="submit" class="button button--primary" data-testid="registration-save" disabled={status.kind === 'saving'}>
              Сохранить {noun.acc}
            </button>
            <p class={`save-status save-status--${status.kind}`} role="status" aria-live="polite" data-testid="registration-status">
              {status.text || (dirty ? 'Есть несохранённые изменения.' : '')}
            </p>
          </div>
        )}
      </form>
      <p>
        <a href={`/events/${encodeURIComponent(ctx.id)}/cabinet`}>← К моим {words.dativePlural}</a>
      </p>
    </article>
  );
}
