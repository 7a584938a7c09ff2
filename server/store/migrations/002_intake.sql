-- Intake: the registration form of each author and co-author, and the practices they submit.
-- Form values are JSON checked by the service against the event's agenda (server/forms).

CREATE TABLE registrations (
  event_id   TEXT    NOT NULL,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  answers    TEXT    NOT NULL,   -- JSON object: field id -> value
  consents   TEXT    NOT NULL,   -- JSON object: consent field id -> instant (ms) it was given
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (event_id, user_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE practices (
  id           INTEGER PRIMARY KEY,
  event_id     TEXT    NOT NULL,
  owner_id     INTEGER NOT NULL REFERENCES users(id),
  section      INTEGER NOT NULL,
  type         TEXT    NOT NULL,
  answers      TEXT    NOT NULL,   -- JSON object of the description's fields
  state        TEXT    NOT NULL CHECK (state IN ('draft', 'submitted')),
  revision     INTEGER NOT NULL,   -- +1 on every saved change: lost-update protection for autosave
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  submitted_at INTEGER
) STRICT;
CREATE INDEX practices_by_event ON practices(event_id, section, state);
CREATE INDEX practices_by_owner ON practices(owner_id, event_id);

-- Co-authors are named by e-mail; each registers with their own account and form.
CREATE TABLE practice_coauthors (
  practice_id INTEGER NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
  email       TEXT    NOT NULL,
  PRIMARY KEY (practice_id, email)
) STRICT, WITHOUT ROWID;
CREATE INDEX coauthors_by_email ON practice_coauthors(email);
