-- Fees: one payment per practice (2 000 RUB each, from the agenda). The author attaches the scan of
-- the payment document (an upload of purpose "payment"); the organiser confirms it or returns it
-- with a reason, and the author may send another.
CREATE TABLE payments (
  practice_id  INTEGER PRIMARY KEY REFERENCES practices(id) ON DELETE CASCADE,
  upload_id    TEXT    NOT NULL REFERENCES uploads(id),
  state        TEXT    NOT NULL CHECK (state IN ('proof_sent', 'confirmed', 'returned')),
  reason       TEXT,
  decided_by   INTEGER REFERENCES users(id),
  sent_at      INTEGER NOT NULL,
  decided_at   INTEGER
) STRICT;
