-- Resumable uploads (tus 1.0). The bytes live in <data>/uploads/<id>.part while the upload is
-- under way and <data>/files/<id> once complete and checked; the file's size on disk is the
-- upload's offset, so a restart resumes where the disk says.
CREATE TABLE uploads (
  id          TEXT    PRIMARY KEY,        -- 32 random hex characters, also the URL
  event_id    TEXT    NOT NULL,
  owner_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  purpose     TEXT    NOT NULL,           -- a files purpose of the agenda: document, photo, flashmob, …
  length      INTEGER NOT NULL CHECK (length >= 0),
  file_name   TEXT    NOT NULL,
  metadata    TEXT    NOT NULL,           -- JSON object of the Upload-Metadata pairs
  state       TEXT    NOT NULL CHECK (state IN ('receiving', 'complete', 'rejected')),
  verdict     TEXT,                       -- JSON of the file check once complete
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX uploads_by_owner ON uploads(owner_id, event_id, state);
