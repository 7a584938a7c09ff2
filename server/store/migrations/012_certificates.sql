-- Certificates, diplomas and the proceedings (server/certificates), and attachments in the outbox.
-- Instants are ms since the epoch on the server's (possibly simulated) clock.

-- One document per recipient and event: a certificate or a diploma, chosen by the agenda's
-- certificates.rules from the person's role and outcomes. `number` is the public verification
-- number (80 random bits, Crockford base32); it stays when the document is made again.
CREATE TABLE certificates (
  id         INTEGER PRIMARY KEY,
  number     TEXT    NOT NULL UNIQUE,
  event_id   TEXT    NOT NULL,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  template   TEXT    NOT NULL,          -- certificates.templates[].id
  data       TEXT    NOT NULL,          -- JSON: what the document says (name, institution, practices, sections)
  email      TEXT    NOT NULL,          -- where it is sent: the e-mail given in the application
  state      TEXT    NOT NULL CHECK (state IN ('pending', 'made', 'failed')),
  job_id     INTEGER,                   -- the job that (re)made it last
  error      TEXT,
  created_at INTEGER NOT NULL,
  made_at    INTEGER,
  UNIQUE (event_id, user_id)
) STRICT;
CREATE INDEX certificates_by_job ON certificates(job_id, state);

-- The organiser's bulk runs. A job left 'running' by a stop or a crash goes on at the next start.
CREATE TABLE certificate_jobs (
  id          INTEGER PRIMARY KEY,
  event_id    TEXT    NOT NULL,
  state       TEXT    NOT NULL CHECK (state IN ('running', 'done')),
  total       INTEGER NOT NULL,
  done        INTEGER NOT NULL DEFAULT 0,
  failed      INTEGER NOT NULL DEFAULT 0,
  send_mail   INTEGER NOT NULL CHECK (send_mail IN (0, 1)),
  started_by  INTEGER NOT NULL REFERENCES users(id),
  created_at  INTEGER NOT NULL,
  finished_at INTEGER
) STRICT;
CREATE INDEX certificate_jobs_by_event ON certificate_jobs(event_id, id);

-- The proceedings PDF of each event and what it was built from (a hash of the admitted
-- practices' ids, revisions and outcomes), so a change makes it stale.
CREATE TABLE proceedings (
  event_id    TEXT    PRIMARY KEY,
  fingerprint TEXT    NOT NULL,
  file        TEXT    NOT NULL,         -- relative to <data>/certificates
  practices   INTEGER NOT NULL,
  pages       INTEGER NOT NULL,
  built_at    INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- Files attached to an outbox message, read when the message is rendered for sending:
-- JSON array [{"path","name","content_type"}] (absolute paths under the data directory).
ALTER TABLE mail_outbox ADD COLUMN attachments TEXT NOT NULL DEFAULT '[]';
