-- The lists of the contest's earlier editions as the organiser loaded them (CSV or XLSX), which
-- decide eligibility instead of the agenda's example file once any are loaded; a new list of an
-- edition replaces that edition's rows. Written only by the contest module.
CREATE TABLE contest_past_results (
  id          INTEGER PRIMARY KEY,
  event_id    TEXT    NOT NULL,
  edition     INTEGER NOT NULL,               -- the year of that edition
  outcome     TEXT    NOT NULL CHECK (outcome <> ''),  -- an outcome id of the event's rules
  institution TEXT    NOT NULL,               -- as written in the list; normalised when compared
  inn         TEXT    NOT NULL DEFAULT '',    -- digits only
  region      TEXT    NOT NULL DEFAULT '',
  loaded_by   INTEGER NOT NULL REFERENCES users(id),
  loaded_at   INTEGER NOT NULL                -- ms since the epoch, the server's clock
) STRICT;
CREATE INDEX contest_past_results_by_event ON contest_past_results (event_id, edition);

-- The organiser's word on an unsure match between an application and a past result (close names,
-- or one name under two INNs): confirmed, the rule applies; dismissed, another institution.
-- past_key names the result by its content (edition|outcome|inn|normalised name), so a reload of
-- the same list keeps the decisions.
CREATE TABLE contest_match_decisions (
  event_id    TEXT    NOT NULL,
  practice_id INTEGER NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
  past_key    TEXT    NOT NULL,
  decision    TEXT    NOT NULL CHECK (decision IN ('confirmed', 'dismissed')),
  decided_by  INTEGER NOT NULL REFERENCES users(id),
  decided_at  INTEGER NOT NULL,
  PRIMARY KEY (practice_id, past_key)
) STRICT;
