// Personal data on request (docs/protocol.md, "Personal data on request"): the person's archive,
// the withdrawal of consent, and the organiser's log of such requests.
import { api } from '../api';
import { eventPath, withSignal } from './paths';

export interface PrivacyRequest {
  id: number;
  user: number;
  kind: 'export' | 'withdrawal';
  at: string;
}

// The address of the archive: a plain link downloads it with the session cookie.
export function archiveUrl(id: string): string {
  return eventPath(id, '/personal-data');
}

export function withdraw(id: string): Promise<{ withdrawn: boolean }> {
  return api.post<{ withdrawn: boolean }>(eventPath(id, '/personal-data/withdrawal'), { confirm: true });
}

export function requests(id: string, signal?: AbortSignal): Promise<{ requests: PrivacyRequest[] }> {
  return api.get<{ requests: PrivacyRequest[] }>(eventPath(id, '/personal-data/requests'), withSignal(signal));
}
