// A discreet line on every page while the server's clock is set (a demo or a test started with
// --clock): the event's time as the server counts it, so nobody takes 2020 for today. Reads
// GET /api/health (`clock.set`, `clock.speed`, `now`) once and counts on locally.
import { useEffect, useState } from 'preact/hooks';
import * as events from '../lib/endpoints/events';
import { useLoad } from '../lib/hooks';
import { formatDateTime } from '../lib/time';

interface DemoClock {
  serverMs: number;
  readAt: number;
  speed: number;
  offsets: Record<string, string>;
  firstOffset: string;
}

async function readClock(signal: AbortSignal): Promise<DemoClock | null> {
  const health = await events.health(signal);
  const serverMs = Date.parse(health.now ?? '');
  if (!health.clock?.set || Number.isNaN(serverMs)) return null;
  const list = await events.events(signal);
  const offsets: Record<string, string> = {};
  for (const e of list.events ?? []) if (e.id && e.utc_offset) offsets[e.id] = e.utc_offset;
  return {
    serverMs,
    readAt: Date.now(),
    speed: health.clock.speed ?? 1,
    offsets,
    firstOffset: list.events?.[0]?.utc_offset ?? '+00:00',
  };
}

// The event whose pages these are gives the offset; elsewhere the first event's.
function offsetFor(clock: DemoClock): string {
  const id = /^\/events\/([^/]+)/.exec(window.location.pathname)?.[1];
  return (id && clock.offsets[decodeURIComponent(id)]) || clock.firstOffset;
}

export function DemoClockBanner() {
  const loaded = useLoad('demo-clock', readClock);
  const clock = loaded.status === 'ok' ? loaded.data : null;
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!clock) return;
    const timer = setInterval(() => setTick((n) => n + 1), clock.speed > 1 ? 1000 : 15_000);
    return () => clearInterval(timer);
  }, [clock]);
  if (!clock) return null;
  const offset = offsetFor(clock);
  const now = new Date(clock.serverMs + (Date.now() - clock.readAt) * clock.speed).toISOString();
  return (
    <aside class="demo-clock" aria-label="Часы мероприятия" data-testid="demo-clock">
      Демонстрационный режим: на часах мероприятия {formatDateTime(now, offset)} (UTC{offset})
      {clock.speed !== 1 ? `, время идёт в ${clock.speed} раз быстрее` : ''}
    </aside>
  );
}
