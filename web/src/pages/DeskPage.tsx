// The organiser's desk (/events/:id/desk): every organiser page of the event, grouped by the stage
// whose work it serves, with that stage's dates and whether it is open now. The groups follow the
// parts the agenda has (fees, review, flashmob, gallery, section day, contest, certificates).
// Above them: the milestones whose warning window has opened with work still left (what is left
// and the deadline as the regulations say it), what the agenda still holds as placeholders (the
// organiser fills it in), and the announcement of changed conditions (clause 3.2.1), shown on the
// event page and mailed to everyone registered.
import * as events from '../lib/endpoints/events';
import { useLoad } from '../lib/hooks';
import type { EventContext } from '../lib/intake';
import { eventBase, kStateWord } from '../lib/roles';
import { formatRange } from '../lib/time';
import { listOf, textOf, type TimelineStage } from '../lib/types';
import { Breadcrumbs } from '../components/common/Breadcrumbs';
import { OrganiserOnly } from '../components/common/OrganiserOnly';
import { Announce } from '../components/desk/Announce';
import { Reminders, ToFill } from '../components/desk/DeskNotices';
import { groupsOf } from '../components/desk/groups';

export function DeskPage({ id }: { id: string }) {
  return (
    <OrganiserOnly id={id} title="Кабинет организатора" loginWhat="открыть кабинет организатора">
      {(ctx) => <Desk ctx={ctx} />}
    </OrganiserOnly>
  );
}

function Desk({ ctx }: { ctx: EventContext }) {
  const timeline = useLoad(`desk-timeline:${ctx.id}`, (signal) => events.timeline(ctx.id, signal));
  const stages = timeline.status === 'ok' ? listOf<TimelineStage>(timeline.data.stages) : [];
  const agendaStage = (id: string) => (ctx.agenda.stages ?? []).find((s) => s.id === id);
  const title = textOf(ctx.agenda.title) || ctx.id;
  return (
    <article class="intake" data-testid="desk">
      <Breadcrumbs items={[{ href: eventBase(ctx.id), title }, { title: 'Кабинет организатора' }]} />
      <h1>Кабинет организатора</h1>
      <Reminders ctx={ctx} />
      <ToFill ctx={ctx} />
      <Announce ctx={ctx} />
      <div class="desk__groups">
        {groupsOf(ctx).map((g) => {
          const stage = agendaStage(g.stage);
          const live = stages.find((s) => s.id === g.stage);
          return (
            <section key={g.key} class="card" aria-labelledby={`desk-${g.key}`} data-testid={`desk-group-${g.key}`}>
              <h2 id={`desk-${g.key}`}>
                {textOf(stage?.title) || g.fallback}
                {live?.state && (
                  <>
                    {" "}
                    <span class={`badge badge--${live.state}`}>{kStateWord[live.state]}</span>
                  </>
                )}
              </h2>
              {stage && (stage.opens || stage.closes) && <p class="muted">{formatRange(stage.opens, stage.closes, ctx.offset)}</p>}
              <ul class="desk__links">
                {g.links.map((l) => (
                  <li key={l.href}>
                    <a class="button button--secondary" href={l.href} data-testid={l.testId}>
                      {l.title}
                    </a>
                  </li>
                ))}
              </ul>
            </section>
          );
        })}
      </div>
    </article>
  );
}
