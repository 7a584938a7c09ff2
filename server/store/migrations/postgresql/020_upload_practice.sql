-- PostgreSQL's twin of ../020_upload_practice.sql: the same columns, filled from the metadata
-- with PostgreSQL's JSON operators instead of SQLite's json_extract and json_type.
ALTER TABLE uploads ADD COLUMN practice_id BIGINT;
ALTER TABLE uploads ADD COLUMN field TEXT;
UPDATE uploads SET practice_id = CAST(metadata::jsonb ->> 'practice' AS BIGINT)
  WHERE jsonb_typeof(metadata::jsonb -> 'practice') = 'string'
    AND metadata::jsonb ->> 'practice' ~ '^[1-9][0-9]{0,17}$';
UPDATE uploads SET field = metadata::jsonb ->> 'field'
  WHERE jsonb_typeof(metadata::jsonb -> 'field') = 'string';
CREATE INDEX uploads_by_practice ON uploads(practice_id, state);
