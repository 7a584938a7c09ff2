// What every intake page loads first: the agenda (the forms, sections, fees, file rules) and the
// timeline (is the intake open, and the server's "now" for the current year), in one Loadable.
import { api } from './api';
import { kIntakeStage, yearAt } from './forms';
import { useLoad, type Loadable } from './hooks';
import type { Agenda, Timeline, TimelineStage } from './types';

export interface EventContext {
  id: string;
  agenda: Agenda;
  intake: TimelineStage | null;
  currentYear: number;
  offset?: string;
  open?: string[]; // the stages open when the page loaded (timeline.open)
}

export function eventPath(id: string, rest = ''): string {
  return `/api/events/${encodeURIComponent(id)}${rest}`;
}

export function useEventContext(id: string): Loadable<EventContext> {
  return useLoad(`event-context:${id}`, async (signal) => {
    const [agenda, timeline] = await Promise.all([
      api.get<Agenda>(eventPath(id), { signal }),
      api.get<Timeline>(eventPath(id, '/timeline'), { signal }).catch(() => ({}) as Timeline),
    ]);
    const intake = (timeline.stages ?? []).find((s) => s.id === kIntakeStage) ?? null;
    return { id, agenda, intake, currentYear: yearAt(timeline.now, agenda.utc_offset), offset: agenda.utc_offset, open: timeline.open ?? [] };
  });
}

export function rub(amount: number | undefined): string {
  return `${(amount ?? 0).toLocaleString('ru-RU')} ₽`;
}
