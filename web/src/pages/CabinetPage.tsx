// «Мои практики» («Мои заявки» for the contest): the participant's cabinet — the registration
// form's state, the practices they own or co-author with state, section, what is still missing,
// payment, the decision (from the instant the server shows it) and their files, the fee, a small
// form that starts a new practice, and the way to the gallery. Words, sections, types, fees and
// decisions come from the agenda.
import { useEffect, useState } from 'preact/hooks';
import { useAuth } from '../lib/auth';
import {
  capitalise,
  chargesFees,
  contractReady,
  creationFields,
  eventPath,
  kContractNotReady,
  outcomeTitle,
  registrationNoun,
  rub,
  useEventContext,
  wordsOf,
  type EventContext,
} from '../lib/intake';
import { navigate } from '../lib/router';
import { formatDateTime } from '../lib/time';
import { textOf, type Answers, type MyPractices, type Practice, type Registration } from '../lib/types';
import { errorMap } from '../lib/forms';
import { api, fieldErrorsOf, messageOf, type FieldError } from '../lib/api';
import { FormFields } from '../components/FormFields';
import { Breadcrumbs, IntakeNotice, LoadError, LoginNeeded } from '../components/Intake';
import { Loading } from '../components/Layout';
import { CertificatesBlock } from '../components/Certificates';
import { MySectionSlots } from '../components/MySectionSlots';

export const kStateTitle: Record<string, string> = { draft: 'черновик', submitted: 'отправлена' };

export function typeTitle(ctx: EventContext, type: string | undefined): string {
  const t = (ctx.agenda.practice?.types ?? []).find((x) => x.id === type);
  return textOf(t?.title) || type || '';
}

// GET /api/events/{id}/cabinet: the intake's list, each practice with the decision on it.
interface CabinetPractice extends Practice {
  outcome?: { outcome?: string; reason?: string; decided_at?: string } | null;
  in_gallery?: boolean;
  payment?: { state?: string; reason?: string | null };
  files?: Array<{ id: string; purpose?: string; file_name?: string; url?: string; state?: string }>;
}
interface CabinetData extends MyPractices {
  practices?: CabinetPractice[];
  gallery?: { readable?: boolean; open?: boolean; opens?: string | null };
}

const kPaymentTitle: Record<string, string> = {
  awaiting_proof: 'ожидается документ об оплате',
  proof_sent: 'документ об оплате на проверке',
  confirmed: 'оплата подтверждена',
  returned: 'документ об оплате возвращён',
};

export function CabinetPage({ id }: { id: string }) {
  const auth = useAuth();
  const ctx = useEventContext(id);
  const words = ctx.status === 'ok' ? wordsOf(ctx.data.agenda) : null;
  useEffect(() => {
    if (words) document.title = `Мои ${words.many}`;
  }, [words?.many]);
  if (auth.me === undefined || ctx.status === 'loading') return <Loading />;
  if (auth.me === null) return <LoginNeeded what={`подать ${words?.accusative ?? 'практику'}`} />;
  if (ctx.status === 'error') return <LoadError title="Не удалось загрузить мероприятие" message={ctx.message} />;
  return <Cabinet ctx={ctx.data} />;
}

function Cabinet({ ctx }: { ctx: EventContext }) {
  const [mine, setMine] = useState<CabinetData | null>(null);
  const [registration, setRegistration] = useState<Registration | null | undefined>(undefined);
  const [error, setError] = useState('');
  const base = `/events/${encodeURIComponent(ctx.id)}`;
  const words = wordsOf(ctx.agenda);
  const regTitle = textOf(ctx.agenda.registration_form?.title) || 'Регистрационная заявка';
  const noun = registrationNoun(ctx.agenda);

  useEffect(() => {
    Promise.all([
      api.get<CabinetData>(eventPath(ctx.id, '/cabinet')),
      api.get<{ registration: Registration | null }>(eventPath(ctx.id, '/registration')),
    ]).then(
      ([m, r]) => {
        setMine(m);
        setRegistration(r.registration ?? null);
      },
      (e) => setError(messageOf(e)),
    );
  }, [ctx.id]);

  if (error) return <LoadError title={`Не удалось загрузить ваши ${words.many}`} message={error} />;
  if (!mine || registration === undefined) return <Loading />;

  const practices = mine.practices ?? [];
  const editable = mine.editable !== false;
  const fee = mine.fee ?? {};
  return (
    <article class="intake" data-testid="cabinet">
      <Breadcrumbs items={[{ href: base, title: textOf(ctx.agenda.title) || ctx.id }, { title: `Мои ${words.many}` }]} />
      <h1>Мои {words.many}</h1>
      <IntakeNotice ctx={ctx} editable={editable} />

      <section class="card" aria-labelledby="reg-title">
        <h2 id="reg-title">{regTitle}</h2>
        <p data-testid="cabinet-registration" data-complete={registration?.complete ? 'yes' : 'no'}>
          {registration === null
            ? `Не ${noun.filled}. ${noun.without} ${words.accusative} нельзя отправить ${words.toReview}.`
            : registration.complete
              ? `${capitalise(noun.filled)}${registration.updated_at ? ` (${formatDateTime(registration.updated_at, ctx.offset)})` : ''}.`
              : `${capitalise(noun.filled)} не полностью.`}
        </p>
        <a class="button button--secondary" href={`${base}/registration`} data-testid="registration-link">
          {!editable ? 'Посмотреть' : registration === null ? 'Заполнить' : 'Изменить'} {noun.acc}
        </a>
      </section>

      <section class="card" aria-labelledby="practices-title">
        <h2 id="practices-title">{words.Many}</h2>
        {practices.length === 0 ? (
          <p class="muted" data-testid="no-practices">
            Пока нет ни {words.agree({ f: 'одной', m: 'одного', n: 'одного' })} {words.genitive}.
          </p>
        ) : (
          <ul class="practice-list" data-testid="practice-list">
            {practices.map((p) => (
              <PracticeRow key={p.id} ctx={ctx} practice={p} />
            ))}
          </ul>
        )}
        {chargesFees(ctx.agenda) && (fee.practices ?? 0) > 0 && (
          <p class="fee" data-testid="fee-summary">
            Организационный взнос: {fee.practices} × {rub(fee.per_practice)} = <strong>{rub(fee.total)}</strong>
          </p>
        )}
        {chargesFees(ctx.agenda) && (fee.practices ?? 0) > 0 && !contractReady(ctx.agenda) && (
          <p class="callout" data-testid="contract-not-ready">
            {kContractNotReady}
          </p>
        )}
        {editable && <NewPractice ctx={ctx} />}
      </section>

      <MySectionSlots id={ctx.id} offset={ctx.offset} agenda={ctx.agenda} />

      {mine.gallery?.readable && (ctx.agenda.stages ?? []).some((s) => s.id === 'gallery') && (
        <section class="card" aria-labelledby="gallery-title">
          <h2 id="gallery-title">Галерея практик</h2>
          <p>
            Практики, допущенные экспертами, можно смотреть и обсуждать:{' '}
            <a href={`${base}/gallery`} data-testid="cabinet-gallery-link">
              открыть галерею
            </a>
            .
          </p>
        </section>
      )}

      {ctx.agenda.files?.flashmob && (
        <section class="card" aria-labelledby="flashmob-title">
          <h2 id="flashmob-title">Флешмоб</h2>
          <p>
            Творческие работы детей и семей для трансляции флешмоба:{' '}
            <a href={`${base}/flashmob/mine`} data-testid="cabinet-flashmob-link">
              отправить работу и следить за ней
            </a>
            .
          </p>
        </section>
      )}
      <CertificatesBlock eventId={ctx.id} />

      {(ctx.agenda.files?.document || ctx.agenda.files?.flashmob) && (
      <section class="card" aria-labelledby="check-title">
        <h2 id="check-title">Проверка файлов</h2>
        <p>
          Проверьте до отправки{' '}
          {[ctx.agenda.files?.document?.title, ctx.agenda.files?.flashmob?.title]
            .map((t) => textOf(t).toLowerCase())
            .filter(Boolean)
            .map((t) => `«${t}»`)
            .join(' и ')}
          :{' '}
          <a href={`${base}/check`} data-testid="check-link">
            проверить файл
          </a>
          .
        </p>
      </section>
      )}
    </article>
  );
}

function PracticeRow({ ctx, practice: p }: { ctx: EventContext; practice: CabinetPractice }) {
  const missing = p.missing?.length ?? 0;
  const state = p.state ?? 'draft';
  const words = wordsOf(ctx.agenda);
  const hasSections = (ctx.agenda.sections ?? []).length > 0;
  const hasTypes = (ctx.agenda.practice?.types ?? []).length > 0;
  const meta = [
    hasSections && p.section ? `Секция ${p.section}${p.section_title ? ` «${p.section_title}»` : ''}` : '',
    hasTypes ? typeTitle(ctx, p.type) : '',
    p.owner?.full_name ? `${ctx.agenda.registration_form?.per === 'applicant' ? 'заявитель' : 'автор'}: ${p.owner.full_name}` : '',
  ].filter(Boolean);
  return (
    <li class="practice-item" data-testid={`practice-${p.id}`} data-state={state}>
      <a href={`/events/${encodeURIComponent(ctx.id)}/practices/${p.id}`} class="practice-item__title">
        {textOf(p.title) || textOf(p.answers?.name) || `${words.One} № ${p.id}`}
      </a>
      <span class={`badge badge--${state === 'submitted' ? 'open' : 'upcoming'}`} data-testid="practice-state">
        {kStateTitle[state] ?? state}
      </span>
      {meta.length > 0 && <p class="practice-item__meta">{meta.join(' · ')}</p>}
      <p class="practice-item__meta" data-testid="practice-missing" data-count={missing}>
        {state === 'submitted' ? `${words.agree({ f: 'Отправлена', m: 'Отправлен', n: 'Отправлено' })} ${words.toReview}.` : missing === 0 ? 'Все обязательные поля заполнены.' : `Не заполнено обязательных полей: ${missing}.`}
      </p>
      {state === 'submitted' && chargesFees(ctx.agenda) && p.payment?.state && (
        <p class="practice-item__meta" data-testid="practice-payment">
          Оплата: {kPaymentTitle[p.payment.state] ?? p.payment.state}
          {p.payment.reason ? ` (${p.payment.reason})` : ''}.
        </p>
      )}
      {state === 'submitted' && chargesFees(ctx.agenda) && p.owner?.id !== undefined && (p.payment?.state === 'awaiting_proof' || p.payment?.state === 'returned') && (
        <p class="practice-item__meta">
          <a href={`/events/${encodeURIComponent(ctx.id)}/practices/${p.id}#payment`} data-testid="practice-pay-link">
            Договор и документ об оплате
          </a>
        </p>
      )}
      {p.outcome?.outcome && (
        <p class="practice-item__meta" data-testid="practice-outcome" data-outcome={p.outcome.outcome}>
          {words.decision}: <strong data-testid="practice-outcome-title">{outcomeTitle(ctx.agenda, p.outcome.outcome)}</strong>
          {p.outcome.reason ? `. ${p.outcome.reason}` : ''}
          {p.in_gallery ? (
            <>
              {' · '}
              <a href={`/events/${encodeURIComponent(ctx.id)}/gallery/${p.id}`}>в галерее</a>
            </>
          ) : null}
        </p>
      )}
      {(p.files ?? []).length > 0 && (
        <p class="practice-item__meta" data-testid="practice-files">
          Файлы:{' '}
          {(p.files ?? []).map((f, i) => (
            <span key={f.id}>
              {i > 0 ? ', ' : ''}
              {f.url && f.state === 'complete' ? <a href={f.url}>{f.file_name}</a> : f.file_name}
            </span>
          ))}
        </p>
      )}
    </li>
  );
}

// A new practice: its section and type where the agenda has them, and the fields the contest
// checks at creation (the institution's name and INN), so a refusal comes before the whole form.
function NewPractice({ ctx }: { ctx: EventContext }) {
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
      const p = await api.post<Practice>(eventPath(ctx.id, '/practices'), body);
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
            {sections.map((s) => (
              <option key={s.number} value={String(s.number)}>
                {s.number}. {textOf(s.title)}
              </option>
            ))}
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
