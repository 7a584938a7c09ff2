-- Mail: an outbox of messages waiting for the background sender (server/mail). A message is
-- written in the same transaction as the change that caused it, so a crash loses none; the
-- sender marks it sent right after the SMTP server accepted it, so a restart sends none twice.
CREATE TABLE mail_outbox (
  id              INTEGER PRIMARY KEY,
  idempotency_key TEXT    NOT NULL UNIQUE,   -- the caller's name for this message: enqueuing it again is a no-op
  event_id        TEXT    NOT NULL,
  recipients      TEXT    NOT NULL,          -- JSON array of e-mail addresses (SMTP RCPT TO)
  subject         TEXT    NOT NULL,          -- UTF-8; encoded as =?UTF-8?B?…?= when sent
  body            TEXT    NOT NULL,          -- UTF-8 plain text
  state           TEXT    NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,          -- ms since the epoch (server clock): not tried before this
  last_error      TEXT,
  created_at      INTEGER NOT NULL,
  sent_at         INTEGER
) STRICT;
CREATE INDEX mail_outbox_due ON mail_outbox(state, next_attempt_at);

-- Every delivery attempt, for the organiser and for diagnosing a mail server.
CREATE TABLE mail_attempts (
  message_id INTEGER NOT NULL REFERENCES mail_outbox(id) ON DELETE CASCADE,
  at         INTEGER NOT NULL,               -- ms since the epoch
  ok         INTEGER NOT NULL CHECK (ok IN (0, 1)),
  error      TEXT                            -- curl's or the SMTP server's words when not ok
) STRICT;
CREATE INDEX mail_attempts_by_message ON mail_attempts(message_id);
