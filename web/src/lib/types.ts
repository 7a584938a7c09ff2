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

// A value the organiser has still to fill in is marked "placeholder" (every value, or a list of
// keys); the server leaves such values out of the public agenda, and the pages never show one.
export interface Contact {
  name?: string;
  phone?: string;
  email?: string;
  placeholder?: boolean | string[];
}

export interface Organiser {
  id?: string;
  title?: string;
  description?: string;
  contact?: Contact;
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
  organisers?: Organiser[];
  time_zone?: string;
  utc_offset?: string;
  stages?: AgendaStage[];
  milestones?: Milestone[];
  sections?: AgendaSection[];
  timetable?: AgendaSession[];
  venues?: Venue[];
  fees?: Fees;
  files?: Record<string, FilePurpose>;
  registration_form?: FormSpec;
  practice?: PracticeSpec;
  review?: ReviewSpec;
  // Parts the pages only test for: which kinds of work the event has.
  gallery?: unknown;
  flashmob?: unknown;
  section_day?: unknown;
  contest?: ContestSpec;
  certificates?: unknown;
  proceedings?: unknown;
  order?: unknown;
}

// The registration form's privacy part (152-ФЗ) as the pages read it: the words of the withdrawal.
export interface PrivacySpec {
  withdrawn_name?: string;
  archive_name?: string;
  withdraw_confirmation?: string;
  withdrawn_notice?: string;
}

// The agenda's review part as the pages read it: the criteria experts score, the decisions
// (id → Russian wording) and which of them need a reason.
export interface ReviewSpec {
  criteria?: Array<{ id: string; title?: string; max?: number }>;
  outcomes?: Record<string, string>;
  reason_required_for?: string[];
  outcomes_public_from?: string;
}

export interface ContestSpec {
  eligibility?: { institution_field?: string; inn_field?: string; one_application_per_institution?: boolean };
  laureates?: { public_from?: string };
  post?: { deadline?: string };
}

// One field of an agenda form. The renderer in components/FormFields.tsx knows every `type`.
export interface FormField {
  number?: number;
  id: string;
  label?: string;
  hint?: string;
  type?: string; // text | textarea | phone | email | url | year | choice | consent | inn | kpp | object | list
  required?: boolean;
  required_if?: { year_field?: string; running_years_gt?: number };
  shown_if?: { field?: string; values?: Array<string | number> }; // asked only for these answers of a top-level field
  fields?: FormField[]; // object, and list of objects
  item_type?: string; // list of scalars
  min_items?: number;
  max_items?: number;
  max_length?: number;
  options?: Array<{ id: string | number; title?: string }>;
  options_from?: string; // "sections" | "payment_forms"
  attachments?: string; // a files purpose: the item may be answered (also) by files of it
}

export interface FormSpec {
  title?: string;
  per?: string; // "author" (each author and co-author) | "applicant" (one for the institution)
  fields?: FormField[];
  privacy?: PrivacySpec;
}

export interface PracticeType {
  id: string;
  title?: string;
  description?: string;
}

// How the site names one practice of the event (practice.words; the contest: «заявка»).
export interface PracticeWords {
  one?: string;
  accusative?: string;
  genitive?: string;
  many?: string;
  dative_plural?: string;
  genitive_plural?: string;
  gender?: 'feminine' | 'masculine' | 'neuter';
  to_review?: string;
  decision?: string;
}

export interface PracticeSpec {
  types?: PracticeType[];
  words?: PracticeWords;
  fields?: FormField[];
}

export interface Fees {
  currency?: string;
  per_practice?: number;
  payment_forms?: Array<{ id: string; title?: string }>;
  payment_proof?: string;
  // The organiser's requisites; {placeholder: true} while they are still the template's.
  contract?: { placeholder?: boolean };
}

export interface FileKind {
  id: string;
  title?: string;
  extensions?: string[];
  max_bytes?: number;
  min_bytes?: number;
  max_duration_seconds?: number;
  max_slides?: number;
}

export interface FilePurpose {
  title?: string;
  kinds?: FileKind[];
  max_files?: number;
  accepted_during?: string[];
  required_at_submission?: boolean;
  work_kinds?: Array<{ id: string; title?: string }>;
  formatting?: Formatting;
  accepted_until?: string; // new files taken until this instant even after the stages close
}

// The agenda's formatting rules of a document (clause 6.5 in the conference), as the server checks them.
export interface Formatting {
  font?: string;
  font_size_pt?: number;
  line_spacing?: number;
  alignment?: string;
  first_line_indent_cm?: number;
  margins_cm?: { left?: number; top?: number; bottom?: number; right?: number };
  caption_font_size_pt?: number;
  reference_example?: string;
}

export type Answers = Record<string, unknown>;

export interface FieldErrorJson {
  path: string;
  code?: string;
  message?: string;
}

export interface Practice {
  id: number;
  event?: string;
  section?: number;
  section_title?: string;
  type?: string;
  state?: 'draft' | 'submitted' | string;
  revision?: number;
  answers?: Answers;
  title?: string;
  owner?: { id?: number; email?: string; full_name?: string };
  co_authors?: Array<{ email: string; registered?: boolean }>;
  missing?: FieldErrorJson[];
  unsaved?: FieldErrorJson[]; // after a PATCH of a draft: the fields whose errors kept them from being saved
  editable?: boolean;
  fee?: number;
  payment?: Payment;
  files?: Array<{ id: string; purpose?: string; field?: string | null; file_name?: string; length?: number; state?: string; url?: string; verdict?: unknown }>;
  outcome?: { outcome?: string; reason?: string; notified_at?: string } | null;
  created_at?: string;
  updated_at?: string;
  submitted_at?: string;
}

export interface Payment {
  state?: 'awaiting_proof' | 'proof_sent' | 'confirmed' | 'returned' | string;
  amount?: number;
  currency?: string;
  reason?: string | null;
  upload?: string;
  sent_at?: string;
  decided_at?: string | null;
}

export interface MyPractices {
  practices?: Practice[];
  fee?: { per_practice?: number; practices?: number; total?: number; currency?: string };
  editable?: boolean;
}

export interface Registration {
  answers?: Answers;
  consents?: Record<string, string>;
  complete?: boolean;
  updated_at?: string;
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
