-- Review (stage 2): which expert reviews which practice, their decisions, and the audit log of
-- every decision and change. The organiser's final decision lives in practice_outcomes (005).

-- An expert assigned to a practice of their section; automatic (balanced) or by hand.
CREATE TABLE review_assignments (
  practice_id INTEGER NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
  expert_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  assigned_by INTEGER REFERENCES users(id),    -- the organiser; NULL for the automatic assignment
  assigned_at INTEGER NOT NULL,                -- ms since the epoch (server clock)
  PRIMARY KEY (practice_id, expert_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX review_assignments_by_expert ON review_assignments(expert_id);

-- One expert's current decision on one practice; history is in review_log.
CREATE TABLE reviews (
  practice_id INTEGER NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
  expert_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  decision    TEXT    NOT NULL CHECK (decision IN ('present', 'gallery', 'rejected')),
  reason      TEXT    NOT NULL DEFAULT '',     -- required by the service when rejected
  scores      TEXT    NOT NULL DEFAULT '{}',   -- JSON object: criterion id (agenda "review".criteria) -> integer
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (practice_id, expert_id)
) STRICT, WITHOUT ROWID;

-- Append-only: who did what to which practice, and when. No foreign key on the practice, so the
-- record outlives a deleted practice.
CREATE TABLE review_log (
  id          INTEGER PRIMARY KEY,
  event_id    TEXT    NOT NULL,
  practice_id INTEGER,                         -- NULL for event-wide actions (notifications)
  actor_id    INTEGER NOT NULL REFERENCES users(id),
  action      TEXT    NOT NULL CHECK (action IN ('review', 'outcome', 'assign', 'unassign', 'notify')),
  detail      TEXT    NOT NULL,                -- JSON: decision, reason, scores, previous, expert, …
  at          INTEGER NOT NULL                 -- ms since the epoch (server clock)
) STRICT;
CREATE INDEX review_log_by_event ON review_log(event_id, id);

-- When the institution was told about the final decision (the e-mail queued); NULL while not yet
-- told or after the decision changed. The participant sees the decision once it is set.
ALTER TABLE practice_outcomes ADD COLUMN notified_at INTEGER;
