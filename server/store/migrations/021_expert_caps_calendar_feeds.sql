-- IF NOT EXISTS: tests/unit/store/db_test.cpp winds a database back to before 020 and migrates it
-- again, with the later tables already there.

-- The most practices the organiser lets one expert review in one event (the review board); an
-- expert without a row here has the agenda's review.max_practices_per_expert, or no limit.
CREATE TABLE IF NOT EXISTS review_expert_caps (
  event_id      TEXT    NOT NULL,
  expert_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  max_practices INTEGER NOT NULL CHECK (max_practices >= 0),
  set_by        INTEGER NOT NULL REFERENCES users(id),
  set_at        INTEGER NOT NULL,              -- ms since the epoch (server clock)
  PRIMARY KEY (event_id, expert_id)
) STRICT, WITHOUT ROWID;

-- A person's calendar subscription (sections/calendars.cpp): the secret in its address, one per
-- person and event; a new one replaces it, revoking deletes it.
CREATE TABLE IF NOT EXISTS calendar_feeds (
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  event_id   TEXT    NOT NULL,
  token      TEXT    NOT NULL UNIQUE,          -- 64 hex characters, 256 random bits
  created_at INTEGER NOT NULL,                 -- ms since the epoch (server clock)
  PRIMARY KEY (user_id, event_id)
) STRICT, WITHOUT ROWID;
