-- Uploads (owned by server/uploads): the practice a file belongs to and the form field it answers
-- become columns. Both came only inside the client's tus metadata ("practice", "field"), so every
-- reader had to query the JSON. Metadata values are strings; a "practice" that is not a canonical
-- decimal id never matched a practice before and stays NULL now.
ALTER TABLE uploads ADD COLUMN practice_id INTEGER;
ALTER TABLE uploads ADD COLUMN field TEXT;
UPDATE uploads SET practice_id = CAST(json_extract(metadata, '$.practice') AS INTEGER)
  WHERE json_type(metadata, '$.practice') = 'text'
    AND CAST(CAST(json_extract(metadata, '$.practice') AS INTEGER) AS TEXT) = json_extract(metadata, '$.practice');
UPDATE uploads SET field = json_extract(metadata, '$.field')
  WHERE json_type(metadata, '$.field') = 'text';
CREATE INDEX uploads_by_practice ON uploads(practice_id, state);
