// The event itself: the list of events, its agenda and timeline, its announcements, and the
// server's health as the organiser's pages read it.
import { api } from '../api';
import type { Agenda, EventList, Timeline } from '../types';
import { eventPath, withSignal } from './paths';

export interface Announcement {
  id: number;
  title?: string;
  text?: string;
  published_at?: string;
}

export interface Health {
  mail?: { configured?: boolean };
  now?: string;
  // Set when the server runs on a clock set with --clock (a demo's or a test's).
  clock?: { set?: boolean; speed?: number };
}

// The list of events and an event's agenda do not change while the server runs: each is asked once
// per visit and shared by every page and component that needs it (the next visit's request carries
// If-None-Match, and the server's 304 lets the browser reuse what it holds). A failed request is
// forgotten, so the next caller asks again.
const once = new Map<string, Promise<unknown>>();

function shared<T>(path: string, signal?: AbortSignal): Promise<T> {
  let answer = once.get(path) as Promise<T> | undefined;
  if (!answer) {
    answer = api.get<T>(path);
    once.set(path, answer);
    answer.catch(() => once.delete(path));
  }
  if (!signal) return answer;
  // One caller giving up cancels its wait, not the request the others share.
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(new DOMException('Запрос отменён', 'AbortError'));
    if (signal.aborted) return abort();
    signal.addEventListener('abort', abort, { once: true });
    answer.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

export function events(signal?: AbortSignal): Promise<EventList> {
  return shared<EventList>('/api/events', signal);
}

export function agenda(id: string, signal?: AbortSignal): Promise<Agenda> {
  return shared<Agenda>(eventPath(id), signal);
}

export function timeline(id: string, signal?: AbortSignal): Promise<Timeline> {
  return api.get<Timeline>(eventPath(id, '/timeline'), withSignal(signal));
}

export function announcements(id: string, signal?: AbortSignal): Promise<{ announcements?: Announcement[] }> {
  return api.get<{ announcements?: Announcement[] }>(eventPath(id, '/announcements'), withSignal(signal));
}

// POST …/announcements: publishes one and mails it to the participants (`letters` queued).
export function announce(id: string, title: string, text: string): Promise<{ letters?: number }> {
  return api.post<{ letters?: number }>(eventPath(id, '/announcements'), { title, text });
}

export function health(signal?: AbortSignal): Promise<Health> {
  return api.get<Health>('/api/health', withSignal(signal));
}
