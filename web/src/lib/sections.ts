// The section day's data as the server sends it (docs/protocol.md, "The section day"): running
// orders, the overview of sections and sessions with their video rooms, attendance, results.

export interface PracticeInfo {
  id: number;
  title: string;
  institution: string;
  authors: string[];
}

// A slot of a running order with its planned times.
export interface TimedSlot {
  position: number;
  practice: number;
  seconds: number;
  minutes: number;
  starts_at?: string;
  ends_at?: string;
  info?: PracticeInfo;
}

// GET …/sections/{n}/schedule; draft, fits, unscheduled and draft_differs for the organiser only.
export interface Schedule {
  event: string;
  section: number;
  published: TimedSlot[] | null;
  published_at: string | null;
  draft?: TimedSlot[];
  fits?: boolean;
  unscheduled?: PracticeInfo[];
  draft_differs?: boolean;
}

export interface SessionInfo {
  id: string;
  title: string;
  starts: string;
  ends: string;
  room_url: string;
  moderator: string;
}

export interface SectionSummary {
  number: number;
  title: string;
  room_url: string;
  contact: { name: string; phone: string };
  schedule: { published_at: string; slots: TimedSlot[] } | null;
}

// GET …/sections
export interface Overview {
  sections: SectionSummary[];
  sessions: { sections: SessionInfo | null; welcome: SessionInfo | null; results: SessionInfo | null };
  warn_before_minutes: number[];
  slot_minutes: { min: number; max: number };
  gap_minutes: number;
}

export interface AttendanceRow {
  section: number;
  user: { id: number; full_name: string; email: string };
  first_joined: string;
  seconds: number;
  minutes: number;
}

export interface Results {
  text: string;
  sections: Array<{ section: number; title: string; best: PracticeInfo[]; note: string }>;
  published_at: string;
  session: SessionInfo | null;
}

// GET …/sections/mine: the caller's slots as a presenter, and the notices about them.
export interface MySlot {
  practice: number;
  section: number;
  section_title: string;
  room_url: string;
  slot: TimedSlot | null;
}
export interface SlotNotice {
  id: number;
  section: number;
  practice: number;
  text: string;
  created_at: string;
}
export interface MySlots {
  slots: MySlot[];
  notices: SlotNotice[];
}

// Only links of the web (the data is the organiser's, but a link must not run script).
export function webLink(url: unknown): string | null {
  return typeof url === 'string' && /^https?:\/\//.test(url) ? url : null;
}

// "12 мин", "12 мин 30 с"
export function formatMinutes(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return s ? `${m} мин ${s} с` : `${m} мин`;
}

export function practiceTitle(info: PracticeInfo | undefined, id: number): string {
  return info?.title || `№ ${id}`;
}
