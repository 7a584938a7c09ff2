// The stages of the event: what is open now and what comes next, the time zone the dates are in,
// and one card per stage with its dates and state.
import { kStateWord } from '../../lib/roles';
import { formatDateTime, formatRange, formatUntil, isoOrUndefined, parseInstant } from '../../lib/time';
import type { StageView } from './stages';

export function NowPanel({ stages, hasTimeline, offset }: { stages: StageView[]; hasTimeline: boolean; offset?: string }) {
  const open = stages.filter((s) => s.state === 'open');
  const next = stages
    .filter((s) => s.state === 'upcoming' && parseInstant(s.opens) !== null)
    .sort((x, y) => parseInstant(x.opens)! - parseInstant(y.opens)!)[0];
  return (
    <section class="now" aria-live="polite" data-testid="open-stages" data-open={open.map((s) => s.id).join(' ')}>
      {!hasTimeline ? (
        <p>Уточняем, какой этап идёт сейчас…</p>
      ) : open.length > 0 ? (
        <>
          <p class="now__label">{open.length > 1 ? 'Сейчас идут этапы:' : 'Сейчас идёт этап:'}</p>
          <ul class="now__list">
            {open.map((s) => (
              <li key={s.id}>
                <strong>{s.title}</strong>
                {s.closes && <span class="now__until"> — {formatUntil(s.closes, offset)}</span>}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p class="now__label">Сейчас ни один этап не идёт.</p>
      )}
      {hasTimeline && next && (
        <p class="now__next">
          Следующий этап: <strong>{next.title}</strong>, начало {formatDateTime(next.opens, offset)}
        </p>
      )}
    </section>
  );
}

// The zone's Russian name from the browser («Иркутск»), never its identifier (Asia/Irkutsk).
function zoneName(timeZone?: string): string {
  if (!timeZone) return '';
  try {
    const parts = new Intl.DateTimeFormat('ru-RU', { timeZone, timeZoneName: 'shortGeneric' }).formatToParts(new Date());
    const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? '';
    return /[А-Яа-яЁё]/.test(name) ? name : '';
  } catch {
    return '';
  }
}

export function TimeZoneNote({ timeZone, offset }: { timeZone?: string; offset?: string }) {
  const details = [zoneName(timeZone), offset ? `UTC${offset}` : ''].filter(Boolean).join(', ');
  if (!details) return null;
  return <p class="muted" data-testid="time-zone-note">Время указано по часовому поясу мероприятия ({details}).</p>;
}

export function StageCard({ stage, offset }: { stage: StageView; offset?: string }) {
  const state = stage.state;
  return (
    <li class={`stage${state ? ` stage--${state}` : ''}`} data-testid={`stage-${stage.id}`} data-state={state ?? 'unknown'}>
      <div class="stage__head">
        <h3 class="stage__title">{stage.title}</h3>
        {state && <span class={`badge badge--${state}`}>{kStateWord[state]}</span>}
      </div>
      {(stage.opens || stage.closes) && (
        <p class="stage__dates">
          <time dateTime={isoOrUndefined(stage.opens)}>{formatRange(stage.opens, stage.closes, offset)}</time>
        </p>
      )}
      {stage.description && <p class="stage__description">{stage.description}</p>}
    </li>
  );
}
