-- The flashmob's adaptive video (server/flashmob/pipeline.h): once a video item plays (its MP4 or
-- the upload itself), a second job makes its HLS ladder, master playlist and poster under
-- <data>/flashmob/hls/<item>/; the state lives here so a restart resumes it. And the author's
-- subtitles, kept as WebVTT in <data>/flashmob/captions/<item>.vtt.
ALTER TABLE flashmob_items ADD COLUMN hls_state TEXT CHECK (hls_state IN ('queued', 'converting', 'ready', 'failed'));
ALTER TABLE flashmob_items ADD COLUMN hls_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE flashmob_items ADD COLUMN hls_progress REAL;             -- 0..1 while converting
ALTER TABLE flashmob_items ADD COLUMN hls_renditions TEXT;           -- JSON [{"name","width","height","bandwidth"}] once ready
ALTER TABLE flashmob_items ADD COLUMN captions_at INTEGER;           -- ms: when the subtitles were attached, null for none
UPDATE flashmob_items SET hls_state = 'queued' WHERE media_kind = 'video' AND play_state IN ('ready', 'queued', 'converting');
CREATE INDEX flashmob_items_hls_jobs ON flashmob_items(hls_state, id);
