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

export function events(signal?: AbortSignal): Promise<EventList> {
  return api.get<EventList>('/api/events', withSignal(signal));
}

export function agenda(id: string, signal?: AbortSignal): Promise<Agenda> {
  return api.get<Agenda>(eventPath(id), withSignal(signal));
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
