// The practice editor (the contest's application): the fields of the agenda's practice form, saved
// as you type (a PATCH of the changed top-level fields with the revision they were based on), the
// section and type where the agenda has them, co-authors by e-mail where each author registers,
// the files the agenda's purposes ask for (under their item when they answer one), submission for
// review with the server's list of what is missing, and the document check. Words (practice or
// application), fees and decisions come from the agenda. After the intake closes, or for a
// co-author, everything is read-only.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, fieldErrorsOf, messageOf, type FieldError } from '../lib/api';
import { useAuth } from '../lib/auth';
import { errorMap, isEmptyValue } from '../lib/forms';
import { chargesFees, eventPath, outcomeTitle, rub, useEventContext, wordsOf, type EventContext, type Words } from '../lib/intake';
import { navigate } from '../lib/router';
import { formatDateTime, formatTime } from '../lib/time';
import { textOf, type Answers, type Practice } from '../lib/types';
import { FormFields } from '../components/FormFields';
import { Breadcrumbs, ErrorSummary, IntakeNotice, LoadError, LoginNeeded } from '../components/Intake';
import {
  FieldAttachments,
  PracticeDocument,
  PracticeMaterials,
  PracticeOtherFiles,
  PracticePayment,
  PracticePhotos,
} from '../components/PracticeFiles';
import { Loading } from '../components/Layout';
import { kStateTitle, typeTitle } from './CabinetPage';

const kAutosaveDelayMs = 1500;
const kRetryDelayMs = 5000;

export function PracticePage({ id, n }: { id: string; n: string }) {
  const auth = useAuth();
  const ctx = useEventContext(id);
  const [practice, setPractice] = useState<Practice | null>(null);
  const [error, setError] = useState<{ message: string; status: number } | null>(null);

  const one = ctx.status === 'ok' ? wordsOf(ctx.data.agenda).One : '';
  useEffect(() => {
    if (one) document.title = one;
  }, [one]);
  useEffect(() => {
    if (!auth.me) return;
    api.get<Practice>(eventPath(id, `/practices/${encodeURIComponent(n)}`)).then(setPractice, (e) =>
      setError({ message: messageOf(e), status: e instanceof ApiError ? e.status : 0 }),
    );
  }, [id, n, auth.me]);

  if (auth.me === undefined || ctx.status === 'loading') return <Loading />;
  if (ctx.status === 'error') return <LoadError title="Не удалось загрузить мероприятие" message={ctx.message} />;
  const words = wordsOf(ctx.data.agenda);
  if (auth.me === null) return <LoginNeeded what={`открыть ${words.accusative}`} />;
  if (error)
    return (
      <LoadError title={error.status === 404 ? `${words.One} не ${words.agree({ f: 'найдена', m: 'найден', n: 'найдено' })}` : `Не удалось загрузить ${words.accusative}`} message={error.message} />
    );
  if (!practice) return <Loading />;
  return <PracticeEditor ctx={ctx.data} initial={practice} userId={auth.me.user.id} email={auth.me.user.email} />;
}

type SaveState =
  | { kind: 'idle' }
  | { kind: 'pending' }
  | { kind: 'saving' }
  | { kind: 'saved'; at: string }
  | { kind: 'partial'; at: string; message: string }
  | { kind: 'error'; message: string }
  | { kind: 'stale'; message: string };

interface Pending {
  answers: Set<string>;
  section: boolean;
  type: boolean;
  coAuthors: boolean;
}

const nothingPending = (): Pending => ({ answers: new Set(), section: false, type: false, coAuthors: false });
const hasPending = (p: Pending) => p.answers.size > 0 || p.section || p.type || p.coAuthors;

// "co_implementers[0].phone" → "co_implementers": the form's field an error is in.
function topField(path: string): string {
  const end = path.search(/[.[]/);
  return end < 0 ? path : path.slice(0, end);
}

// This browser's copy of the answers the server could not save yet, by field.
function readLocally(key: string): Answers {
  try {
    const raw = localStorage.getItem(key);
    const value: unknown = raw ? JSON.parse(raw) : null;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Answers) : {};
  } catch {
    return {};
  }
}

// After a save: the fields just sent that the server refused are kept, the others forgotten.
function keepLocally(key: string, answers: Answers, sent: Set<string>, refused: Set<string>): void {
  const kept = readLocally(key);
  for (const k of sent) {
    if (refused.has(k)) kept[k] = answers[k];
    else delete kept[k];
  }
  try {
    if (Object.keys(kept).length === 0) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(kept));
  } catch {
    // Storage full or switched off: the field stays marked on the page, which is what matters most.
  }
}

function PracticeEditor({ ctx, initial, userId, email }: { ctx: EventContext; initial: Practice; userId: number | string; email: string }) {
  const fields = ctx.agenda.practice?.fields ?? [];
  const words = wordsOf(ctx.agenda);
  const base = `/events/${encodeURIComponent(ctx.id)}`;
  const apiPath = eventPath(ctx.id, `/practices/${initial.id}`);

  const [practice, setPractice] = useState<Practice>(initial);
  const [answers, setAnswers] = useState<Answers>(initial.answers ?? {});
  const [section, setSection] = useState<number | undefined>(initial.section);
  const [type, setType] = useState<string | undefined>(initial.type);
  const [coAuthors, setCoAuthors] = useState<string[]>((initial.co_authors ?? []).map((c) => c.email));
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const [saveErrors, setSaveErrors] = useState<FieldError[]>([]);
  const [submitErrors, setSubmitErrors] = useState<FieldError[]>([]);
  const [submitMessage, setSubmitMessage] = useState('');
  const [busy, setBusy] = useState(false);

  // The latest values and what is not yet on the server, read by the save loop (not by render).
  const latest = useRef({ answers, section, type, coAuthors });
  const pending = useRef<Pending>(nothingPending());
  const revision = useRef(initial.revision);
  const running = useRef<Promise<boolean> | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const stale = useRef(false);
  const lastSaveErrors = useRef<FieldError[]>([]);
  const localKey = `praktika:unsaved:${ctx.id}:${initial.id}`;

  const readOnly = !practice.editable;
  // The owner's files follow their purposes' own windows (clause 5.5 takes materials a day after
  // the form closes), not the form's.
  const isOwner = String(practice.owner?.id) === String(userId);

  // Files and payment change outside the form (uploads, the organiser): only they are refreshed.
  const reloadFiles = async () => {
    try {
      const p = await api.get<Practice>(apiPath);
      setPractice((prev) => ({ ...prev, files: p.files, payment: p.payment, missing: p.missing }));
    } catch {
      // The next load shows them.
    }
  };

  // One PATCH at a time; whatever changed meanwhile goes in the next one.
  const flush = (): Promise<boolean> => {
    clearTimeout(timer.current);
    if (running.current) return running.current.then(() => flush());
    if (stale.current) return Promise.resolve(false);
    if (!hasPending(pending.current)) return Promise.resolve(true);
    const run = (async () => {
      const sending = pending.current;
      pending.current = nothingPending();
      const body: Record<string, unknown> = {};
      if (typeof revision.current === 'number') body.revision = revision.current;
      if (sending.answers.size > 0) {
        const a: Answers = {};
        for (const k of sending.answers) {
          const v = latest.current.answers[k];
          a[k] = isEmptyValue(v) ? null : v;
        }
        body.answers = a;
      }
      if (sending.section) body.section = latest.current.section;
      if (sending.type) body.type = latest.current.type;
      if (sending.coAuthors) body.co_authors = latest.current.coAuthors;
      setSave({ kind: 'saving' });
      try {
        const p = await api.patch<Practice>(apiPath, body);
        revision.current = p.revision;
        setPractice(p);
        // A draft keeps the valid answers; the fields with an error wait for an edit, here and in
        // this browser's storage, so a reload does not lose them either.
        const unsaved = fieldErrorsOf(p.unsaved);
        const unsavedKeys = new Set(unsaved.map((e) => topField(e.path)));
        keepLocally(localKey, latest.current.answers, sending.answers, unsavedKeys);
        lastSaveErrors.current = unsaved;
        setSaveErrors(unsaved);
        if (sending.coAuthors && !pending.current.coAuthors) {
          const list = (p.co_authors ?? []).map((c) => c.email);
          latest.current = { ...latest.current, coAuthors: list };
          setCoAuthors(list);
        }
        if (unsaved.length > 0) {
          const more = unsaved.length > 1 ? ` (и ещё ${unsaved.length - 1})` : '';
          setSave({ kind: 'partial', at: p.updated_at ?? '', message: `${unsaved[0]?.message ?? ''}${more}` });
        } else {
          setSave(hasPending(pending.current) ? { kind: 'pending' } : { kind: 'saved', at: p.updated_at ?? '' });
        }
        return true;
      } catch (e) {
        // Nothing of this PATCH was stored: keep it for the next attempt.
        for (const k of sending.answers) pending.current.answers.add(k);
        pending.current.section ||= sending.section;
        pending.current.type ||= sending.type;
        pending.current.coAuthors ||= sending.coAuthors;
        if (e instanceof ApiError && e.code === 'stale_revision') {
          stale.current = true;
          setSave({ kind: 'stale', message: e.message });
        } else {
          lastSaveErrors.current = fieldErrorsOf(e);
          setSaveErrors(lastSaveErrors.current);
          setSave({ kind: 'error', message: messageOf(e) });
          // A dropped connection or a busy server is retried on its own; a refused field waits for an edit.
          if (e instanceof ApiError && (e.status === 0 || e.status >= 500)) schedule(kRetryDelayMs, true);
        }
        return false;
      }
    })();
    running.current = run;
    return run.finally(() => {
      running.current = null;
    });
  };

  // `keepStatus` leaves «Не сохранено: …» on screen while a retry waits.
  const schedule = (delay = kAutosaveDelayMs, keepStatus = false) => {
    if (!keepStatus) setSave((s) => (s.kind === 'stale' ? s : { kind: 'pending' }));
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void flush().then((ok) => ok && hasPending(pending.current) && schedule()), delay);
  };

  // Values a previous visit could not save (a field with an error) come back and are tried again.
  useEffect(() => {
    if (readOnly) return;
    const kept = readLocally(localKey);
    const keys = Object.keys(kept);
    if (keys.length === 0) return;
    latest.current = { ...latest.current, answers: { ...latest.current.answers, ...kept } };
    setAnswers(latest.current.answers);
    for (const k of keys) pending.current.answers.add(k);
    schedule(0);
  }, []);

  // Leaving the page within the autosave delay still saves.
  useEffect(
    () => () => {
      if (hasPending(pending.current)) void flush();
    },
    [],
  );

  const onAnswer = (fid: string, v: unknown) => {
    latest.current = { ...latest.current, answers: { ...latest.current.answers, [fid]: v } };
    setAnswers(latest.current.answers);
    pending.current.answers.add(fid);
    schedule();
  };

  const setCo = (list: string[]) => {
    latest.current = { ...latest.current, coAuthors: list };
    setCoAuthors(list);
    pending.current.coAuthors = true;
    schedule(0);
  };

  const onSubmit = async () => {
    setBusy(true);
    setSubmitMessage('');
    setSubmitErrors([]);
    try {
      if (!(await flush())) {
        setSubmitErrors(stale.current ? [] : lastSaveErrors.current);
        setSubmitMessage(
          stale.current ? `${words.One} изменили в другом окне: загрузите текущую версию.` : 'Изменения не сохранены — исправьте ошибки в полях.',
        );
        return;
      }
      const p = await api.post<Practice>(`${apiPath}/submit`, {});
      revision.current = p.revision;
      setPractice(p);
      setSubmitMessage(`${words.One} ${words.agree({ f: 'отправлена', m: 'отправлен', n: 'отправлено' })} ${words.toReview}.`);
    } catch (e) {
      setSubmitErrors(fieldErrorsOf(e));
      setSubmitMessage(messageOf(e));
      requestAnimationFrame(() => document.querySelector<HTMLElement>('[data-testid="submit-errors"]')?.focus());
    } finally {
      setBusy(false);
    }
  };

  const onDelete = async () => {
    if (!window.confirm(`Удалить эту ${words.accusative}? Это нельзя отменить.`)) return;
    try {
      await api.delete(apiPath);
      navigate(`${base}/cabinet`);
    } catch (e) {
      setSubmitMessage(messageOf(e));
    }
  };

  const state = practice.state ?? 'draft';
  const missing = fieldErrorsOf(practice.missing);
  // Files a submission needs and the practice does not have yet (the server refuses without them).
  const missingFiles = Object.entries(ctx.agenda.files ?? {})
    .filter(([id, spec]) => spec.required_at_submission && !(practice.files ?? []).some((f) => f.purpose === id && f.state === 'complete'))
    .map(([id, spec]) => ({ id, title: textOf(spec.title) || id }));
  const perAuthor = ctx.agenda.registration_form?.per !== 'applicant';
  const shownErrors = errorMap([...submitErrors, ...saveErrors]);
  const title = textOf(answers.name) || textOf(practice.title) || `${words.One} № ${practice.id}`;
  const sections = (ctx.agenda.sections ?? []).filter((s) => typeof s.number === 'number');
  const types = ctx.agenda.practice?.types ?? [];
  // Not editable while the intake is open: a co-author reads it (only the owner may edit); anyone
  // else who may open it (the organiser) is told plainly that it is someone else's.
  const readOnlyWhileOpen = !practice.editable && ctx.intake?.state === 'open';
  const isCoAuthor = (practice.co_authors ?? []).some((c) => c.email.toLowerCase() === email.toLowerCase());
  const coAuthorView = readOnlyWhileOpen && isCoAuthor;
  const othersView = readOnlyWhileOpen && !isCoAuthor && String(practice.owner?.id) !== String(userId);

  return (
    <article class="intake practice" data-testid="practice-editor" data-readonly={readOnly ? 'yes' : 'no'}>
      <Breadcrumbs
        items={[
          { href: base, title: textOf(ctx.agenda.title) || ctx.id },
          { href: `${base}/cabinet`, title: `Мои ${words.many}` },
          { title: `${words.One} № ${practice.id}` },
        ]}
      />
      <h1 data-testid="practice-title">{title}</h1>
      <p class="practice__state">
        Состояние:{' '}
        <span class={`badge badge--${state === 'submitted' ? 'open' : 'upcoming'}`} data-testid="practice-state" data-state={state}>
          {kStateTitle[state] ?? state}
        </span>
        {practice.submitted_at && state === 'submitted' && <span class="muted"> ({formatDateTime(practice.submitted_at, ctx.offset)})</span>}
        {chargesFees(ctx.agenda) && typeof practice.fee === 'number' && <span class="muted"> · взнос {rub(practice.fee)}</span>}
      </p>
      {practice.outcome?.outcome && (
        <p class="callout callout--ok" data-testid="practice-outcome" data-outcome={practice.outcome.outcome}>
          {words.decision}: <strong>{outcomeTitle(ctx.agenda, practice.outcome.outcome)}</strong>
          {practice.outcome.reason ? `. ${practice.outcome.reason}` : ''}
        </p>
      )}
      <IntakeNotice ctx={ctx} />
      {coAuthorView && (
        <p class="callout" data-testid="coauthor-note">
          Вы соавтор {words.agree({ f: 'этой', m: 'этого', n: 'этого' })} {words.genitive}. Изменять {words.agree({ f: 'её', m: 'его', n: 'его' })} может только автор{practice.owner?.full_name ? ` — ${practice.owner.full_name}` : ''}.
        </p>
      )}
      {othersView && (
        <p class="callout" data-testid="others-note">
          Вы читаете {words.agree({ f: 'чужую', m: 'чужой', n: 'чужое' })} {words.accusative}: изменять {words.agree({ f: 'её', m: 'его', n: 'его' })} может только автор{practice.owner?.full_name ? ` — ${practice.owner.full_name}` : ''}.
        </p>
      )}

      {!readOnly && <SaveIndicator save={save} offset={ctx.offset} onReload={() => location.reload()} />}

      <ErrorSummary title={`${words.One} не ${words.agree({ f: 'отправлена', m: 'отправлен', n: 'отправлено' })}. Заполните или исправьте:`} errors={submitErrors} fields={fields} testId="submit-errors" />

      <form class="form form--wide" noValidate onSubmit={(e) => e.preventDefault()}>
        {(sections.length > 0 || types.length > 0) && (
        <div class="form__row form__row--split">
          <div class="field">
            <label class="field__label" for="practice-section">
              Секция
            </label>
            <select
              id="practice-section"
              data-testid="practice-section"
              disabled={readOnly}
              value={section === undefined ? '' : String(section)}
              onChange={(e) => {
                const v = Number(e.currentTarget.value);
                latest.current = { ...latest.current, section: v };
                setSection(v);
                pending.current.section = true;
                schedule(0);
              }}
            >
              {sections.map((s) => (
                <option key={s.number} value={String(s.number)}>
                  {s.number}. {textOf(s.title)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label class="field__label" for="practice-type">
              Вид {words.genitive}
            </label>
            <select
              id="practice-type"
              data-testid="practice-type"
              disabled={readOnly}
              value={type ?? ''}
              onChange={(e) => {
                const v = e.currentTarget.value;
                latest.current = { ...latest.current, type: v };
                setType(v);
                pending.current.type = true;
                schedule(0);
              }}
            >
              {types.map((t) => (
                <option key={t.id} value={t.id}>
                  {textOf(t.title) || t.id}
                </option>
              ))}
            </select>
            <p class="field__hint">{textOf(types.find((t) => t.id === type)?.description) || typeTitle(ctx, type)}</p>
          </div>
        </div>
        )}

        <FormFields
          fields={fields}
          values={answers}
          onChange={onAnswer}
          ctx={{
            agenda: ctx.agenda,
            root: answers,
            currentYear: ctx.currentYear,
            errors: shownErrors,
            readOnly,
            attachments: (field, path) => (
              <FieldAttachments ctx={ctx} practice={practice} field={field} path={path} owner={isOwner} reload={reloadFiles} />
            ),
          }}
        />
      </form>

      <PracticeOtherFiles ctx={ctx} practice={practice} owner={isOwner} reload={reloadFiles} />

      {perAuthor && (
        <CoAuthors
          list={coAuthors}
          known={practice.co_authors ?? []}
          readOnly={readOnly}
          ownerEmail={practice.owner?.email}
          words={words}
          onChange={setCo}
        />
      )}

      <section class="card submit" aria-labelledby="submit-title">
        <h2 id="submit-title">Отправка {words.toReview}</h2>
        {state === 'submitted' ? (
          <p data-testid="submitted-note">
            {words.One} {words.agree({ f: 'отправлена', m: 'отправлен', n: 'отправлено' })} {words.toReview}. До окончания приёма{' '}
            {words.agree({ f: 'её', m: 'его', n: 'его' })} можно исправлять —{' '}
            {words.agree({ f: 'она должна оставаться заполненной', m: 'он должен оставаться заполненным', n: 'оно должно оставаться заполненным' })}{' '}
            полностью.
          </p>
        ) : missing.length > 0 ? (
          <details class="missing" data-testid="missing" data-count={missing.length}>
            <summary>Не заполнено обязательных полей: {missing.length}</summary>
            <ErrorSummary title="Что ещё нужно заполнить" errors={missing} fields={fields} testId="missing-list" tone="info" />
          </details>
        ) : (
          <p data-testid="missing" data-count="0">
            Все обязательные поля заполнены.
          </p>
        )}
        {state !== 'submitted' && missingFiles.length > 0 && (
          <p class="callout" data-testid="missing-files" data-count={missingFiles.length}>
            Не загружены обязательные файлы: {missingFiles.map((f) => `«${f.title}»`).join(', ')}.
          </p>
        )}
        {submitMessage && (
          <p class={state === 'submitted' && submitErrors.length === 0 ? 'callout callout--ok' : 'form__error'} role="status" data-testid="submit-message">
            {submitMessage}
          </p>
        )}
        {!readOnly && state !== 'submitted' && (
          <button type="button" class="button button--primary" data-testid="submit-practice" disabled={busy} onClick={onSubmit}>
            {busy ? 'Отправляем…' : `Отправить ${words.toReview}`}
          </button>
        )}
        {!readOnly && (
          <button type="button" class="button button--danger" data-testid="delete-practice" onClick={onDelete}>
            Удалить {words.accusative}
          </button>
        )}
      </section>

      <PracticeDocument ctx={ctx} practice={practice} owner={isOwner} reload={reloadFiles} />
      <PracticePhotos ctx={ctx} practice={practice} owner={isOwner} reload={reloadFiles} />
      <PracticePayment ctx={ctx} practice={practice} owner={isOwner} reload={reloadFiles} />
      <PracticeMaterials ctx={ctx} practice={practice} owner={isOwner} reload={reloadFiles} />
      <p>
        <a href={`${base}/cabinet`}>← К моим {words.dativePlural}</a>
      </p>
    </article>
  );
}

function SaveIndicator({ save, offset, onReload }: { save: SaveState; offset?: string; onReload: () => void }) {
  let text = '';
  switch (save.kind) {
    case 'idle':
      text = 'Изменения сохраняются автоматически.';
      break;
    case 'pending':
      text = 'Есть несохранённые изменения…';
      break;
    case 'saving':
      text = 'Сохраняется…';
      break;
    case 'saved':
      text = save.at ? `Сохранено в ${formatTime(save.at, offset)}` : 'Сохранено';
      break;
    case 'partial':
      text = `${save.at ? `Сохранено в ${formatTime(save.at, offset)}` : 'Сохранено'}, кроме поля с ошибкой. Не сохранено: ${save.message}`;
      break;
    case 'error':
      text = `Не сохранено: ${save.message}`;
      break;
    case 'stale':
      text = '';
  }
  return (
    <div class={`save-status save-status--${save.kind}`} role="status" aria-live="polite" data-testid="save-status" data-state={save.kind}>
      {save.kind === 'stale' ? (
        <>
          <strong>Практику изменили в другом окне или на другом устройстве.</strong> Ваши последние правки не сохранены. {save.message}{' '}
          <button type="button" class="button button--secondary" data-testid="reload-practice" onClick={onReload}>
            Загрузить текущую версию
          </button>
        </>
      ) : (
        text
      )}
    </div>
  );
}

function CoAuthors(props: {
  list: string[];
  known: Array<{ email: string; registered?: boolean }>;
  readOnly: boolean;
  ownerEmail?: string;
  words: Words;
  onChange: (list: string[]) => void;
}) {
  const { list, known, readOnly, onChange, words } = props;
  const [email, setEmail] = useState('');
  const [error, setError] = useState('');
  const registered = new Map(known.map((c) => [c.email.toLowerCase(), c.registered]));

  const add = (e: Event) => {
    e.preventDefault();
    const v = email.trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) {
      setError('Введите адрес электронной почты соавтора, например ivanova@example.org.');
      return;
    }
    if (list.some((x) => x.toLowerCase() === v.toLowerCase()) || v.toLowerCase() === props.ownerEmail?.toLowerCase()) {
      setError('Этот адрес уже есть в списке.');
      return;
    }
    setError('');
    setEmail('');
    onChange([...list, v]);
  };

  return (
    <section class="card" aria-labelledby="coauthors-title" data-testid="co-authors">
      <h2 id="coauthors-title">Соавторы</h2>
      <p class="muted">Соавторы видят {words.accusative} в своём кабинете. Каждый соавтор заполняет свою регистрационную анкету.</p>
      {list.length === 0 ? (
        <p class="muted">Соавторов нет.</p>
      ) : (
        <ul class="coauthors">
          {list.map((c) => {
            const r = registered.get(c.toLowerCase());
            return (
              <li key={c} data-testid="co-author" data-email={c}>
                <span class="coauthors__email">{c}</span>{' '}
                <span class="muted" data-testid="co-author-registered">
                  {r === undefined ? 'сохраняется…' : r ? 'зарегистрирован(а)' : 'ещё не зарегистрирован(а) на сайте'}
                </span>
                {!readOnly && (
                  <button
                    type="button"
                    class="button button--secondary button--small"
                    aria-label={`Убрать соавтора ${c}`}
                    onClick={() => onChange(list.filter((x) => x !== c))}
                  >
                    Убрать
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {!readOnly && (
        <form class="form form__row" onSubmit={add} noValidate>
          <div class="field">
            <label class="field__label" for="co-author-email">
              Электронная почта соавтора
            </label>
            <input
              type="email"
              id="co-author-email"
              inputMode="email"
              autocomplete="off"
              data-testid="co-author-email"
              value={email}
              onInput={(e) => setEmail(e.currentTarget.value)}
            />
          </div>
          <button type="submit" class="button button--secondary" data-testid="co-author-add">
            Добавить соавтора
          </button>
          {error && (
            <p class="form__error" role="alert">
              {error}
            </p>
          )}
        </form>
      )}
    </section>
  );
}
