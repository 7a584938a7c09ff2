// A link to a session's or a section's video room (an external tool), and one line of a session
// with its times and room, as the organiser's section-day pages show them.
import type { ComponentChildren } from 'preact';
import { formatDateTime, formatTime } from '../lib/time';
import { webLink, type SessionInfo } from '../lib/sections';

export function RoomLink({ url, children, testId }: { url: unknown; children: ComponentChildren; testId?: string }) {
  const href = webLink(url);
  if (!href) return <span class="muted">ссылка на видеокомнату не задана</span>;
  return (
    <a href={href} target="_blank" rel="noopener noreferrer" data-external data-testid={testId}>
      {children}
    </a>
  );
}

export function sessionLine(s: SessionInfo | null, offset?: string) {
  if (!s) return null;
  return (
    <li key={s.id} data-testid={`session-${s.id}`}>
      <strong>{s.title}</strong> — {formatDateTime(s.starts, offset)}–{formatTime(s.ends, offset)}.{' '}
      {s.room_url ? (
        <RoomLink url={s.room_url} testId={`session-room-${s.id}`}>
          Видеокомната
        </RoomLink>
      ) : null}
    </li>
  );
}
