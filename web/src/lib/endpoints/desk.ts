// The organiser's desk (docs/protocol.md, "The organiser's desk"): the milestones whose warning
// window has opened with work left, the agenda's placeholders, and the contest's printed
// documents sent by post.
import { api } from '../api';
import { eventPath, query, segment, withSignal } from './paths';

export interface Reminder {
  milestone: string;
  title: string;
  deadline_text: string;
  passed: boolean;
  left: { count: number; text: string }[];
}

export interface Placeholder {
  path: string;
  title?: string;
  fields?: string[];
}

export interface PostDeadline {
  title: string;
  at: string;
  text: string;
  warn_from: string | null;
}

export interface Recipient {
  practice: number;
  institution: string;
  head: string;
  address: string;
  outcome: string;
  document: string;
  sent_on: string | null;
}

export interface PostList {
  deadline: PostDeadline;
  to_send: number;
  recipients: Recipient[];
}

export async function reminders(id: string, signal?: AbortSignal): Promise<Reminder[]> {
  const r = await api.get<{ warnings: Reminder[] }>(eventPath(id, '/reminders'), withSignal(signal));
  return r.warnings;
}

export function placeholders(id: string, signal?: AbortSignal): Promise<{ placeholders?: Placeholder[]; file?: string }> {
  return api.get<{ placeholders?: Placeholder[]; file?: string }>(eventPath(id, '/placeholders'), withSignal(signal));
}

export function post(id: string, signal?: AbortSignal): Promise<PostList> {
  return api.get<PostList>(eventPath(id, '/post'), withSignal(signal));
}

export function postTable(id: string, format: 'csv' | 'xlsx'): string {
  return eventPath(id, `/post/export${query({ format })}`);
}

// Marks a recipient's document sent on `day` (the event's calendar day).
export function markSent(id: string, practice: number, day: string): Promise<Recipient> {
  return api.put<Recipient>(eventPath(id, `/post/${segment(practice)}`), { sent_on: day });
}

export function unmarkSent(id: string, practice: number): Promise<Recipient> {
  return api.delete<Recipient>(eventPath(id, `/post/${segment(practice)}`));
}
