-- Claims for the background jobs every instance runs (docs/architecture.md, "Growing past one
-- machine"): a sender or a certificate worker marks the rows it took, in the transaction that took
-- them (on PostgreSQL with SELECT … FOR UPDATE SKIP LOCKED), so that no other instance sends that
-- letter or makes that certificate meanwhile. A claim ends with the row's outcome, or lapses at
-- claimed_until (ms since the epoch on the server's clock) when its holder died; the row is then
-- taken again (a letter at least once, as SMTP allows; a certificate made again gives the same file).
ALTER TABLE mail_outbox ADD COLUMN claimed_by TEXT;          -- host:pid of the holder, for the operator
ALTER TABLE mail_outbox ADD COLUMN claimed_until INTEGER;
ALTER TABLE certificates ADD COLUMN claimed_by TEXT;
ALTER TABLE certificates ADD COLUMN claimed_until INTEGER;
