-- Decisions are the agenda's (review.outcomes): the conference decides present/gallery/rejected,
-- the contest laureate/participant. The CHECKs of 005 and 007 named the conference's three
-- values; SQLite cannot drop a CHECK, so both tables are rebuilt without it, keeping every row.
-- The service checks each value against the event's agenda.

CREATE TABLE practice_outcomes_013 (
  practice_id INTEGER PRIMARY KEY REFERENCES practices(id) ON DELETE CASCADE,
  outcome     TEXT    NOT NULL CHECK (outcome <> ''),  -- a decision id of the event's review.outcomes
  reason      TEXT    NOT NULL DEFAULT '',
  decided_by  INTEGER NOT NULL REFERENCES users(id),
  decided_at  INTEGER NOT NULL,
  notified_at INTEGER
) STRICT;
INSERT INTO practice_outcomes_013 (practice_id, outcome, reason, decided_by, decided_at, notified_at)
  SELECT practice_id, outcome, reason, decided_by, decided_at, notified_at FROM practice_outcomes;
DROP TABLE practice_outcomes;
ALTER TABLE practice_outcomes_013 RENAME TO practice_outcomes;

CREATE TABLE reviews_013 (
  practice_id INTEGER NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
  expert_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  decision    TEXT    NOT NULL CHECK (decision <> ''),  -- a decision id of the event's review.outcomes
  reason      TEXT    NOT NULL DEFAULT '',
  scores      TEXT    NOT NULL DEFAULT '{}',
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (practice_id, expert_id)
) STRICT, WITHOUT ROWID;
INSERT INTO reviews_013 SELECT practice_id, expert_id, decision, reason, scores, created_at, updated_at FROM reviews;
DROP TABLE reviews;
ALTER TABLE reviews_013 RENAME TO reviews;
