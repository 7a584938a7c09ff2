// The organiser's section day: the overview of the sections with their video rooms
// (/events/:id/section-day), one section's running order and attendance
// (/events/:id/section-day/:n), and the results of the conference (/events/:id/section-day/results).
// The server keeps the draft: every edit here is one PUT, and the page shows the times it answers.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, messageOf } from '../lib/api';
import { useAuth } from '../lib/auth';
import { useEventContext, wordsOf, type EventContext } from '../lib/intake';
import { formatDateTime, formatTime, parseInstant } from '../lib/time';
import { textOf } from '../lib/types';
import {
  formatMinutes,
  practiceTitle,
  sectionsPath,
  webLink,
  type AttendanceRow,
  type Overview,
  type PracticeInfo,
  type Results,
  type Schedule,
  type SessionInfo,
  type TimedSlot,
} from '../lib/sections';
import { Breadcrumbs, LoadError, LoginNeeded } from '../components/Intake';
import { Loading, Message } from '../components/Layout';

// The page's frame: signed in, an organiser of the event, the event loaded.
function OrganiserOnly({ id, what, children }: { id: string; what: string; children: (ctx: EventContext) => ComponentChildren }) {
  const auth = useAuth();
  const ctx = useEventContext(id);
  if (auth.me === undefined || ctx.status === 'loading') return <Loading />;
  if (auth.me === null) return <LoginNeeded what={what} />;
  if (!(auth.me.roles ?? []).some((r) => r.role === 'organiser' && r.event === id)) {
    return (
      <Message title="Нет доступа">
        <p data-testid="not-organiser">Эта страница — для организаторов мероприятия.</p>
      </Message>
    );
  }
  if (ctx.status === 'error') return <LoadError title="Не удалось загрузить мероприятие" message={ctx.message} />;
  return <>{children(ctx.data)}</>;
}

function RoomLink({ url, children, testId }: { url: unknown; children: ComponentChildren; testId?: string }) {
  const href = webLink(url);
  if (!href) return <span class="muted">ссылка на видеокомнату не задана</span>;
  return (
    <a href={href} target="_blank" rel="noopener noreferrer" data-external data-testid={testId}>
      {children}
    </a>
  );
}

function sessionLine(s: SessionInfo | null, offset?: string) {
  if (!s) return null;
  return (
    <li key={s.id} data-testid={`session-${s.id}`}>
      <strong>{s.title}</strong> — {formatDateTime(s.starts, offset)}–{formatTime(s.ends, offset)}.{' '}
      {s.room_url ? (
        <RoomLink url={s.room_url} testId={`session-room-${s.id}`}>
          Видеокомната
        </RoomLink>
      ) : null}
    </li>
  );
}

// ---- Overview -------------------------------------------------------------------------------------

export function SectionDayAdminPage({ id }: { id: string }) {
  useEffect(() => {
    document.title = 'День секций — организатору';
  }, []);
  return <OrganiserOnly id={id} what="готовить день секций">{(ctx) => <DayOverview ctx={ctx} />}</OrganiserOnly>;
}

function DayOverview({ ctx }: { ctx: EventContext }) {
  const [overview, setOverview] = useState<Overview | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    api.get<Overview>(sectionsPath(ctx.id)).then(setOverview, (e) => setError(messageOf(e)));
  }, [ctx.id]);
  const base = `/events/${encodeURIComponent(ctx.id)}`;
  if (error) return <LoadError title="Не удалось загрузить секции" message={error} />;
  if (!overview) return <Loading />;
  const s = overview.sessions;
  return (
    <article class="intake intake--wide" data-testid="section-day-admin">
      <Breadcrumbs items={[{ href: base, title: textOf(ctx.agenda.title) || ctx.id }, { title: 'День секций' }]} />
      <h1>День секций</h1>
      <section class="card">
        <h2>Сессии и видеокомнаты</h2>
        <ul>
          {sessionLine(s.welcome, ctx.offset)}
          {sessionLine(s.sections, ctx.offset)}
          {sessionLine(s.results, ctx.offset)}
        </ul>
        <p class="muted">
          Выступление — от {overview.slot_minutes.min} до {overview.slot_minutes.max} мин, перерыв между выступлениями{' '}
          {overview.gap_minutes} мин; таймер предупреждает за {overview.warn_before_minutes.join(' и ')} мин до конца.
        </p>
        <p>
          <a class="button button--secondary" href={`${base}/section-day/results`} data-testid="results-admin-link">
            Итоги мероприятия
          </a>
        </p>
      </section>
      <section class="card">
        <h2>Секции</h2>
        <ol class="queue" data-testid="admin-sections">
          {overview.sections.map((section) => (
            <li class="queue__item" key={section.number} data-testid={`admin-section-${section.number}`}>
              <span class="queue__text">
                <strong>
                  Секция {section.number}. {section.title}
                </strong>
                <br />
                <span class="muted">
                  {section.schedule
                    ? `Порядок опубликован ${formatDateTime(section.schedule.published_at, ctx.offset)}, выступлений: ${section.schedule.slots.length}`
                    : 'Порядок выступлений не опубликован'}
                  {' · '}
                  <RoomLink url={section.room_url}>видеокомната</RoomLink>
                </span>
              </span>
              <span class="queue__buttons">
                <a class="button button--primary button--small" href={`${base}/section-day/${section.number}`} data-testid={`schedule-link-${section.number}`}>
                  Порядок и посещаемость
                </a>
                <a class="button button--secondary button--small" href={`${base}/sections/${section.number}/console`}>
                  Пульт модератора
                </a>
                <a class="button button--quiet button--small" href={`${base}/sections/${section.number}`}>
                  Страница секции
                </a>
              </span>
            </li>
          ))}
        </ol>
      </section>
    </article>
  );
}

// ---- One section: the running order and the attendance ---------------------------------------------

export function SectionScheduleAdminPage({ id, n }: { id: string; n: string }) {
  useEffect(() => {
    document.title = `Порядок выступлений — секция ${n}`;
  }, [n]);
  return (
    <OrganiserOnly id={id} what="составлять порядок выступлений">
      {(ctx) => <ScheduleEditor ctx={ctx} n={Number(n)} />}
    </OrganiserOnly>
  );
}

interface DraftSlot {
  practice: number;
  seconds: number;
}

function ScheduleEditor({ ctx, n }: { ctx: EventContext; n: number }) {
  const [schedule, setSchedule] = useState<Schedule | null>(null);
  const [overview, setOverview] = useState<Overview | null>(null);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const [dragged, setDragged] = useState<number | null>(null);
  const path = sectionsPath(ctx.id, `/${n}/schedule`);
  const base = `/events/${encodeURIComponent(ctx.id)}`;

  const load = () => api.get<Schedule>(path).then(setSchedule, (e) => setError(messageOf(e)));
  useEffect(() => {
    void load();
    api.get<Overview>(sectionsPath(ctx.id)).then(setOverview, () => undefined);
  }, [ctx.id, n]);

  // Every change goes to the server, which answers the schedule with its times; on a refusal the
  // page shows why and reloads what is stored.
  const run = async (what: Promise<Schedule>, done?: string) => {
    setBusy(true);
    setError('');
    setNotice('');
    try {
      setSchedule(await what);
      if (done) setNotice(done);
    } catch (e) {
      setError(messageOf(e));
      await load();
    } finally {
      setBusy(false);
    }
  };
  const draft: DraftSlot[] = (schedule?.draft ?? []).map((s) => ({ practice: s.practice, seconds: s.seconds }));
  const save = (slots: DraftSlot[]) => run(api.put<Schedule>(path, { slots }));
  const move = (from: number, to: number) => {
    if (to < 0 || to >= draft.length || from === to) return;
    const next = [...draft];
    const [item] = next.splice(from, 1);
    next.splice(to, 0, item!);
    void save(next);
  };
  const setMinutes = (index: number, minutes: number) => {
    if (!Number.isFinite(minutes) || minutes <= 0) return;
    void save(draft.map((s, i) => (i === index ? { ...s, seconds: Math.round(minutes * 60) } : s)));
  };
  const remove = (index: number) => void save(draft.filter((_, i) => i !== index));
  const add = (practice: number) => {
    const minutes = overview?.slot_minutes.min ?? 10;
    void save([...draft, { practice, seconds: minutes * 60 }]);
  };
  const makeDraft = () => {
    if (draft.length > 0 && !window.confirm('Составить черновик заново? Правки черновика будут заменены.')) return;
    void run(api.post<Schedule>(`${path}/draft`), 'Черновик составлен автоматически.');
  };
  const publish = () =>
    void run(api.post<Schedule>(`${path}/publish`), 'Порядок опубликован; авторам, чьё время изменилось, отправлены уведомления.');

  const section = overview?.sections.find((s) => s.number === n);
  const window_ = overview?.sessions.sections;
  if (!schedule) return error ? <LoadError title="Не удалось загрузить порядок выступлений" message={error} /> : <Loading />;
  return (
    <article class="intake intake--wide" data-testid="schedule-editor">
      <Breadcrumbs
        items={[
          { href: base, title: textOf(ctx.agenda.title) || ctx.id },
          { href: `${base}/section-day`, title: 'День секций' },
          { title: `Секция ${n}` },
        ]}
      />
      <h1>
        Секция {n}
        {section ? `. ${section.title}` : ''}
      </h1>
      <p>
        {window_ && (
          <>
            Работа секций: {formatDateTime(window_.starts, ctx.offset)}–{formatTime(window_.ends, ctx.offset)}.{' '}
          </>
        )}
        {section && (
          <RoomLink url={section.room_url} testId="section-room">
            Видеокомната секции
          </RoomLink>
        )}
        {' · '}
        <a href={`${base}/sections/${n}/console`}>Пульт модератора</a>
        {' · '}
        <a href={`${base}/sections/${n}`}>Страница секции</a>
      </p>

      <section class="card" aria-labelledby="draft-title">
        <h2 id="draft-title">Черновик порядка выступлений</h2>
        <p class="muted">
          Перетащите строку или нажмите ↑/↓, чтобы изменить порядок; длительность —{' '}
          {overview ? `от ${overview.slot_minutes.min} до ${overview.slot_minutes.max} мин` : 'в минутах'}. Изменения сохраняются
          сразу, авторы узнают о них после публикации.
        </p>
        <div class="queue__controls">
          <button type="button" class="button button--secondary" onClick={makeDraft} disabled={busy} data-testid="make-draft">
            Составить автоматически
          </button>
          <button
            type="button"
            class="button button--primary"
            onClick={publish}
            disabled={busy || draft.length === 0 || schedule.draft_differs === false}
            data-testid="publish-schedule"
          >
            Опубликовать
          </button>
          <span data-testid="schedule-status" data-published={schedule.published ? 'yes' : 'no'} data-differs={schedule.draft_differs ? 'yes' : 'no'}>
            {schedule.published
              ? schedule.draft_differs
                ? 'Черновик отличается от опубликованного порядка.'
                : `Опубликован ${formatDateTime(schedule.published_at, ctx.offset)}.`
              : 'Ещё не опубликован.'}
          </span>
        </div>
        {error && (
          <p class="form__error" role="alert" data-testid="schedule-error">
            {error}
          </p>
        )}
        {notice && (
          <p class="callout callout--ok" role="status" data-testid="schedule-notice">
            {notice}
          </p>
        )}
        {schedule.fits === false && draft.length > 0 && (
          <p class="callout callout--error" data-testid="schedule-overflow">
            Выступления с перерывами не помещаются во время работы секции.
          </p>
        )}
        {draft.length === 0 ? (
          <p class="muted" data-testid="draft-empty">
            Черновик пуст. Составьте его автоматически из {wordsOf(ctx.agenda).genitivePlural}, допущенных к выступлению.
          </p>
        ) : (
          <ol class="queue" data-testid="draft">
            {(schedule.draft ?? []).map((slot, index) => (
              <li
                key={slot.practice}
                class={`queue__item${dragged === index ? ' queue__item--dragged' : ''}`}
                data-testid="draft-slot"
                data-practice={slot.practice}
                draggable={!busy}
                onDragStart={(e) => {
                  setDragged(index);
                  e.dataTransfer?.setData('text/plain', String(index));
                }}
                onDragOver={(e) => e.preventDefault()}
                onDrop={(e) => {
                  e.preventDefault();
                  if (dragged !== null) move(dragged, index);
                  setDragged(null);
                }}
                onDragEnd={() => setDragged(null)}
              >
                <SlotText slot={slot} offset={ctx.offset} />
                <span class="queue__buttons">
                  <label>
                    <span class="visually-hidden">Длительность, мин: </span>
                    <input
                      type="number"
                      class="input--short"
                      min={overview?.slot_minutes.min}
                      max={overview?.slot_minutes.max}
                      step={1}
                      value={String(Math.round(slot.seconds / 60))}
                      disabled={busy}
                      data-testid="slot-minutes"
                      aria-label={`Длительность выступления ${index + 1}, минут`}
                      onChange={(e) => setMinutes(index, Number(e.currentTarget.value))}
                    />{' '}
                    мин
                  </label>
                  <button
                    type="button"
                    class="button button--quiet button--small"
                    aria-label={`Выше: ${practiceTitle(slot.info, slot.practice)}`}
                    disabled={busy || index === 0}
                    onClick={() => move(index, index - 1)}
                    data-testid="slot-up"
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    class="button button--quiet button--small"
                    aria-label={`Ниже: ${practiceTitle(slot.info, slot.practice)}`}
                    disabled={busy || index === draft.length - 1}
                    onClick={() => move(index, index + 1)}
                    data-testid="slot-down"
                  >
                    ↓
                  </button>
                  <button type="button" class="button button--quiet button--small" disabled={busy} onClick={() => remove(index)}>
                    Убрать
                  </button>
                </span>
              </li>
            ))}
          </ol>
        )}
        {(schedule.unscheduled ?? []).length > 0 && (
          <>
            <h3>Допущены, но не в порядке выступлений</h3>
            <ul class="queue" data-testid="unscheduled">
              {(schedule.unscheduled ?? []).map((p: PracticeInfo) => (
                <li class="queue__item" key={p.id}>
                  <span class="queue__text">
                    <strong>{practiceTitle(p, p.id)}</strong> — {p.authors.join(', ')}
                    {p.institution ? <span class="muted"> ({p.institution})</span> : null}
                  </span>
                  <button type="button" class="button button--small" disabled={busy} onClick={() => add(p.id)}>
                    Добавить в конец
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      <section class="card" aria-labelledby="published-title">
        <h2 id="published-title">Опубликованный порядок</h2>
        {schedule.published ? (
          <ol class="queue" data-testid="published">
            {schedule.published.map((slot) => (
              <li class="queue__item" key={slot.practice} data-testid="published-slot" data-practice={slot.practice}>
                <SlotText slot={slot} offset={ctx.offset} />
              </li>
            ))}
          </ol>
        ) : (
          <p class="muted">Авторы увидят своё время после публикации.</p>
        )}
      </section>

      <Attendance ctx={ctx} n={n} />
    </article>
  );
}

function SlotText({ slot, offset }: { slot: TimedSlot; offset?: string }) {
  return (
    <span class="queue__text">
      <span data-testid="slot-time">
        {slot.position}. {slot.starts_at ? `${formatTime(slot.starts_at, offset)}–${formatTime(slot.ends_at, offset)}` : ''}
      </span>{' '}
      <strong data-testid="slot-title">{practiceTitle(slot.info, slot.practice)}</strong>
      <br />
      <span class="muted">
        {slot.info?.authors.join(', ')}
        {slot.info?.institution ? ` · ${slot.info.institution}` : ''} · {formatMinutes(slot.seconds)}
      </span>
    </span>
  );
}

function Attendance({ ctx, n }: { ctx: EventContext; n: number }) {
  const [rows, setRows] = useState<AttendanceRow[] | null>(null);
  const [error, setError] = useState('');
  const query = `?section=${n}`;
  const load = () =>
    api.get<{ attendance: AttendanceRow[] }>(sectionsPath(ctx.id, `/attendance${query}`)).then(
      (r) => setRows(r.attendance),
      (e) => setError(messageOf(e)),
    );
  useEffect(() => {
    void load();
  }, [ctx.id, n]);
  return (
    <section class="card" aria-labelledby="attendance-title">
      <h2 id="attendance-title">Посещаемость</h2>
      <p class="muted">
        Кто был на странице секции и сколько минут — в пределах времени работы секций, для сертификатов.
      </p>
      <p class="queue__controls">
        <a href={sectionsPath(ctx.id, `/attendance${query}&format=csv`)} download data-testid="attendance-csv">
          Скачать CSV
        </a>
        <button type="button" class="button button--quiet button--small" onClick={() => void load()}>
          Обновить
        </button>
      </p>
      {error && <p class="form__error">{error}</p>}
      {rows === null ? (
        <Loading />
      ) : rows.length === 0 ? (
        <p class="muted" data-testid="attendance-empty">
          Пока никого.
        </p>
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Посещаемость секции">
          <table class="table" data-testid="attendance-table">
            <thead>
              <tr>
                <th scope="col">ФИО</th>
                <th scope="col">E-mail</th>
                <th scope="col">Вошёл</th>
                <th scope="col">Минут</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.user.id}>
                  <td>{r.user.full_name}</td>
                  <td>{r.user.email}</td>
                  <td>{formatDateTime(r.first_joined, ctx.offset)}</td>
                  <td>{r.minutes}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

// ---- Results ---------------------------------------------------------------------------------------

export function SectionResultsAdminPage({ id }: { id: string }) {
  useEffect(() => {
    document.title = 'Итоги мероприятия — организатору';
  }, []);
  return <OrganiserOnly id={id} what="публиковать итоги">{(ctx) => <ResultsEditor ctx={ctx} />}</OrganiserOnly>;
}

interface SectionChoice {
  number: number;
  title: string;
  presenters: PracticeInfo[];
}

function ResultsEditor({ ctx }: { ctx: EventContext }) {
  const [choices, setChoices] = useState<SectionChoice[] | null>(null);
  const [session, setSession] = useState<SessionInfo | null>(null);
  const [published, setPublished] = useState<Results | null>(null);
  const [text, setText] = useState('');
  const [best, setBest] = useState<Record<number, number[]>>({});
  const [notes, setNotes] = useState<Record<number, string>>({});
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const base = `/events/${encodeURIComponent(ctx.id)}`;

  useEffect(() => {
    (async () => {
      const [overview, current] = await Promise.all([
        api.get<Overview>(sectionsPath(ctx.id)),
        api.get<{ results: Results | null }>(`/api/events/${encodeURIComponent(ctx.id)}/results`),
      ]);
      // Everyone admitted to present in a section may be named: the draft plus those left out of it.
      const list = await Promise.all(
        overview.sections.map(async (s) => {
          const sc = await api.get<Schedule>(sectionsPath(ctx.id, `/${s.number}/schedule`));
          const presenters = [
            ...(sc.draft ?? []).map((slot) => slot.info ?? { id: slot.practice, title: '', institution: '', authors: [] }),
            ...(sc.unscheduled ?? []),
          ];
          return { number: s.number, title: s.title, presenters };
        }),
      );
      setSession(overview.sessions.results);
      setChoices(list);
      const r = current.results;
      setPublished(r);
      if (r) {
        setText(r.text);
        setBest(Object.fromEntries(r.sections.map((s) => [s.section, s.best.map((b) => b.id)])));
        setNotes(Object.fromEntries(r.sections.map((s) => [s.section, s.note])));
      }
    })().catch((e) => setError(messageOf(e)));
  }, [ctx.id]);

  if (!choices) return error ? <LoadError title="Не удалось загрузить итоги" message={error} /> : <Loading />;
  const toggle = (section: number, practice: number, on: boolean) =>
    setBest((b) => {
      const set = new Set(b[section] ?? []);
      if (on) set.add(practice);
      else set.delete(practice);
      return { ...b, [section]: [...set] };
    });
  const publish = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    setDone('');
    try {
      const body = {
        text,
        sections: choices.map((c) => ({ section: c.number, best: best[c.number] ?? [], note: notes[c.number] ?? '' })),
      };
      const r = await api.put<{ results: Results | null }>(`/api/events/${encodeURIComponent(ctx.id)}/results`, body);
      setPublished(r.results);
      setDone('Итоги опубликованы: их видят все на странице итогов.');
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  const opens = session ? parseInstant(session.starts) : null;
  return (
    <article class="intake intake--wide" data-testid="results-editor">
      <Breadcrumbs
        items={[
          { href: base, title: textOf(ctx.agenda.title) || ctx.id },
          { href: `${base}/section-day`, title: 'День секций' },
          { title: 'Итоги' },
        ]}
      />
      <h1>Итоги мероприятия</h1>
      {session && (
        <p>
          {session.title}: {formatDateTime(session.starts, ctx.offset)}–{formatTime(session.ends, ctx.offset)}.{' '}
          <RoomLink url={session.room_url} testId="results-room">
            Видеокомната
          </RoomLink>
          {opens !== null && <span class="muted"> Опубликовать итоги можно с начала этой сессии.</span>}
        </p>
      )}
      <p data-testid="results-status">
        {published ? `Опубликованы ${formatDateTime(published.published_at, ctx.offset)}.` : 'Ещё не опубликованы.'}{' '}
        <a href={`${base}/results`}>Страница итогов</a>
      </p>
      <form class="form form--wide" onSubmit={publish} noValidate>
        <div class="field">
          <label class="field__label" for="results-text">
            Общий текст итогов
          </label>
          <textarea id="results-text" rows={5} value={text} onInput={(e) => setText(e.currentTarget.value)} data-testid="results-text" />
        </div>
        {choices.map((c) => (
          <fieldset class="group" key={c.number} data-testid={`results-section-${c.number}`}>
            <legend class="group__legend">
              Секция {c.number}. {c.title}
            </legend>
            {c.presenters.length === 0 ? (
              <p class="muted">В секции нет допущенных к выступлению {wordsOf(ctx.agenda).genitivePlural}.</p>
            ) : (
              c.presenters.map((p) => (
                <div class="choice" key={p.id}>
                  <input
                    type="checkbox"
                    id={`best-${c.number}-${p.id}`}
                    checked={(best[c.number] ?? []).includes(p.id)}
                    onChange={(e) => toggle(c.number, p.id, e.currentTarget.checked)}
                    data-testid={`best-${p.id}`}
                  />
                  <label for={`best-${c.number}-${p.id}`}>
                    <strong>{practiceTitle(p, p.id)}</strong>
                    <span class="choice__hint">{[p.authors.join(', '), p.institution].filter(Boolean).join(' · ')}</span>
                  </label>
                </div>
              ))
            )}
            <div class="field">
              <label class="field__label" for={`note-${c.number}`}>
                Комментарий по секции
              </label>
              <textarea
                id={`note-${c.number}`}
                rows={2}
                value={notes[c.number] ?? ''}
                onInput={(e) => {
                  const value = e.currentTarget.value;
                  setNotes((all) => ({ ...all, [c.number]: value }));
                }}
              />
            </div>
          </fieldset>
        ))}
        {error && (
          <p class="form__error" role="alert" data-testid="results-error">
            {error}
          </p>
        )}
        {done && (
          <p class="callout callout--ok" role="status" data-testid="results-done">
            {done}
          </p>
        )}
        <div class="form__row">
          <button type="submit" class="button button--primary" disabled={busy} data-testid="publish-results">
            {published ? 'Опубликовать заново' : 'Опубликовать итоги'}
          </button>
        </div>
      </form>
    </article>
  );
}
