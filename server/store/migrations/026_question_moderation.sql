-- Moderated questions (issue 21, item 5; server/sections/floor.h). Per section, whether questions
-- wait for a moderator's approval (a section without a row follows the agenda's
-- section_day.questions.premoderated); a question shown to the audience may be hidden by a
-- moderator (hidden_at) and shown again; participants flag abusive ones, once per person, and the
-- count is kept beside for the moderators' ordering (flags is reset when a moderator keeps the
-- question shown; the rows stay, so nobody flags the same question twice).
CREATE TABLE IF NOT EXISTS section_floor_settings (
  event_id      TEXT    NOT NULL,
  section       INTEGER NOT NULL,
  premoderation INTEGER NOT NULL CHECK (premoderation IN (0, 1)),
  changed_by    INTEGER NOT NULL REFERENCES users(id),
  changed_at    INTEGER NOT NULL,                 -- ms since the epoch (server clock)
  PRIMARY KEY (event_id, section)
) STRICT, WITHOUT ROWID;

ALTER TABLE section_questions ADD COLUMN hidden_at INTEGER;
ALTER TABLE section_questions ADD COLUMN flags INTEGER NOT NULL DEFAULT 0;

CREATE TABLE IF NOT EXISTS section_question_flags (
  question_id INTEGER NOT NULL REFERENCES section_questions(id) ON DELETE CASCADE,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  flagged_at  INTEGER NOT NULL,
  PRIMARY KEY (question_id, user_id)
) STRICT, WITHOUT ROWID;
