-- The gallery's own cache of document findings (009) was copied into intake's document_checks
-- by 011 and has been read by nothing since. It could not be dropped in 011 itself (SQLite
-- refused while the copy's statement was still open in the same script); here it is alone.
DROP TABLE gallery_document_checks;
