// Announcements of changed conditions on the event's page.
import * as events from '../../lib/endpoints/events';
import type { Announcement } from '../../lib/endpoints/events';
import { useLoad } from '../../lib/hooks';
import { formatDateTime } from '../../lib/time';
import { listOf, textOf } from '../../lib/types';

// Announcements of changed conditions (clause 3.2.1), newest first as the server lists them.
export function Announcements({ id, offset }: { id: string; offset?: string }) {
  const list = useLoad(`announcements:${id}`, (signal) => events.announcements(id, signal));
  if (list.status !== 'ok') return null;
  const items = listOf<Announcement>(list.data.announcements);
  if (items.length === 0) return null;
  return (
    <section class="block" aria-labelledby="announcements-title" data-testid="announcements">
      <h2 id="announcements-title">Объявления</h2>
      <ul class="announcements">
        {items.map((n) => (
          <li class="announcement" key={n.id} data-testid="announcement">
            <h3 class="announcement__title" data-testid="announcement-title">
              {textOf(n.title)}
            </h3>
            {n.published_at && (
              <p class="muted" data-testid="announcement-date">
                {formatDateTime(n.published_at, offset)}
              </p>
            )}
            <p class="announcement__text" data-testid="announcement-text">
              {textOf(n.text)}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
