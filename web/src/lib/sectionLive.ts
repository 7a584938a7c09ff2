// The section day, live: the state of one section as the topic section:{id}:{n} carries it, the
// speaker timer's state, and the actions of the moderator and the audience with what the page says
// after each. The state arrives whole with a version; the time left is counted here from the
// slot's remaining seconds. The server gives every change of a section (run, floor, timer) the
// next version, so a pushed state or moderation list whose version is not above the one shown is
// old news (the push of the change whose op reply came first). A subscribe reply is a snapshot:
// taken unless older (it may have raced a push), and at an equal version it is the same state with
// a later `now`.
import { useEffect, useState } from 'preact/hooks';
import { messageOf } from './api';
import * as sections from './endpoints/sections';
import { useLoad, useTopic } from './hooks';
import { useEventContext } from './intake';
import { ws } from './ws';

export interface LivePractice {
  id: number;
  title: string;
  institution: string;
  authors: string[];
}
export interface Material {
  id: string;
  file_name: string;
  url: string;
}
export interface SlotView {
  practice: number;
  info?: LivePractice;
  seconds?: number;
  started_at?: string | null;
  ends_at?: string | null;
  remaining_seconds?: number;
  materials?: Material[];
  outcome?: string;
}
export interface Hand {
  id: number;
  name: string;
  status: string;
}
export interface Question {
  id: number;
  name: string;
  text: string;
  votes: number;
  status: string;
  // The moderators' list only: hidden from the audience, and the flags not yet decided on.
  hidden?: boolean;
  flags?: number;
}
export interface SectionState {
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
  // Whether a new question waits for a moderator's approval (the section's switch).
  premoderation?: boolean;
}

export const kStatus: Record<SectionState['status'], string> = {
  waiting: 'ещё не началась',
  running: 'идёт',
  paused: 'на паузе',
  closed: 'завершена',
};

export function titleOf(slot: SlotView | null | undefined): string {
  if (!slot) return '—';
  return slot.info ? `${slot.info.title} (${slot.info.authors.join(', ')})` : `№ ${slot.practice}`;
}

export function asState(value: unknown): SectionState | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as SectionState;
  return typeof v.version === 'number' && typeof v.status === 'string' ? v : null;
}

// The one the page should show: `incoming` when its version is above the current one's, or, for a
// `snapshot`, not below it.
export function newer<T extends { version: number }>(current: T | null, incoming: T, snapshot = false): T {
  if (!current) return incoming;
  return incoming.version > current.version || (snapshot && incoming.version === current.version) ? incoming : current;
}

export function clock(seconds: number): string {
  const sign = seconds < 0 ? '−' : '';
  const s = Math.abs(Math.trunc(seconds));
  return `${sign}${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

// The speaker timer's look: calm, past the first warning, past the last one, over time.
export type TimerState = 'ok' | 'warning' | 'last' | 'over';

// What the server pushed for the current slot: the minutes of a warning, or 0 for time_up. The
// server's clock decides (it may run faster than ours in a demonstration), so a push moves the
// timer on even when the local count has not got there yet.
export type Pushed = number | null;

// `warn` is the agenda's warn_before_minutes (the server sends them sorted, largest first).
export function timerState(left: number | null, warn: number[], pushed: Pushed): TimerState {
  if ((left !== null && left <= 0) || pushed === 0) return 'over';
  const last = warn.length ? Math.min(...warn) : null;
  const first = warn.length ? Math.max(...warn) : null;
  if (last !== null && ((left !== null && left <= last * 60) || (pushed !== null && pushed <= last))) return 'last';
  if (pushed !== null || (first !== null && left !== null && left <= first * 60)) return 'warning';
  return 'ok';
}

// Counts down locally: the server sends the remaining seconds with each state, not ticks.
export function useTimeLeft(state: SectionState | null): number | null {
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

// What the page says after an action, beside the control that caused it (`at`).
export interface Feedback {
  at: string;
  kind: 'done' | 'error';
  text: string;
}

const kDone: Record<string, string | ((fields: Record<string, unknown>) => string)> = {
  start: 'Секция начата. Вызовите первого выступающего.',
  next: 'Выступление начато.',
  extend: (f) => (Number(f.seconds) >= 0 ? 'Время выступления продлено на 1 мин.' : 'Время выступления сокращено на 1 мин.'),
  absent: 'Выступающий отмечен отсутствующим.',
  reorder: 'Порядок очереди изменён.',
  pause: 'Секция на паузе: таймер остановлен.',
  resume: 'Секция продолжена.',
  close: 'Секция закрыта.',
  reset: 'Репетиция сброшена: секция снова ждёт начала.',
  approve: 'Вопрос одобрен и показан участникам.',
  answer: 'Вопрос отмечен как отвеченный.',
  dismiss: 'Вопрос отклонён.',
  floor: 'Слово передано следующему.',
  floor_done: 'Выступление с места завершено.',
  hand: 'Вы подняли руку: модератор видит вас в очереди.',
  lower: 'Рука опущена.',
  ask: 'Вопрос отправлен и показан участникам.',
  vote: 'Ваш голос учтён.',
  flag: 'Жалоба отправлена модератору. Спасибо.',
  hide: 'Вопрос скрыт от участников.',
  show: 'Вопрос снова виден участникам, жалобы сняты.',
  premoderation: (f) =>
    f.on ? 'Предварительное одобрение включено: новые вопросы ждут модератора.' : 'Предварительное одобрение выключено: новые вопросы сразу видны участникам.',
};

// The agenda's words for the asker of a question that waits (section_day.questions.sent_to_moderator).
export function sentToModerator(agenda: { section_day?: unknown } | undefined): string {
  const words = (agenda?.section_day as { questions?: { sent_to_moderator?: unknown } } | undefined)?.questions?.sent_to_moderator;
  return typeof words === 'string' && words ? words : 'Вопрос отправлен.';
}

function doneText(action: string, fields: Record<string, unknown>, after: SectionState | null, reply: unknown, waiting: string): string {
  if (action === 'ask' && (reply as { status?: unknown } | null)?.status === 'pending') return waiting;
  const done = kDone[action];
  const text = typeof done === 'function' ? done(fields) : (done ?? 'Готово.');
  // «Выступление начато» names who speaks now; after the last one there is nobody to name.
  if (action === 'next' || action === 'absent') {
    if (after?.current) return `${action === 'absent' ? `${text} ` : ''}Выступление начато: ${titleOf(after.current)}.`;
    if (after) return action === 'absent' ? `${text} Очередь пуста.` : 'Очередь пуста: все выступили.';
  }
  return text;
}

const kNoWarnings: number[] = [];

export function useSection(id: string, n: string) {
  const [state, setState] = useState<SectionState | null>(null);
  const [alert, setAlert] = useState('');
  const [pushed, setPushed] = useState<Pushed>(null);
  const [error, setError] = useState('');
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  // The minutes before the end at which the presenter is warned, from the overview.
  const overview = useLoad(`section-overview:${id}`, (signal) => sections.overview(id, signal));
  const warn = overview.status === 'ok' ? (overview.data.warn_before_minutes ?? kNoWarnings) : kNoWarnings;
  const ctx = useEventContext(id);
  const waiting = sentToModerator(ctx.status === 'ok' ? ctx.data.agenda : undefined);
  const keep = (incoming: SectionState | null, snapshot = false) =>
    incoming && setState((current) => newer(current, incoming, snapshot));
  useTopic(`section:${id}:${n}`, {
    onSubscribed: (data) => keep(asState((data as { state?: unknown }).state), true),
    onEvent: (event, data) => {
      if (event === 'state') keep(asState(data));
      else if (event === 'warning') {
        const minutes = (data as { minutes_left: number }).minutes_left;
        setAlert(`Осталось ${minutes} мин.`);
        setPushed(minutes);
      } else if (event === 'time_up') {
        setAlert('Время выступления истекло');
        setPushed(0);
      }
    },
    onError: (e) => setError(e.message),
  });
  // A new speaker, or a slot made longer or shorter, starts the warnings over.
  useEffect(() => {
    setAlert('');
    setPushed(null);
  }, [state?.current?.practice, state?.current?.ends_at]);
  const act = async (action: string, fields: Record<string, unknown> = {}, at = 'run') => {
    setFeedback(null);
    try {
      const data = await ws.request(`section.${action}`, { event: id, section: Number(n), ...fields });
      const after = asState(data) ?? asState((data as { state?: unknown }).state);
      keep(after);
      setFeedback({ at, kind: 'done', text: doneText(action, fields, after, data, waiting) });
      return true;
    } catch (e) {
      setFeedback({ at, kind: 'error', text: messageOf(e) });
      return false;
    }
  };
  return { state, alert, pushed, warn, error, feedback, act };
}

export type SectionLive = ReturnType<typeof useSection>;
