// The review part of the agenda as the pages use it: the decisions an expert (and the organiser)
// choose from, in the agenda's order and wording, and which of them need a reason.
import type { Agenda } from './types';

export interface Decision {
  id: string;
  title: string;
  needsReason: boolean;
}

export function decisionsOf(agenda: Agenda): Decision[] {
  const outcomes = agenda.review?.outcomes ?? {};
  const listed = agenda.review?.reason_required_for;
  return Object.entries(outcomes)
    .filter(([id, title]) => id !== 'note' && typeof title === 'string')
    .map(([id, title]) => ({
      id,
      title,
      // As the server reads it: without the list, only a rejection needs a reason.
      needsReason: Array.isArray(listed) ? listed.includes(id) : id === 'rejected',
    }));
}
