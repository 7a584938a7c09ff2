// The intake (docs/protocol.md, "Intake"): the participant's registration form, cabinet and
// practices, the payment document, and the organiser's lists of practices, participants and files
// with their tables for a spreadsheet.
import { api, type UploadOptions, upload } from '../api';
import type { Answers, MyPractices, Practice, Registration, User } from '../types';
import { eventPath, query, segment, uploadPath, withSignal } from './paths';

// GET …/cabinet: the intake's list, each practice with the decision on it.
export interface CabinetPractice extends Practice {
  outcome?: { outcome?: string; reason?: string; decided_at?: string } | null;
  in_gallery?: boolean;
  payment?: { state?: string; reason?: string | null };
  files?: Array<{ id: string; purpose?: string; file_name?: string; url?: string; state?: string }>;
}
export interface CabinetData extends MyPractices {
  practices?: CabinetPractice[];
  gallery?: { readable?: boolean; open?: boolean; opens?: string | null };
}

export interface Participant {
  user: User;
  answers?: Answers;
  consents?: Record<string, string>;
  practices_owned?: number;
  practices_co_authored?: number;
}

// A file sent to the event, as the organiser's list of all files shows it.
export interface SentFile {
  id: string;
  purpose: string;
  file_name: string;
  length: number;
  state: string;
  owner: { id: number; full_name?: string; email?: string };
  practice: number | null;
  practice_title: string | null;
  created_at: string;
  url: string;
}

// The organiser's filters of the practice list (each left out when empty).
export interface PracticeFilter {
  section?: string;
  type?: string;
  state?: string;
  payment?: string;
}

export type TableFormat = 'csv' | 'xlsx';

export function cabinet(id: string, signal?: AbortSignal): Promise<CabinetData> {
  return api.get<CabinetData>(eventPath(id, '/cabinet'), withSignal(signal));
}

export async function registration(id: string, signal?: AbortSignal): Promise<Registration | null> {
  const r = await api.get<{ registration: Registration | null }>(eventPath(id, '/registration'), withSignal(signal));
  return r.registration ?? null;
}

export async function saveRegistration(id: string, answers: Answers): Promise<Registration> {
  const r = await api.put<{ registration: Registration }>(eventPath(id, '/registration'), { answers });
  return r.registration;
}

function practicePath(id: string, n: string | number, rest = ''): string {
  return eventPath(id, `/practices/${segment(n)}${rest}`);
}

export function practice(id: string, n: string | number, signal?: AbortSignal): Promise<Practice> {
  return api.get<Practice>(practicePath(id, n), withSignal(signal));
}

export function createPractice(id: string, body: Record<string, unknown>): Promise<Practice> {
  return api.post<Practice>(eventPath(id, '/practices'), body);
}

// PATCH of the changed top-level fields with the revision they were based on.
export function patchPractice(id: string, n: number, body: Record<string, unknown>): Promise<Practice> {
  return api.patch<Practice>(practicePath(id, n), body);
}

export function submitPractice(id: string, n: number): Promise<Practice> {
  return api.post<Practice>(practicePath(id, n, '/submit'), {});
}

export function deletePractice(id: string, n: number): Promise<unknown> {
  return api.delete(practicePath(id, n));
}

// The author's payment document (an upload of purpose "payment") for the organiser to check.
export function sendPaymentProof(id: string, n: number, upload: string): Promise<Practice> {
  return api.post<Practice>(practicePath(id, n, '/payment'), { upload });
}

// The payment contract for the chosen payment form, as a document to open.
export function contractUrl(id: string, paymentForm: string): string {
  return eventPath(id, `/contract${query({ payment_form: paymentForm })}`);
}

export async function adminPractices(id: string, filter: PracticeFilter, signal?: AbortSignal): Promise<Practice[]> {
  const r = await api.get<{ practices?: Practice[] }>(eventPath(id, `/intake/practices${query({ ...filter })}`), withSignal(signal));
  return r.practices ?? [];
}

export function adminPracticesTable(id: string, filter: PracticeFilter, format: TableFormat): string {
  return eventPath(id, `/intake/practices${query({ ...filter, format })}`);
}

// The organiser's decision on a payment document: confirm it, or return it with a reason.
export function decidePayment(id: string, n: number, decision: 'confirm' | 'return', reason: string): Promise<Practice> {
  return api.post<Practice>(eventPath(id, `/intake/practices/${segment(n)}/payment`), { decision, reason });
}

export async function participants(id: string, signal?: AbortSignal): Promise<Participant[]> {
  const r = await api.get<{ participants?: Participant[] }>(eventPath(id, '/intake/participants'), withSignal(signal));
  return r.participants ?? [];
}

export function participantsTable(id: string, format: TableFormat): string {
  return eventPath(id, `/intake/participants${query({ format })}`);
}

export async function files(id: string, purpose: string, signal?: AbortSignal): Promise<SentFile[]> {
  const r = await api.get<{ files: SentFile[] }>(eventPath(id, `/intake/files${query({ purpose })}`), withSignal(signal));
  return r.files;
}

export function filesTable(id: string, purpose: string, format: TableFormat): string {
  return eventPath(id, `/intake/files${query({ purpose, format })}`);
}

// The bytes of an upload, for a link (the organiser opens a payment scan).
export function uploadFileUrl(uploadId: string): string {
  return uploadPath(uploadId, '/file');
}

// The file checks that send the file only to be checked, never kept (docs/protocol.md, "Checks").
export function checkDocument<T>(id: string, file: File, options: UploadOptions): Promise<T> {
  return upload<T>(eventPath(id, `/check/document${query({ name: file.name })}`), file, options);
}

export function checkMedia<T>(id: string, purpose: string, file: File, options: UploadOptions): Promise<T> {
  return upload<T>(eventPath(id, `/check/media${query({ purpose, name: file.name })}`), file, options);
}
