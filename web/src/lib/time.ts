// Dates are shown in the event's own time zone, taken from the agenda's fixed UTC offset
// ("+08:00"), never from the browser's zone: a participant in Moscow sees Irkutsk time.

const kMonthsGenitive = [
  'января', 'февраля', 'марта', 'апреля', 'мая', 'июня',
  'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря',
];

// "+08:00" / "-03:30" / "Z" → minutes east of UTC; null when it is not an offset.
export function parseOffset(offset: unknown): number | null {
  if (typeof offset !== 'string') return null;
  if (offset === 'Z' || offset === 'z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(offset.trim());
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  if (minutes > 18 * 60) return null;
  return m[1] === '-' ? -minutes : minutes;
}

// An ISO 8601 instant → milliseconds since the epoch; null when it cannot be read.
export function parseInstant(value: unknown): number | null {
  if (typeof value !== 'string' || value === '') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

interface Parts {
  year: number;
  month: number; // 0-based
  day: number;
  hour: number;
  minute: number;
}

// The wall-clock fields at `offsetMinutes`; when the offset is unknown, the one written in the
// instant itself, and only then the browser's zone.
function partsAt(value: string, ms: number, offsetMinutes: number | null): Parts {
  let offset = offsetMinutes;
  if (offset === null) {
    const own = /([+-]\d{2}:?\d{2}|Z)$/i.exec(value);
    offset = own ? parseOffset(own[1]!.toUpperCase()) : null;
  }
  if (offset === null) {
    const d = new Date(ms);
    return { year: d.getFullYear(), month: d.getMonth(), day: d.getDate(), hour: d.getHours(), minute: d.getMinutes() };
  }
  const d = new Date(ms + offset * 60_000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth(),
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

function dateText(p: Parts): string {
  return `${p.day} ${kMonthsGenitive[p.month]} ${p.year}`;
}

function clockText(p: Parts): string {
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

// «29 июня 2020, 00:00»; the input unchanged when it is not an instant.
export function formatDateTime(value: unknown, offset: unknown): string {
  const ms = parseInstant(value);
  if (ms === null) return typeof value === 'string' ? value : '';
  const p = partsAt(value as string, ms, parseOffset(offset));
  return `${dateText(p)}, ${clockText(p)}`;
}

// «6 июля 2020»
export function formatDate(value: unknown, offset: unknown): string {
  const ms = parseInstant(value);
  if (ms === null) return typeof value === 'string' ? value : '';
  return dateText(partsAt(value as string, ms, parseOffset(offset)));
}

// «10:00»
export function formatTime(value: unknown, offset: unknown): string {
  const ms = parseInstant(value);
  if (ms === null) return typeof value === 'string' ? value : '';
  return clockText(partsAt(value as string, ms, parseOffset(offset)));
}

// A window of whole days (both ends at local midnight, the end exclusive) reads as the days it
// covers: «6–7 июля 2020», «29 июня — 4 июля 2020», «7 июля 2020». Other windows keep their times:
// «8 июля 2020, 10:00–13:00», «29 июня 2020, 09:00 — 4 июля 2020, 18:00».
export function formatRange(from: unknown, to: unknown, offset: unknown): string {
  const a = parseInstant(from);
  const b = parseInstant(to);
  if (a === null && b === null) return '';
  if (a === null) return `до ${formatDateTime(to, offset)}`;
  if (b === null) return `с ${formatDateTime(from, offset)}`;
  const off = parseOffset(offset);
  const pa = partsAt(from as string, a, off);
  const pb = partsAt(to as string, b, off);
  const midnight = (p: Parts) => p.hour === 0 && p.minute === 0;
  if (midnight(pa) && midnight(pb) && b > a) {
    const last = partsAt(to as string, b - 86_400_000, off);
    if (pa.year === last.year && pa.month === last.month && pa.day === last.day) return dateText(pa);
    if (pa.year === last.year && pa.month === last.month) return `${pa.day}–${dateText(last)}`;
    if (pa.year === last.year) return `${pa.day} ${kMonthsGenitive[pa.month]} — ${dateText(last)}`;
    return `${dateText(pa)} — ${dateText(last)}`;
  }
  if (pa.year === pb.year && pa.month === pb.month && pa.day === pb.day) {
    return `${dateText(pa)}, ${clockText(pa)}–${clockText(pb)}`;
  }
  return `${dateText(pa)}, ${clockText(pa)} — ${dateText(pb)}, ${clockText(pb)}`;
}

// When a window ends: «по 7 июля 2020 включительно» for an end at local midnight (the day before
// is the last whole day), «до 8 июля 2020, 13:00» otherwise.
export function formatUntil(value: unknown, offset: unknown): string {
  const ms = parseInstant(value);
  if (ms === null) return typeof value === 'string' ? `до ${value}` : '';
  const off = parseOffset(offset);
  const p = partsAt(value as string, ms, off);
  if (p.hour === 0 && p.minute === 0) return `по ${dateText(partsAt(value as string, ms - 86_400_000, off))} включительно`;
  return `до ${dateText(p)}, ${clockText(p)}`;
}

// The machine-readable value for <time datetime>.
export function isoOrUndefined(value: unknown): string | undefined {
  return parseInstant(value) === null ? undefined : (value as string);
}
