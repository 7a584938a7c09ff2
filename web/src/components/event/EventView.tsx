// The event's page itself: title, the organisers and how to reach them, announcements of changed
// conditions (newest first), stages with their dates in the event's time zone and which are open
// now, sections with contacts, the timetable, and how many people have the page open. Stage
// states and the count follow the server live over the WebSocket topic timeline:<id>. The front
// page shows it too, on a server that hosts one event.
import { useCallback, useEffect, useState } from 'preact/hooks';
import * as events from '../../lib/endpoints/events';
import { useLoad, useTopic } from '../../lib/hooks';
import { listOf, textOf, type AgendaSection, type AgendaSession, type Milestone, type Organiser, type Timeline, type Venue } from '../../lib/types';
import { Loading, Message } from '../common/Message';
import { Announcements } from './Announcements';
import { Organisers, Sections, Timetable, Venues } from './EventInfo';
import { EventCalendarLink } from '../calendar/Calendars';
import { EventLinks, StaffWork } from './EventLinks';
import { NowPanel, StageCard, TimeZoneNote } from './StagePanels';
import { asTimeline, mergeStages, newer } from './stages';

export function EventView({ id }: { id: string }) {
  const agenda = useLoad(`agenda:${id}`, (signal) => events.agenda(id, signal));
  const [timeline, setTimeline] = useState<Timeline | null>(null);
  const [presence, setPresence] = useState<number | null>(null);

  const acceptTimeline = useCallback((value: unknown) => {
    const t = asTimeline(value);
    if (t) setTimeline((current) => newer(current, t));
  }, []);

  // The timeline as asked over HTTP, merged with what the topic pushes (the newer one wins).
  const fetched = useLoad(`timeline:${id}`, (signal) => events.timeline(id, signal));
  useEffect(() => {
    setTimeline(null);
    setPresence(null);
  }, [id]);
  useEffect(() => {
    if (fetched.status === 'ok') acceptTimeline(fetched.data);
  }, [fetched.status === 'ok' ? fetched.data : null, acceptTimeline]);

  useTopic(`timeline:${id}`, {
    onSubscribed(data) {
      const d = (data ?? {}) as { timeline?: unknown; presence?: unknown };
      acceptTimeline(d.timeline);
      if (typeof d.presence === 'number') setPresence(d.presence);
    },
    onEvent(event, data) {
      const d = (data ?? {}) as { timeline?: unknown; count?: unknown };
      if (event === 'presence') {
        if (typeof d.count === 'number') setPresence(d.count);
      } else if (event === 'stage_opened' || event === 'stage_closed') {
        if (asTimeline(d.timeline)) acceptTimeline(d.timeline);
        else fetched.reload();
      }
    },
  });

  const title = agenda.status === 'ok' ? textOf(agenda.data.title) : '';
  useEffect(() => {
    if (title) document.title = title;
  }, [title]);

  if (agenda.status === 'loading') return <Loading />;
  if (agenda.status === 'error') {
    return (
      <Message title={agenda.httpStatus === 404 ? 'Мероприятие не найдено' : 'Не удалось загрузить мероприятие'}>
        <p role="alert">{agenda.message}</p>
        <p>
          <a href="/">На главную</a>
        </p>
      </Message>
    );
  }

  const a = agenda.data;
  const offset = a.utc_offset;
  const stages = mergeStages(a, timeline);

  return (
    <article class="event">
      <header class="event__head">
        {a.forum && <p class="event__forum">{textOf(a.forum)}</p>}
        <h1 class="event__title" data-testid="event-title">
          {title || id}
        </h1>
        {a.subtitle && <p class="event__subtitle">{textOf(a.subtitle)}</p>}
        <EventLinks id={id} agenda={a} stages={stages} hasTimeline={timeline !== null} />
        <p class="presence" aria-live="polite">
          Сейчас на странице: <strong data-testid="presence-count">{presence === null ? '—' : String(presence)}</strong>
        </p>
      </header>

      <NowPanel stages={stages} hasTimeline={timeline !== null} offset={offset} />
      <StaffWork id={id} agenda={a} stages={stages} />
      <Announcements id={id} offset={offset} />

      <section class="block" aria-labelledby="stages-title">
        <h2 id="stages-title">Этапы</h2>
        <TimeZoneNote timeZone={a.time_zone} offset={offset} />
        <ol class="stages">
          {stages.map((s) => (
            <StageCard key={s.id} stage={s} offset={offset} />
          ))}
        </ol>
      </section>

      <Timetable sessions={listOf<AgendaSession>(a.timetable)} milestones={listOf<Milestone>(a.milestones)} offset={offset} />
      <EventCalendarLink id={id} />
      <Sections id={id} sections={listOf<AgendaSection>(a.sections)} />
      <Organisers organisers={listOf<Organiser>(a.organisers)} />
      <Venues venues={listOf<Venue>(a.venues)} />
    </article>
  );
}
