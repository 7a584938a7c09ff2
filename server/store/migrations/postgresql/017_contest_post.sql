-- PostgreSQL's twin of ../017_contest_post.sql: the day's shape is checked with a regular
-- expression, SQLite's GLOB having no counterpart.
CREATE TABLE contest_post (
  practice_id BIGINT PRIMARY KEY REFERENCES practices(id) ON DELETE CASCADE,
  sent_on     TEXT   NOT NULL CHECK (sent_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),  -- the event's calendar day
  marked_by   BIGINT NOT NULL REFERENCES users(id),
  marked_at   BIGINT NOT NULL
);
