// The section day, live: the audience's page of one section (/events/:id/sections/:n) and the
// moderator's console (/events/:id/sections/:n/console). Both follow the topic section:{id}:{n};
// the state arrives whole with a version, the time left is counted here from the slot's ends_at.
// The server gives every change of a section (run, floor, timer) the next version, so a pushed state
// or moderation list whose version is not above the one shown is old news (the push of the change
// whose op reply came first). A subscribe reply is a snapshot: taken unless older (it may have raced
// a push), and at an equal version it is the same state with a later `now`.
import { useEffect, useState } from 'preact/hooks';
import { messageOf } from '../lib/api';
import { useAuth } from '../lib/auth';
import { useTopic } from '../lib/hooks';
import { ws } from '../lib/ws';
import { formatDateTime } from '../lib/time';

interface PracticeInfo {
  id: number;
  title: string;
  institution: string;
  authors: string[];
}
interface Material {
  id: string;
  file_name: string;
  url: string;
}
interface SlotView {
  practice: number;
  info?: PracticeInfo;
  seconds?: number;
  started_at?: string | null;
  ends_at?: string | null;
  remaining_seconds?: number;
  materials?: Material[];
  outcome?: string;
}
interface Hand {
  id: number;
  name: string;
  status: string;
}
interface Question {
  id: number;
  name: string;
  text: string;
  votes: number;
  status: string;
}
interface SectionState {
  section: number;
  title: string;
  room_url: string;
  status: 'waiting' | 'running' | 'paused' | 'closed';
  rehearsal?: boolean;
  // When the section may run (the agenda's section_day.window); null without a sections session.
  window?: { opens: string; closes: string; rehearsal_from: string | null } | null;
  now?: string;
  version: number;
  current: SlotView | null;
  next: SlotView | null;
  queue: SlotView[];
  done: SlotView[];
  hands: Hand[];
  speaking: Hand | null;
  questions: Question[];
}

const kStatus: Record<SectionState['status'], string> = {
  waiting: 'ещё не началась',
  running: 'идёт',
  paused: 'на паузе',
  closed: 'завершена',
};

function titleOf(slot: SlotView | null | undefined): string {
  if (!slot) return '—';
  return slot.info ? `${slot.info.title} (${slot.info.authors.join(', ')})` : `№ ${slot.practice}`;
}

function asState(value: unknown): SectionState | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as SectionState;
  return typeof v.version === 'number' && typeof v.status === 'string' ? v : null;
}

// The one the page should show: `incoming` when its version is above the current one's, or, for a
// `snapshot`, not below it.
function newer<T extends { version: number }>(current: T | null, incoming: T, snapshot = false): T {
  if (!current) return incoming;
  return incoming.version > current.version || (snapshot && incoming.version === current.version) ? incoming : current;
}

function clock(seconds: number): string {
  const sign = seconds < 0 ? '−' : '';
  const s = Math.abs(Math.trunc(seconds));
  return `${sign}${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

// Counts down to `endsAt` locally: the server sends the instant, not ticks. The server's clock may
// run faster (demos); the offset between its "now" and ours is taken from the state it sent.
function useTimeLeft(state: SectionState | null): number | null {
  const [, tick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 250);
    return () => clearInterval(timer);
  }, []);
  const [base, setBase] = useState<{ at: number; remaining: number; version: number } | null>(null);
  useEffect(() => {
    if (!state?.current) return setBase(null);
    const remaining = state.current.remaining_seconds;
    if (typeof remaining === 'number') setBase({ at: Date.now(), remaining, version: state.version });
  }, [state?.version, state?.current?.ends_at]);
  if (!state?.current || !base) return null;
  if (state.status === 'paused') return base.remaining;
  return base.remaining - (Date.now() - base.at) / 1000;
}

function useSection(id: string, n: string) {
  const [state, setState] = useState<SectionState | null>(null);
  const [alert, setAlert] = useState<string>('');
  const [error, setError] = useState<string>('');
  const keep = (incoming: SectionState | null, snapshot = false) =>
    incoming && setState((current) => newer(current, incoming, snapshot));
  useTopic(`section:${id}:${n}`, {
    onSubscribed: (data) => keep(asState((data as { state?: unknown }).state), true),
    onEvent: (event, data) => {
      if (event === 'state') keep(asState(data));
      else if (event === 'warning') setAlert(`Осталось ${(data as { minutes_left: number }).minutes_left} мин.`);
      else if (event === 'time_up') setAlert('Время выступления истекло');
    },
    onError: (e) => setError(e.message),
  });
  useEffect(() => setAlert(''), [state?.current?.practice]);
  const act = async (action: string, fields: Record<string, unknown> = {}) => {
    setError('');
    try {
      const data = await ws.request(`section.${action}`, { event: id, section: Number(n), ...fields });
      keep(asState(data) ?? asState((data as { state?: unknown }).state));
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return { state, alert, error, act };
}

function Presenter({ state, alert }: { state: SectionState; alert: string }) {
  const left = useTimeLeft(state);
  const current = state.current;
  return (
    <section class="section-now">
      {state.rehearsal && (
        <p class="callout" role="status" data-testid="rehearsal">
          Репетиция: организатор проверяет секцию, настоящая работа начнётся позже.
        </p>
      )}
      <p>
        Секция <span data-testid="section-status">{kStatus[state.status]}</span>.{' '}
        {state.room_url && (
          <a href={state.room_url} target="_blank" rel="noopener noreferrer" data-testid="room-link">
            Видеокомната
          </a>
        )}
      </p>
      <h2>Выступает</h2>
      <p data-testid="current-presenter">{current ? titleOf(current) : 'никто'}</p>
      {current && left !== null && (
        <p>
          Осталось: <strong data-testid="time-left">{clock(left)}</strong>
        </p>
      )}
      {alert && (
        <p class="notice" role="alert" data-testid="timer-alert">
          {alert}
        </p>
      )}
      {current?.materials && current.materials.length > 0 && (
        <ul data-testid="materials">
          {current.materials.map((m) => (
            <li key={m.id}>
              <a href={m.url}>{m.file_name}</a>
            </li>
          ))}
        </ul>
      )}
      <h2>Следующий</h2>
      <p data-testid="next-presenter">{titleOf(state.next)}</p>
    </section>
  );
}

function Floor({ state, act, moderator }: { state: SectionState; act: ReturnType<typeof useSection>['act']; moderator: boolean }) {
  const { me } = useAuth();
  const [text, setText] = useState('');
  return (
    <section class="section-floor">
      <h2>Слово и вопросы</h2>
      {state.speaking && <p data-testid="speaking">Говорит: {state.speaking.name}</p>}
      <p>Подняли руку: {state.hands.length ? state.hands.map((h) => h.name).join(', ') : 'никто'}</p>
      {me && !moderator && (
        <p>
          <button type="button" onClick={() => act('hand')} data-testid="raise-hand">
            Поднять руку
          </button>{' '}
          <button type="button" onClick={() => act('lower')}>
            Опустить руку
          </button>
        </p>
      )}
      <ol data-testid="questions">
        {state.questions.map((q) => (
          <li key={q.id}>
            {q.text} — {q.name} ({q.votes}){' '}
            {me && !moderator && (
              <button type="button" onClick={() => act('vote', { question: q.id })}>
                +1
              </button>
            )}
            {moderator && (
              <>
                <button type="button" onClick={() => act('answer', { question: q.id })}>
                  Отвечен
                </button>
                <button type="button" onClick={() => act('dismiss', { question: q.id })}>
                  Отклонить
                </button>
              </>
            )}
          </li>
        ))}
      </ol>
      {me && !moderator && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void act('ask', { text }).then(() => setText(''));
          }}
        >
          <label>
            Вопрос выступающему{' '}
            <input value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} data-testid="question-text" />
          </label>{' '}
          <button type="submit">Отправить</button>
        </form>
      )}
    </section>
  );
}

export function SectionPage({ id, n }: { id: string; n: string }) {
  const { state, alert, error, act } = useSection(id, n);
  useEffect(() => {
    document.title = `Секция ${n}`;
  }, [n]);
  if (!state) return <p>{error || 'Загрузка…'}</p>;
  return (
    <article data-testid="section-page">
      <h1>
        Секция {state.section}. {state.title}
      </h1>
      {error && <p class="error">{error}</p>}
      <Presenter state={state} alert={alert} />
      <Floor state={state} act={act} moderator={false} />
    </article>
  );
}

interface Moderation {
  version: number;
  questions: Question[];
}

function asModeration(value: unknown): Moderation | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Moderation;
  return typeof v.version === 'number' && Array.isArray(v.questions) ? v : null;
}

// Before the window opens (or after it) the console says when the section may run, instead of
// letting the moderator find out from a refusal.
function WindowNote({ state }: { state: SectionState }) {
  const w = state.window;
  const now = state.now ? Date.parse(state.now) : NaN;
  if (!w || Number.isNaN(now)) return null;
  if (now < Date.parse(w.opens)) {
    return (
      <p class="callout" data-testid="window-note">
        Секцию можно начать с {formatDateTime(w.opens, null)}.
        {w.rehearsal_from && ` Организатор может провести репетицию с ${formatDateTime(w.rehearsal_from, null)}.`}
      </p>
    );
  }
  if (now >= Date.parse(w.closes)) {
    return (
      <p class="callout callout--closed" data-testid="window-note">
        Работа секций завершилась {formatDateTime(w.closes, null)}.
      </p>
    );
  }
  return null;
}

export function SectionConsolePage({ id, n }: { id: string; n: string }) {
  const { state, alert, error, act } = useSection(id, n);
  const { me } = useAuth();
  const organiser = (me?.roles ?? []).some((r) => r.role === 'organiser' && r.event === id);
  const [moderation, setModeration] = useState<Moderation | null>(null);
  const take = (data: unknown, snapshot = false) => {
    const incoming = asModeration(data);
    if (incoming) setModeration((current) => newer(current, incoming, snapshot));
  };
  const pending = (moderation?.questions ?? []).filter((q) => q.status === 'pending');
  useTopic(`section-moderation:${id}:${n}`, {
    onSubscribed: (data) => take((data as { moderation?: unknown }).moderation, true),
    onEvent: (event, data) => event === 'moderation' && take(data),
  });
  useEffect(() => {
    document.title = `Пульт модератора — секция ${n}`;
  }, [n]);
  if (!state) return <p>{error || 'Загрузка…'}</p>;
  const running = state.status === 'running';
  const move = (index: number, by: number) => {
    const order = state.queue.map((s) => s.practice);
    const [item] = order.splice(index, 1);
    order.splice(index + by, 0, item!);
    void act('reorder', { order });
  };
  return (
    <article data-testid="section-console">
      <h1>
        Пульт модератора: секция {state.section}. {state.title}
      </h1>
      {error && (
        <p class="error" role="alert" data-testid="console-error">
          {error}
        </p>
      )}
      <WindowNote state={state} />
      <p class="actions">
        {state.rehearsal && organiser && (
          <button type="button" onClick={() => act('reset')} data-testid="reset-rehearsal">
            Сбросить репетицию
          </button>
        )}
        {state.status === 'waiting' && (
          <button type="button" onClick={() => act('start')} data-testid="start-section">
            Начать секцию
          </button>
        )}
        {running && (
          <button type="button" onClick={() => act('next')} data-testid="next-presenter-button">
            Вызвать следующего
          </button>
        )}
        {running && state.current && (
          <>
            <button type="button" onClick={() => act('extend', { seconds: 60 })}>
              +1 мин
            </button>
            <button type="button" onClick={() => act('extend', { seconds: -60 })}>
              −1 мин
            </button>
            <button type="button" onClick={() => act('absent')}>
              Отсутствует — дальше
            </button>
          </>
        )}
        {running && (
          <button type="button" onClick={() => act('pause')}>
            Пауза
          </button>
        )}
        {state.status === 'paused' && (
          <button type="button" onClick={() => act('resume')}>
            Продолжить
          </button>
        )}
        {(running || state.status === 'paused') && (
          <button type="button" onClick={() => act('close')} data-testid="close-section">
            Закрыть секцию
          </button>
        )}
      </p>
      <Presenter state={state} alert={alert} />
      <h2>Очередь</h2>
      <ol data-testid="queue">
        {state.queue.map((slot, i) => (
          <li key={slot.practice}>
            {titleOf(slot)} ({Math.round((slot.seconds ?? 0) / 60)} мин){' '}
            <button type="button" disabled={i === 0} onClick={() => move(i, -1)} aria-label="Выше">
              ↑
            </button>
            <button type="button" disabled={i === state.queue.length - 1} onClick={() => move(i, 1)} aria-label="Ниже">
              ↓
            </button>
          </li>
        ))}
      </ol>
      <h2>Ждут одобрения</h2>
      <ul>
        {pending.map((q) => (
          <li key={q.id}>
            {q.text} — {q.name}{' '}
            <button type="button" onClick={() => act('approve', { question: q.id })}>
              Одобрить
            </button>
            <button type="button" onClick={() => act('dismiss', { question: q.id })}>
              Отклонить
            </button>
          </li>
        ))}
      </ul>
      <p>
        <button type="button" onClick={() => act('floor')} disabled={state.hands.length === 0}>
          Дать слово следующему
        </button>{' '}
        <button type="button" onClick={() => act('floor_done')} disabled={!state.speaking}>
          Выступил
        </button>
      </p>
      <Floor state={state} act={act} moderator />
    </article>
  );
}
