-- Announcements of changed conditions (clause 3.2.1), owned by server/announcements. The letters
-- they send are outbox rows (006_mail.sql) keyed by announcement and recipient.

CREATE TABLE announcements (
  id           INTEGER PRIMARY KEY,
  event_id     TEXT    NOT NULL,
  title        TEXT    NOT NULL,
  body         TEXT    NOT NULL,
  author_id    INTEGER NOT NULL REFERENCES users(id),
  published_at INTEGER NOT NULL   -- ms since the epoch, the event's clock
) STRICT;
CREATE INDEX announcements_by_event ON announcements(event_id, published_at);
