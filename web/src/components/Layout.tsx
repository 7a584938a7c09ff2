// The frame every page shares: a top bar with the site's name, the login control and the pages the
// signed-in person's roles open, a notice when the live connection is down or the page shows what was
// kept for reading offline, the page's content, and a footer.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useAuth } from '../lib/auth';
import * as eventsApi from '../lib/endpoints/events';
import { useConnectionState, useLoad, useSavedSince } from '../lib/hooks';
import { kSavedNotice } from '../lib/offline';
import { usePath } from '../lib/router';
import { formatDateTime, isoOrUndefined } from '../lib/time';
import { listOf, textOf, type EventSummary } from '../lib/types';
import { roleLinks, rolesIn, staffEvents } from '../lib/roles';
import { AuthControl } from './AuthControl';

export function Layout({ children }: { children: ComponentChildren }) {
  return (
    <>
      <a class="skip-link" href="#main">
        К содержанию
      </a>
      <header class="topbar">
        <div class="topbar__inner">
          <a class="topbar__brand" href="/" data-testid="brand">
            <Brand />
          </a>
          <AuthControl />
        </div>
        <RoleNav />
      </header>
      <ConnectionNotice />
      <SavedNotice />
      <main id="main" class="page">
        {children}
      </main>
      <footer class="footer">
        <div class="footer__inner">Мероприятия для специалистов социального обслуживания</div>
      </footer>
    </>
  );
}

// The site's name is its events': the one event's title on a server that hosts one, «Мероприятия»
// where it hosts several (no event's words on another's pages).
function Brand() {
  const events = useLoad('events', (signal) => eventsApi.events(signal));
  if (events.status !== 'ok') return <>Мероприятия</>;
  const list = listOf<EventSummary>(events.data.events);
  return <>{list.length === 1 ? textOf(list[0]?.title) || 'Мероприятия' : 'Мероприятия'}</>;
}

// The staff's ways to their work, on every page: the organiser's desk, the expert's queue, the
// moderator's consoles.
function RoleNav() {
  const { me } = useAuth();
  const links = staffEvents(me).flatMap((event) => roleLinks(event, rolesIn(me, event)));
  if (links.length === 0) return null;
  return (
    <nav class="rolebar" aria-label="Ваша работа" data-testid="role-nav">
      <ul class="rolebar__list">
        {links.map((l) => (
          <li key={l.href}>
            <a href={l.href} data-testid={`header-${l.testId}`}>
              {l.title}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

// Offline, the pages show what the service worker kept, and say so, with the time it was kept in
// the event's own time zone (the agenda's offset), as every other date of the event reads.
function SavedNotice() {
  const at = useSavedSince();
  const offset = useEventOffset();
  if (at === null) return null;
  const when = formatDateTime(at, offset);
  return (
    <div class="notice notice--warning" role="status" data-testid="saved-notice" data-saved-at={at}>
      {kSavedNotice}
      {when && (
        <>
          : данные на{' '}
          <time datetime={isoOrUndefined(at)} data-testid="saved-at">
            {when}
          </time>
        </>
      )}
    </div>
  );
}

// The UTC offset of the event the page belongs to (/events/{id}/…), or of the server's one event;
// undefined elsewhere, where a time reads in the offset written in it.
function useEventOffset(): string | undefined {
  const path = usePath();
  const events = useLoad('events', (signal) => eventsApi.events(signal));
  if (events.status !== 'ok') return undefined;
  const list = listOf<EventSummary>(events.data.events);
  const id = /^\/events\/([^/]+)/.exec(path)?.[1] ?? (list.length === 1 ? list[0]?.id : undefined);
  return list.find((e) => e.id === id)?.utc_offset;
}

// Says so only after the connection had worked and then dropped, and not for a short blip.
function ConnectionNotice() {
  const state = useConnectionState();
  const wasOpen = useRef(false);
  const [show, setShow] = useState(false);
  useEffect(() => {
    if (state === 'open') {
      wasOpen.current = true;
      setShow(false);
      return;
    }
    if (!wasOpen.current) return;
    const timer = setTimeout(() => setShow(true), 1500);
    return () => clearTimeout(timer);
  }, [state]);
  if (!show) return null;
  return (
    <div class="notice notice--warning" role="status" data-testid="connection-notice">
      Нет связи с сервером. Переподключаемся…
    </div>
  );
}
