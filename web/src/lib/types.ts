// Shapes of the server's JSON as the pages read them. Everything the agenda carries is optional
// here on purpose: the agenda is data an organiser edits, and a missing key must not break a page.

export interface EventSummary {
  id: string;
  title?: string;
  time_zone?: string;
  utc_offset?: string;
}

export interface EventList {
  events?: EventSummary[];
}

export interface AgendaStage {
  id: string;
  title?: string;
  description?: string;
  opens?: string;
  closes?: string;
}

export interface Contact {
  name?: string;
  phone?: string;
  email?: string;
}

export interface AgendaSection {
  number?: number;
  title?: string;
  description?: string;
  contact?: Contact;
  room_url?: string;
}

export interface AgendaSession {
  id?: string;
  title?: string;
  starts?: string;
  ends?: string;
  stage?: string;
  room_url?: string;
  moderator?: string;
  access_by?: string;
}

export interface Milestone {
  id?: string;
  title?: string;
  at?: string;
}

export interface Venue {
  id?: string;
  title?: string;
  url?: string;
}

export interface Agenda {
  id?: string;
  kind?: string;
  title?: string;
  subtitle?: string;
  forum?: string;
  time_zone?: string;
  utc_offset?: string;
  stages?: AgendaStage[];
  milestones?: Milestone[];
  sections?: AgendaSection[];
  timetable?: AgendaSession[];
  venues?: Venue[];
}

export type StageState = 'upcoming' | 'open' | 'closed';

export interface TimelineStage {
  id: string;
  title?: string;
  opens?: string;
  closes?: string;
  state?: StageState;
}

export interface Timeline {
  now?: string;
  open?: string[];
  stages?: TimelineStage[];
}

export interface User {
  id: number | string;
  email: string;
  full_name: string;
}

export interface RoleGrant {
  event?: string;
  role: string;
  section?: number;
}

export interface Me {
  user: User;
  roles?: RoleGrant[];
}

// Reads an array that may be missing or of the wrong type.
export function listOf<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value.filter((v) => typeof v === 'object' && v !== null) as T[]) : [];
}

export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object' && value !== null) {
    const o = value as { title?: unknown; name?: unknown };
    if (typeof o.title === 'string') return o.title;
    if (typeof o.name === 'string') return o.name;
  }
  return '';
}
