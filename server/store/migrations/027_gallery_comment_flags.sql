-- Participants' flags on abusive comments of the gallery's discussion (server/gallery): one row per
-- person and comment, so each flags a comment once. A moderator or the organiser resolves the open
-- flags of a comment by hiding it or clearing them; a resolved flag keeps its row (cleared_at), so
-- its author cannot raise the same comment again.
CREATE TABLE IF NOT EXISTS gallery_comment_flags (
  comment_id INTEGER NOT NULL REFERENCES gallery_comments(id) ON DELETE CASCADE,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  reason     TEXT,                     -- an id of the agenda's gallery.flag_reasons, or NULL
  flagged_at INTEGER NOT NULL,         -- ms since the epoch, the server's clock
  cleared_at INTEGER,                  -- hidden or cleared by a moderator or the organiser
  PRIMARY KEY (comment_id, user_id)
) STRICT;
CREATE INDEX IF NOT EXISTS gallery_comment_flags_open ON gallery_comment_flags(comment_id, cleared_at);
