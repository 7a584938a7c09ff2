-- Accounts: people, their sessions and their roles per event.
-- Instants are INTEGER milliseconds since the Unix epoch, UTC.
-- A migration runs inside a transaction: no BEGIN/COMMIT and no PRAGMA that cannot run in one.

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  email         TEXT    NOT NULL UNIQUE,   -- trimmed and lower-cased by the service
  password_hash TEXT    NOT NULL,          -- crypto_pwhash_str (argon2id), parameters inside
  full_name     TEXT    NOT NULL,
  created_at    INTEGER NOT NULL
) STRICT;

-- Only a hash of the cookie token is stored: a leaked database opens no session.
CREATE TABLE sessions (
  token_hash   BLOB    PRIMARY KEY,        -- crypto_generichash (BLAKE2b-256) of the 32 token bytes
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX sessions_by_user ON sessions(user_id);
CREATE INDEX sessions_by_expiry ON sessions(expires_at);

-- A section applies to expert and moderator only; NULL means the whole event.
CREATE TABLE event_roles (
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  event_id   TEXT    NOT NULL,
  role       TEXT    NOT NULL CHECK (role IN ('organiser', 'expert', 'moderator', 'participant')),
  section    INTEGER CHECK (section IS NULL OR (section >= 1 AND role IN ('expert', 'moderator'))),
  created_at INTEGER NOT NULL
) STRICT;
-- NULLs are distinct in a UNIQUE constraint, so the section is folded to 0 for uniqueness.
CREATE UNIQUE INDEX event_roles_unique ON event_roles(user_id, event_id, role, coalesce(section, 0));
CREATE INDEX event_roles_by_event ON event_roles(event_id, role);
