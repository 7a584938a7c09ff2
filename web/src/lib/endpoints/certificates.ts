// The documents after the event (docs/protocol.md, "After the event"): the participant's own
// certificates, a certificate's public check, the organiser's issuing job and list, the
// proceedings, the order on the results and the tables to download.
import { api } from '../api';
import type { MyCertificates, Verification } from '../certificates';
import { eventPath, query, segment, withSignal } from './paths';

export interface Job {
  id: number;
  state: 'running' | 'done' | string;
  total: number;
  done: number;
  failed: number;
  percent: number;
  finished_at?: string | null;
}

export interface IssuedCertificate {
  number: string;
  user?: { full_name?: string; email?: string };
  email?: string;
  title?: string;
  state: string;
  error?: string | null;
  mail?: string | null;
  url?: string;
}

export function mine(id: string, signal?: AbortSignal): Promise<MyCertificates> {
  return api.get<MyCertificates>(eventPath(id, '/certificates/mine'), withSignal(signal));
}

// Anyone may check a number: a 404 means no such document was issued.
export function verify(number: string, signal?: AbortSignal): Promise<Verification> {
  return api.get<Verification>(`/api/certificates/${segment(number)}`, withSignal(signal));
}

export function issued(id: string, signal?: AbortSignal): Promise<{ certificates?: IssuedCertificate[]; job?: Job | null }> {
  return api.get<{ certificates?: IssuedCertificate[]; job?: Job | null }>(eventPath(id, '/certificates'), withSignal(signal));
}

// Starts the background job that makes (and, with sendMail, mails) every certificate.
export function startJob(id: string, sendMail: boolean): Promise<{ job: Job }> {
  return api.post<{ job: Job }>(eventPath(id, '/certificates/jobs'), { send_mail: sendMail });
}

export function archiveUrl(id: string): string {
  return eventPath(id, '/certificates/archive');
}

export function proceedingsUrl(id: string): string {
  return eventPath(id, '/proceedings');
}

// The letter with the proceedings' link to every participant.
export function mailProceedings(id: string): Promise<{ participants: number; queued: number }> {
  return api.post<{ participants: number; queued: number }>(eventPath(id, '/proceedings/mail'));
}

export function orderUrl(id: string): string {
  return eventPath(id, '/order');
}

export function exportUrl(id: string, which: string, format: 'csv' | 'xlsx'): string {
  return eventPath(id, `/exports/${segment(which)}${query({ format })}`);
}
