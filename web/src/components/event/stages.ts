// The event's stages as its page shows them: the agenda's stages with the timeline's states
// merged in, and the newer of two timelines (a slow HTTP answer must not undo a push).
import { parseInstant } from '../../lib/time';
import { listOf, textOf, type Agenda, type AgendaStage, type StageState, type Timeline, type TimelineStage } from '../../lib/types';

export function asTimeline(value: unknown): Timeline | null {
  if (typeof value !== 'object' || value === null) return null;
  const t = value as Timeline;
  if (!Array.isArray(t.stages) && !Array.isArray(t.open)) return null;
  return t;
}

// Keeps the newest of two timelines by their "now": a slow HTTP answer must not undo a push.
export function newer(current: Timeline | null, incoming: Timeline): Timeline {
  if (!current) return incoming;
  const a = parseInstant(current.now);
  const b = parseInstant(incoming.now);
  if (a !== null && b !== null && b < a) return current;
  return incoming;
}

export interface StageView {
  id: string;
  title: string;
  description: string;
  opens?: string;
  closes?: string;
  state?: StageState;
}

export function mergeStages(agenda: Agenda, timeline: Timeline | null): StageView[] {
  const fromTimeline = new Map<string, TimelineStage>();
  for (const s of listOf<TimelineStage>(timeline?.stages)) if (typeof s.id === 'string') fromTimeline.set(s.id, s);
  const open = new Set(Array.isArray(timeline?.open) ? timeline.open : []);

  const stateOf = (id: string): StageState | undefined => {
    const st = fromTimeline.get(id)?.state;
    if (st === 'open' || st === 'upcoming' || st === 'closed') return st;
    if (timeline && open.has(id)) return 'open';
    return undefined;
  };

  const views: StageView[] = [];
  const seen = new Set<string>();
  for (const s of listOf<AgendaStage>(agenda.stages)) {
    if (typeof s.id !== 'string' || seen.has(s.id)) continue;
    seen.add(s.id);
    const t = fromTimeline.get(s.id);
    views.push({
      id: s.id,
      title: textOf(s.title) || textOf(t?.title) || s.id,
      description: textOf(s.description),
      opens: s.opens ?? t?.opens,
      closes: s.closes ?? t?.closes,
      state: stateOf(s.id),
    });
  }
  for (const t of fromTimeline.values()) {
    if (seen.has(t.id)) continue;
    views.push({ id: t.id, title: textOf(t.title) || t.id, description: '', opens: t.opens, closes: t.closes, state: stateOf(t.id) });
  }
  return views;
}

export function stageById(stages: StageView[], id: string): StageView | undefined {
  return stages.find((s) => s.id === id);
}
