-- Personal data on request (152-ФЗ), owned by server/privacy: every request a person made, for the
-- organiser's log. A download of the data ('export') or a withdrawal of consent ('withdrawal'),
-- made from the cabinet of `event_id`. The row names the account by id only: after a withdrawal the
-- account is anonymised and the log keeps no name, e-mail or phone.
CREATE TABLE IF NOT EXISTS privacy_requests (
  id         INTEGER PRIMARY KEY,
  event_id   TEXT    NOT NULL,
  user_id    INTEGER NOT NULL REFERENCES users(id),
  kind       TEXT    NOT NULL CHECK (kind IN ('export', 'withdrawal')),
  at         INTEGER NOT NULL               -- ms since the epoch (server clock)
) STRICT;
CREATE INDEX IF NOT EXISTS privacy_requests_by_event ON privacy_requests(event_id, id);
