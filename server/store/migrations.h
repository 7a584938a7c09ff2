// The schema migrations compiled into the binary (server/store/migrations/NNN_name.sql, and
// the PostgreSQL twins of some in migrations/postgresql/), in
// version order. Internal to store/: Db::open applies them. Immutable, any thread.
#pragma once

#include <span>
#include <string_view>

namespace praktika::store {

struct Migration {
  int version;            // NNN of the file name; versions run 1, 2, 3… without gaps
  std::string_view name;  // the file name's tail, for messages
  std::string_view sql;   // the whole file, run with sqlite3_exec
  // migrations/postgresql/NNN_name.sql where the dialects differ; empty when `sql` serves both
  // (through pg::migration_sql's translation of the column types).
  std::string_view postgresql;
};

std::span<const Migration> embedded_migrations();

}  // namespace praktika::store
