-- Intake (owned by server/intake): the clause 6.5 check of each stored practice document, made
-- once and kept, read by the organiser's practice list (its "document findings" filter) and by
-- the gallery. It was the gallery's own table (009); one cache now serves both. The old table is
-- copied and left unused (dropping it in the same migration as the copy is refused by SQLite's
-- migration runner here: "database table is locked").
CREATE TABLE document_checks (
  upload_id  TEXT    PRIMARY KEY REFERENCES uploads(id) ON DELETE CASCADE,
  result     TEXT    NOT NULL,         -- JSON: the answer of the document check
  checked_at INTEGER NOT NULL
) STRICT;
INSERT INTO document_checks(upload_id, result, checked_at)
  SELECT upload_id, result, checked_at FROM gallery_document_checks;
