// The review (docs/protocol.md, "Review"): the expert's queue, one practice with the expert's
// decision, the organiser's board of decisions and assignments, the review log and the outbox.
import { api, request } from '../api';
import type { Practice, User } from '../types';
import { eventPath, segment, withSignal } from './paths';

export interface Criterion {
  id: string;
  title: string;
  max: number;
}

export interface ExpertReview {
  decision: string;
  reason: string;
  scores?: Record<string, number>;
  updated_at?: string;
}

export interface BoardExpert {
  user: User;
  sections: number[];
  institution: string;
  load: number;
  // The most practices they may review: their own cap, else the agenda's; null: no limit.
  cap?: number | null;
  cap_set?: number | null;
}

export interface Conflict {
  practice: { id: number; title: string; section: number; institution: string };
  expert: User & { institution: string };
  assigned: boolean;
}

export interface Assignment {
  assigned: Array<{ practice: number; expert: number }>;
  refused: Array<{ practice: number; missing: number; code: string }>;
  warning?: { code: string; message: string };
}

export interface AssignedExpert {
  user: User;
  conflict: boolean;
  by_hand?: boolean;
  review: ExpertReview | null;
}

export interface QueueItem {
  id: number;
  title: string;
  section: number;
  section_title: string;
  review: ExpertReview | null;
}

export interface ReviewFile {
  id: string;
  purpose?: string;
  file_name?: string;
  length?: number;
  state?: string;
  url?: string;
  verdict?: { formatting?: { findings?: Array<{ rule: string }> } } | null;
}

export interface PracticeView {
  practice: Practice & { files?: ReviewFile[] };
  review: ExpertReview | null;
  criteria: Criterion[];
  review_open: boolean;
  reviews?: Array<{ user: { id: number; email?: string; full_name?: string }; review: ExpertReview | null }>;
}

export interface Outcome {
  outcome: string;
  reason: string;
  notified_at: string | null;
}

export interface BoardPractice {
  id: number;
  title: string;
  section: number;
  institution: string;
  experts: AssignedExpert[];
  conflicts: Array<User & { institution: string }>;
  outcome: Outcome | null;
}

export interface Board {
  practices: BoardPractice[];
  experts: BoardExpert[];
  outcome_titles?: Record<string, string>;
  review_opened: boolean;
  default_cap?: number | null;
}

export interface Person {
  id: number;
  email?: string;
  full_name?: string;
}

export interface Detail {
  decision_title?: string;
  outcome_title?: string;
  reason?: string;
  automatic?: boolean;
  expert_user?: Person;
  institutions?: number;
  queued?: number;
  previous?: { decision_title?: string; outcome_title?: string; reason?: string };
}

export interface Entry {
  id: number;
  practice: number | null;
  practice_title: string | null;
  actor: Person;
  action: string;
  detail: Detail;
  at: string;
}

export interface Letter {
  id: number;
  recipients: string[];
  subject: string;
  state: string;
  attempts: number;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export function queue(id: string, signal?: AbortSignal): Promise<{ practices: QueueItem[]; review_open: boolean }> {
  return api.get<{ practices: QueueItem[]; review_open: boolean }>(eventPath(id, '/review/queue'), withSignal(signal));
}

function reviewPracticePath(id: string, n: string | number, rest = ''): string {
  return eventPath(id, `/review/practices/${segment(n)}${rest}`);
}

export function practice(id: string, n: string, signal?: AbortSignal): Promise<PracticeView> {
  return api.get<PracticeView>(reviewPracticePath(id, n), withSignal(signal));
}

export function saveReview(id: string, n: string, review: { decision: string; reason: string; scores: Record<string, number> }): Promise<ExpertReview> {
  return api.put<ExpertReview>(reviewPracticePath(id, n, '/review'), review);
}

export function board(id: string, signal?: AbortSignal): Promise<Board> {
  return api.get<Board>(eventPath(id, '/review/board'), withSignal(signal));
}

// The automatic assignment of experts to the practices not yet assigned.
export function assign(id: string): Promise<Assignment> {
  return api.post<Assignment>(eventPath(id, '/review/assign'));
}

// The most practices `expert` may review; null: back to the agenda's default.
export function setCap(id: string, expert: number | string, maxPractices: number | null): Promise<unknown> {
  return api.put(eventPath(id, `/review/experts/${segment(expert)}/cap`), { max_practices: maxPractices });
}

// Every conflict of interest on the board; assigns nothing.
export function conflicts(id: string): Promise<{ conflicts: Conflict[] }> {
  return api.get<{ conflicts: Conflict[] }>(eventPath(id, '/review/conflicts'));
}

// The letters about the decisions to the institutions; `queued` letters went to the outbox.
export function notify(id: string): Promise<{ queued: number }> {
  return api.post<{ queued: number }>(eventPath(id, '/review/notifications'));
}

export function decideOutcome(id: string, n: number, outcome: string, reason: string): Promise<unknown> {
  return api.put(reviewPracticePath(id, n, '/outcome'), { outcome, reason });
}

export function addExpert(id: string, n: number, expert: number | string): Promise<unknown> {
  return api.post(reviewPracticePath(id, n, '/experts'), { expert });
}

export function removeExpert(id: string, n: number, expert: number | string): Promise<unknown> {
  return api.delete(reviewPracticePath(id, n, `/experts/${segment(expert)}`));
}

export function log(id: string, signal?: AbortSignal): Promise<{ entries: Entry[] }> {
  return api.get<{ entries: Entry[] }>(eventPath(id, '/review/log'), withSignal(signal));
}

export function mail(id: string, signal?: AbortSignal): Promise<{ messages: Letter[] }> {
  return api.get<{ messages: Letter[] }>(eventPath(id, '/review/mail'), withSignal(signal));
}

export function resendMail(id: string, letter: number): Promise<unknown> {
  return request('POST', eventPath(id, `/mail/${segment(letter)}/resend`));
}
