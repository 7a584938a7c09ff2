-- The contest's printed documents sent by post (server/contest): one row per application whose
-- diploma or certificate the organiser has marked as sent, with the day it left. Undoing the mark
-- deletes the row. Which document and to which address is read from the application and its
-- decision at the time of listing, so a corrected address is the one shown.
CREATE TABLE contest_post (
  practice_id INTEGER PRIMARY KEY REFERENCES practices(id) ON DELETE CASCADE,
  sent_on     TEXT    NOT NULL CHECK (sent_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),  -- the event's calendar day
  marked_by   INTEGER NOT NULL REFERENCES users(id),
  marked_at   INTEGER NOT NULL
) STRICT;
