-- Roles granted to an e-mail that has no account yet: they wait here and become event_roles rows
-- in the transaction that registers the address (and, should one still wait, in the one that
-- signs it in). The invitation letter is in the outbox, queued with the row.
CREATE TABLE role_invitations (
  email      TEXT    NOT NULL,                 -- trimmed and lower-cased like users.email
  event_id   TEXT    NOT NULL,
  role       TEXT    NOT NULL CHECK (role IN ('organiser', 'expert', 'moderator')),
  section    INTEGER CHECK (section IS NULL OR (section >= 1 AND role IN ('expert', 'moderator'))),
  invited_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX role_invitations_unique ON role_invitations(email, event_id, role, coalesce(section, 0));
CREATE INDEX role_invitations_by_event ON role_invitations(event_id);
