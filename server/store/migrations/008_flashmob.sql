-- The flashmob (clause 5.8): items authors submit (an uploaded video or presentation with the kind
-- of creative work, its title and the institution), their conversion to something a browser plays
-- (the job state lives here so a restart resumes it), the organiser's decision and order, and the
-- feed's cursor from which the schedule is computed. Written only by server/flashmob.
CREATE TABLE flashmob_items (
  id            INTEGER PRIMARY KEY,
  event_id      TEXT    NOT NULL,
  owner_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  upload_id     TEXT    NOT NULL UNIQUE REFERENCES uploads(id),  -- a complete upload of purpose 'flashmob'
  work_kind     TEXT    NOT NULL,            -- one of the agenda's files.flashmob.work_kinds
  title         TEXT    NOT NULL,
  institution   TEXT    NOT NULL,
  media_kind    TEXT    NOT NULL CHECK (media_kind IN ('video', 'presentation')),
  measured      TEXT    NOT NULL,            -- JSON: the upload's verdict (bytes, duration_s, slides, video streams)
  -- Making it playable: 'ready' to show; 'queued'/'converting' a job (ffmpeg, or poppler for slides);
  -- 'failed' with the reason; 'needs_pdf' for an office file this server cannot render.
  play_state    TEXT    NOT NULL CHECK (play_state IN ('ready', 'queued', 'converting', 'failed', 'needs_pdf')),
  job           TEXT    CHECK (job IN ('video', 'slides', 'office')),  -- the conversion to run, when one is needed
  attempts      INTEGER NOT NULL DEFAULT 0,  -- conversions started (a crash mid-job starts another)
  progress      REAL,                        -- 0..1 while converting
  failure       TEXT,                        -- Russian, for the author, when failed or needs_pdf
  media_file    TEXT,                        -- playable file under <data>/flashmob, or 'upload' for the upload itself
  duration_ms   INTEGER,                     -- playing time in the feed, once ready
  slides        INTEGER,                     -- rendered slide images, for a presentation
  review        TEXT    NOT NULL DEFAULT 'pending' CHECK (review IN ('pending', 'approved', 'rejected')),
  reason        TEXT    NOT NULL DEFAULT '', -- the organiser's reason for a rejection
  position      INTEGER,                     -- order in the feed among approved items (ascending)
  created_at    INTEGER NOT NULL,            -- ms since the epoch, the server's clock
  updated_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX flashmob_items_by_event ON flashmob_items(event_id, review, position);
CREATE INDEX flashmob_items_by_owner ON flashmob_items(owner_id, event_id);
CREATE INDEX flashmob_items_jobs ON flashmob_items(play_state, id);

-- One row per event once the organiser has touched the feed (see server/flashmob/schedule.h).
CREATE TABLE flashmob_feeds (
  event_id          TEXT    PRIMARY KEY,
  anchor_at         INTEGER,                 -- ms; null: the feed begins at its start with the first item
  anchor_item       INTEGER NOT NULL DEFAULT 0,  -- the item playing at anchor_at, 0 for none
  anchor_offset_ms  INTEGER NOT NULL DEFAULT 0,  -- its position then
  paused            INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
  played            TEXT    NOT NULL DEFAULT '[]',  -- JSON array of item ids finished or skipped
  updated_at        INTEGER NOT NULL
) STRICT;
