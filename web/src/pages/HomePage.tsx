// The front page: the event itself when the server hosts one, a list when it hosts several.
import * as eventsApi from '../lib/endpoints/events';
import { useLoad } from '../lib/hooks';
import { listOf, textOf, type EventSummary } from '../lib/types';
import { EventView } from '../components/event/EventView';
import { Loading, Message } from '../components/common/Message';

export function HomePage() {
  const events = useLoad('events', (signal) => eventsApi.events(signal));

  if (events.status === 'loading') return <Loading />;
  if (events.status === 'error') {
    return (
      <Message title="Не удалось загрузить мероприятия">
        <p role="alert">{events.message}</p>
      </Message>
    );
  }

  const list = listOf<EventSummary>(events.data.events).filter((e) => typeof e.id === 'string');
  if (list.length === 1) return <EventView id={list[0]!.id} />;
  if (list.length === 0) return <Message title="Мероприятий пока нет" />;

  return (
    <section class="block">
      <h1>Мероприятия</h1>
      <ul class="events" data-testid="event-list">
        {list.map((e) => (
          <li key={e.id}>
            <a href={`/events/${encodeURIComponent(e.id)}`}>{textOf(e.title) || e.id}</a>
          </li>
        ))}
      </ul>
    </section>
  );
}
