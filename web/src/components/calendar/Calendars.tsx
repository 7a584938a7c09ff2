// Calendar files (.ics) to add the event, a section or one's own items to a phone's calendar, and
// the person's subscription address: a secret link a calendar application polls, so a moved
// schedule reaches it; revocable here.
import { useState } from 'preact/hooks';
import { messageOf } from '../../lib/api';
import * as sections from '../../lib/endpoints/sections';
import { useLoad } from '../../lib/hooks';

export function EventCalendarLink({ id }: { id: string }) {
  return (
    <p class="calendar-link">
      <a href={sections.eventCalendarUrl(id)} data-testid="event-calendar">
        Добавить расписание в календарь (.ics)
      </a>
    </p>
  );
}

export function SectionCalendarLink({ id, n }: { id: string; n: number | string }) {
  return (
    <p class="calendar-link">
      <a href={sections.sectionCalendarUrl(id, n)} data-testid="section-calendar">
        Порядок выступлений секции в календарь (.ics)
      </a>
    </p>
  );
}

export function MyCalendar({ id }: { id: string }) {
  const feed = useLoad(`calendar-feed:${id}`, (signal) => sections.calendarFeed(id, signal));
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const change = async (work: () => Promise<sections.CalendarFeed>) => {
    setBusy(true);
    setError('');
    try {
      feed.set(await work());
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const url = feed.status === 'ok' ? feed.data.url : null;
  return (
    <section class="card" aria-labelledby="my-calendar-title" data-testid="my-calendar">
      <h2 id="my-calendar-title">Мой календарь</h2>
      <p>
        Ваше выступление со ссылкой на комнату, открытие, подведение итогов и сроки — одним файлом:{' '}
        <a href={sections.myCalendarUrl(id)} data-testid="my-calendar-file">
          скачать (.ics)
        </a>
        .
      </p>
      {feed.status === 'error' && <p class="form__error">{feed.message}</p>}
      {feed.status === 'ok' && url && (
        <div class="field">
          <label for="calendar-feed-url">Ссылка для подписки (календарь сам узнает о переносах; не передавайте её другим)</label>
          <input id="calendar-feed-url" data-testid="calendar-feed-url" readOnly value={new URL(url, location.origin).href} />
        </div>
      )}
      <div class="toolbar">
        {feed.status === 'ok' && !url && (
          <button type="button" class="button button--secondary" disabled={busy} onClick={() => void change(() => sections.renewCalendarFeed(id))} data-testid="calendar-feed-create">
            Получить ссылку для подписки
          </button>
        )}
        {url && (
          <>
            <button type="button" class="button button--secondary" disabled={busy} onClick={() => void change(() => sections.renewCalendarFeed(id))} data-testid="calendar-feed-renew">
              Заменить ссылку
            </button>
            <button type="button" class="button button--secondary" disabled={busy} onClick={() => void change(() => sections.revokeCalendarFeed(id))} data-testid="calendar-feed-revoke">
              Отозвать ссылку
            </button>
          </>
        )}
      </div>
      {error && (
        <p class="form__error" role="alert" data-testid="calendar-feed-error">
          {error}
        </p>
      )}
    </section>
  );
}
