-- The final decision on each reviewed practice, fixed by the organiser after the experts' reviews.
-- Written only by the review module; read by the gallery (what is shown), the section day (who
-- presents), certificates and the participant's cabinet.
CREATE TABLE practice_outcomes (
  practice_id INTEGER PRIMARY KEY REFERENCES practices(id) ON DELETE CASCADE,
  outcome     TEXT    NOT NULL CHECK (outcome IN ('present', 'gallery', 'rejected')),
  reason      TEXT    NOT NULL DEFAULT '',   -- required by the service when rejected
  decided_by  INTEGER NOT NULL REFERENCES users(id),
  decided_at  INTEGER NOT NULL               -- ms since the epoch, the server's clock
) STRICT;
