// The section day (docs/protocol.md, "The section day"): the overview of sections and sessions, a
// section's running order and the organiser's work on it, attendance, the presenter's own slots,
// and the results of the conference.
import { api } from '../api';
import type { AttendanceRow, MySlots, Overview, Results, Schedule } from '../sections';
import { eventPath, query, segment, withSignal } from './paths';

function sectionsPath(id: string, rest = ''): string {
  return eventPath(id, `/sections${rest}`);
}

function schedulePath(id: string, n: number, rest = ''): string {
  return sectionsPath(id, `/${segment(n)}/schedule${rest}`);
}

export function overview(id: string, signal?: AbortSignal): Promise<Overview> {
  return api.get<Overview>(sectionsPath(id), withSignal(signal));
}

export function mySlots(id: string, signal?: AbortSignal): Promise<MySlots> {
  return api.get<MySlots>(sectionsPath(id, '/mine'), withSignal(signal));
}

export async function attendance(id: string, section: number, signal?: AbortSignal): Promise<AttendanceRow[]> {
  const r = await api.get<{ attendance: AttendanceRow[] }>(sectionsPath(id, `/attendance${query({ section })}`), withSignal(signal));
  return r.attendance;
}

export function attendanceTable(id: string, section: number): string {
  return sectionsPath(id, `/attendance${query({ section, format: 'csv' })}`);
}

export function schedule(id: string, n: number, signal?: AbortSignal): Promise<Schedule> {
  return api.get<Schedule>(schedulePath(id, n), withSignal(signal));
}

// The organiser's draft order; the server answers the schedule with its times.
export function saveDraft(id: string, n: number, slots: Array<{ practice: number; seconds: number }>): Promise<Schedule> {
  return api.put<Schedule>(schedulePath(id, n), { slots });
}

export function makeDraft(id: string, n: number): Promise<Schedule> {
  return api.post<Schedule>(schedulePath(id, n, '/draft'));
}

// Publishes the draft; authors whose time changed are notified.
export function publish(id: string, n: number): Promise<Schedule> {
  return api.post<Schedule>(schedulePath(id, n, '/publish'));
}

export async function results(id: string, signal?: AbortSignal): Promise<Results | null> {
  const r = await api.get<{ results: Results | null }>(eventPath(id, '/results'), withSignal(signal));
  return r.results;
}

export async function publishResults(
  id: string,
  body: { text: string; sections: Array<{ section: number; best: number[]; note: string }> },
): Promise<Results | null> {
  const r = await api.put<{ results: Results | null }>(eventPath(id, '/results'), body);
  return r.results;
}

// Calendars (.ics): the event's timetable, a section's running order, the caller's own items.
export function eventCalendarUrl(id: string): string {
  return eventPath(id, '/calendar.ics');
}

export function sectionCalendarUrl(id: string, n: number | string): string {
  return sectionsPath(id, `/${segment(n)}/calendar.ics`);
}

export function myCalendarUrl(id: string): string {
  return eventPath(id, '/calendar/mine.ics');
}

// The caller's subscription address (a secret in the path), null when they have none.
export interface CalendarFeed {
  url: string | null;
}

export function calendarFeed(id: string, signal?: AbortSignal): Promise<CalendarFeed> {
  return api.get<CalendarFeed>(eventPath(id, '/calendar/feed'), withSignal(signal));
}

// A new address; the previous one stops working.
export function renewCalendarFeed(id: string): Promise<CalendarFeed> {
  return api.post<CalendarFeed>(eventPath(id, '/calendar/feed'));
}

export function revokeCalendarFeed(id: string): Promise<CalendarFeed> {
  return api.delete<CalendarFeed>(eventPath(id, '/calendar/feed'));
}
