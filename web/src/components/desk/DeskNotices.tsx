// What the desk shows above its groups: the milestones whose warning window has opened with work
// still left (what is left and the deadline as the regulations say it), and what the agenda still
// holds as placeholders (the organiser fills it in).
import * as desk from '../../lib/endpoints/desk';
import type { Placeholder } from '../../lib/endpoints/desk';
import { useLoad } from '../../lib/hooks';
import type { EventContext } from '../../lib/intake';
import { listOf, textOf } from '../../lib/types';

export function Reminders({ ctx }: { ctx: EventContext }) {
  const found = useLoad(`desk-reminders:${ctx.id}`, (signal) => desk.reminders(ctx.id, signal));
  if (found.status !== 'ok') return null;
  if (found.data.length === 0) return <div data-testid="desk-reminders" data-count="0" />;
  return (
    <section
      class="card notice--warning"
      aria-label="Приближающиеся сроки"
      data-testid="desk-reminders"
      data-count={found.data.length}
    >
      {found.data.map((w) => (
        <div key={w.milestone} data-testid={`desk-reminder-${w.milestone}`} data-passed={w.passed ? 'yes' : 'no'}>
          <h2>
            {w.title} — {w.deadline_text}
            {w.passed && ' (срок прошёл)'}
          </h2>
          <p>Осталось сделать:</p>
          <ul>
            {w.left.map((l) => (
              <li key={l.text}>{l.text}</li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

// The agenda's values still marked as placeholders: the public never sees them, and the contract
// waits for the requisites. The server warns about the same list at start-up.
export function ToFill({ ctx }: { ctx: EventContext }) {
  const list = useLoad(`desk-placeholders:${ctx.id}`, (signal) => desk.placeholders(ctx.id, signal));
  if (list.status !== 'ok') return null;
  const items = listOf<Placeholder>(list.data.placeholders);
  if (items.length === 0) return null;
  return (
    <section class="card callout callout--error" aria-labelledby="desk-to-fill" data-testid="desk-placeholders">
      <h2 id="desk-to-fill">Заполните в программе мероприятия</h2>
      <p>
        Эти данные ещё не указаны{list.data.file ? ` (файл ${list.data.file})` : ''}: участники их не видят, а договор об оплате не выдаётся, пока
        нет реквизитов.
      </p>
      <ul>
        {items.map((p) => (
          <li key={p.path} data-testid="desk-placeholder">
            <strong>{textOf(p.title) || p.path}</strong>: {(Array.isArray(p.fields) ? p.fields.filter((f) => typeof f === 'string') : []).join(', ')} <span class="muted">({p.path})</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
