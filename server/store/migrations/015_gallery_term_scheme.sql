-- How each gallery index row's search terms were made (server/gallery/stem.h: term_scheme(),
-- "lemma+snowball" or "snowball"): a row made another way is stale and rebuilt at the next
-- search, so installing the Russian dictionary, or a new way of making terms, reaches every row.
ALTER TABLE gallery_index ADD COLUMN term_scheme TEXT NOT NULL DEFAULT '';
