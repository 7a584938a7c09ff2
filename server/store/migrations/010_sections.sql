-- The section day (8 July): running orders built from the practices admitted to present, the live
-- state of each section as its moderators run it, the audience's hands and questions, attendance
-- and the published results. Owned by server/sections. Instants are ms since the epoch on the
-- server's (possibly simulated) clock.

-- One section's running order. The organiser edits the draft; publishing copies it to `published`
-- and tells the authors whose slot moved.
CREATE TABLE section_schedules (
  event_id     TEXT    NOT NULL,
  section      INTEGER NOT NULL,
  draft        TEXT    NOT NULL,   -- JSON array [{"practice": id, "seconds": n}] in running order
  published    TEXT,               -- JSON like draft, as last published; NULL until published
  published_at INTEGER,
  updated_at   INTEGER NOT NULL,
  PRIMARY KEY (event_id, section)
) STRICT, WITHOUT ROWID;

-- Notices for authors (a slot published or changed), shown in the cabinet and pushed on their topic.
CREATE TABLE section_notices (
  id          INTEGER PRIMARY KEY,
  event_id    TEXT    NOT NULL,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  section     INTEGER NOT NULL,
  practice_id INTEGER NOT NULL,
  text        TEXT    NOT NULL,   -- Russian, for the author
  slot        TEXT    NOT NULL,   -- JSON of the slot as published: {"starts_at","ends_at","seconds","position"}
  created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX section_notices_by_user ON section_notices(user_id, event_id);

-- The live state of one section: one row, rewritten by every moderator action in one transaction,
-- so a restart or a reconnecting moderator finds it exactly as it was.
CREATE TABLE section_runs (
  event_id   TEXT    NOT NULL,
  section    INTEGER NOT NULL,
  state      TEXT    NOT NULL,   -- JSON: status, current slot, remaining order, done list, fired timer events
  version    INTEGER NOT NULL,   -- +1 per change: clients keep the highest they saw
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (event_id, section)
) STRICT, WITHOUT ROWID;

-- Raised hands, in raise order (id). A hand ends when lowered or when its owner has spoken.
CREATE TABLE section_hands (
  id         INTEGER PRIMARY KEY,
  event_id   TEXT    NOT NULL,
  section    INTEGER NOT NULL,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  status     TEXT    NOT NULL CHECK (status IN ('raised', 'speaking', 'spoken', 'lowered')),
  raised_at  INTEGER NOT NULL,
  ended_at   INTEGER
) STRICT;
CREATE INDEX section_hands_open ON section_hands(event_id, section, status);

CREATE TABLE section_questions (
  id         INTEGER PRIMARY KEY,
  event_id   TEXT    NOT NULL,
  section    INTEGER NOT NULL,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  text       TEXT    NOT NULL,
  status     TEXT    NOT NULL CHECK (status IN ('pending', 'approved', 'answered', 'dismissed')),
  votes      INTEGER NOT NULL DEFAULT 0,   -- count of section_question_votes, kept beside for ordering
  asked_at   INTEGER NOT NULL,
  decided_at INTEGER
) STRICT;
CREATE INDEX section_questions_by_section ON section_questions(event_id, section, status);

-- One upvote per person per question.
CREATE TABLE section_question_votes (
  question_id INTEGER NOT NULL REFERENCES section_questions(id) ON DELETE CASCADE,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  voted_at    INTEGER NOT NULL,
  PRIMARY KEY (question_id, user_id)
) STRICT, WITHOUT ROWID;

-- Who watched which section, one row per subscription of a signed-in connection to the section's
-- topic. left_at is NULL while subscribed; rows left open by a stopped process are closed at the
-- next start-up with that start-up's instant.
CREATE TABLE section_attendance (
  id         INTEGER PRIMARY KEY,
  event_id   TEXT    NOT NULL,
  section    INTEGER NOT NULL,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  connection TEXT    NOT NULL,   -- the connection's presence member id, within one process run
  joined_at  INTEGER NOT NULL,
  left_at    INTEGER
) STRICT;
CREATE INDEX section_attendance_by_section ON section_attendance(event_id, section, user_id);
CREATE INDEX section_attendance_open ON section_attendance(left_at) WHERE left_at IS NULL;

-- The conference's results as the organiser published them at the results session.
CREATE TABLE section_results (
  event_id     TEXT    PRIMARY KEY,
  body         TEXT    NOT NULL,   -- JSON: {"text", "sections": [{"section", "best": [practice ids], "note"}]}
  published_by INTEGER NOT NULL REFERENCES users(id),
  published_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
