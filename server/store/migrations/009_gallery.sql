-- Gallery (stage 3): the search index of the admitted practices, their discussion threads and the
-- cached formatting findings of their documents. Owned by server/gallery.

-- One row per practice the index holds; what it was built from, so a changed practice or
-- outcome is seen as stale and rebuilt by the gallery service the next time it searches.
CREATE TABLE gallery_index (
  practice_id INTEGER PRIMARY KEY REFERENCES practices(id) ON DELETE CASCADE,
  event_id    TEXT    NOT NULL,
  section     INTEGER NOT NULL,
  type        TEXT    NOT NULL,
  year        INTEGER,                  -- the year the practice started (field 5), for the filter
  revision    INTEGER NOT NULL,         -- practices.revision the row was built from
  outcome     TEXT    NOT NULL,         -- practice_outcomes.outcome it was built from
  decided_at  INTEGER NOT NULL          -- practice_outcomes.decided_at it was built from
) STRICT;
CREATE INDEX gallery_index_by_event ON gallery_index(event_id, section, type, year);

-- Full-text search over Snowball-stemmed words (server/gallery/stem.h): the gallery writes the
-- stems, and stems a query the same way, so «семьям» finds «семья». rowid = practices.id.
-- `everything`: every field (the institution among them) and the type's title; `target_groups`: field 7 alone.
CREATE VIRTUAL TABLE gallery_fts USING fts5(everything, target_groups, tokenize = 'unicode61');

-- The discussion of a practice: comments and one level of replies.
CREATE TABLE gallery_comments (
  id          INTEGER PRIMARY KEY,
  practice_id INTEGER NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
  parent_id   INTEGER REFERENCES gallery_comments(id) ON DELETE CASCADE,  -- a top-level comment, or NULL
  author_id   INTEGER NOT NULL REFERENCES users(id),
  text        TEXT    NOT NULL,        -- trimmed, within the agenda's gallery.comment_max_chars
  created_at  INTEGER NOT NULL,        -- ms since the epoch, the server's clock
  edited_at   INTEGER,                 -- last edit by the author
  deleted_at  INTEGER,                 -- deleted by the author: kept as a placeholder for its replies
  hidden_by   INTEGER REFERENCES users(id),  -- a moderator or organiser who hid it
  hidden_at   INTEGER
) STRICT;
CREATE INDEX gallery_comments_by_practice ON gallery_comments(practice_id, id);

-- The clause 6.5 findings of a practice document shown in the gallery, computed once per upload.
CREATE TABLE gallery_document_checks (
  upload_id  TEXT    PRIMARY KEY REFERENCES uploads(id) ON DELETE CASCADE,
  result     TEXT    NOT NULL,         -- JSON: the answer of the document check
  checked_at INTEGER NOT NULL
) STRICT;
