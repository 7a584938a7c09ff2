// The participants' reminders (docs/protocol.md, "Participants' reminders"): each kind the agenda
// describes with its next moment and how many people, and the organiser's switch per kind.
import { api } from '../api';
import { eventPath, segment, withSignal } from './paths';

export interface ReminderKind {
  kind: string;
  title: string;
  description: string;
  enabled: boolean;
  next_at: string | null;
  people: number;
  sent: number;
  hours_before: number[];
}

export async function kinds(id: string, signal?: AbortSignal): Promise<ReminderKind[]> {
  const r = await api.get<{ kinds: ReminderKind[] }>(eventPath(id, '/reminders/participants'), withSignal(signal));
  return r.kinds;
}

export async function setEnabled(id: string, kind: string, enabled: boolean): Promise<ReminderKind[]> {
  const r = await api.put<{ kinds: ReminderKind[] }>(eventPath(id, `/reminders/participants/${segment(kind)}`), { enabled });
  return r.kinds;
}
