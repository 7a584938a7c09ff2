// The event's page (/events/:id); the content is components/event/EventView.tsx, which the front
// page shows as well.
import { EventView } from '../components/event/EventView';

export function EventPage({ id }: { id: string }) {
  return <EventView id={id} />;
}
