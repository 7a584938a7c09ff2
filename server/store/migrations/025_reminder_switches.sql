-- The organiser's switch for each kind of participant reminder (server/reminders/participants.h)
-- per event; a kind without a row is on. The letters themselves are the outbox's rows.
CREATE TABLE IF NOT EXISTS reminder_switches (
  event_id   TEXT    NOT NULL,
  kind       TEXT    NOT NULL,                 -- draft | payment | speaker | certificate
  enabled    INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  changed_by INTEGER NOT NULL REFERENCES users(id),
  changed_at INTEGER NOT NULL,                 -- ms since the epoch (server clock)
  PRIMARY KEY (event_id, kind)
) STRICT, WITHOUT ROWID;
