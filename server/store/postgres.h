// PostgreSQL behind store::Db (internal to store/): a pool of blocking libpq connections, each
// with its own prepared statements; a statement written for SQLite (`?`, `?NNN`) run with `$N`;
// libpq's errors turned into the store's codes. Db, Tx and Stmt call into this; nothing else does.
// Pool is thread-safe; a Connection is used by one Tx at a time, on the thread that holds it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/mutex.h"
#include "common/status.h"

struct pg_conn;
struct pg_result;

namespace praktika::store::pg {

// What the SQL of a migration written for SQLite becomes on PostgreSQL: INTEGER (SQLite's
// 64-bit integer) is BIGINT, and INTEGER PRIMARY KEY (SQLite's rowid) an identity column unless
// it REFERENCES another table; REAL
// is DOUBLE PRECISION, BLOB is BYTEA; STRICT and WITHOUT ROWID are dropped. Nothing else changes,
// so a migration that needs more has its twin in migrations/postgresql/.
std::string migration_sql(std::string_view sqlite_sql);

// SQLite's placeholders (`?NNN`, and `?` numbered after the highest so far) as `$N`, outside
// string literals, quoted names and comments. `count` is the highest parameter number; `used`,
// when given, gets which numbers (1-based) the text names.
std::string dollar_placeholders(std::string_view sql, int& count, std::vector<bool>* used = nullptr);

// What is known of the tables after the migrations: which have an identity column (for
// Tx::last_insert_id, an INSERT into them returns it). Constant once read.
struct Schema {
  std::map<std::string, std::string, std::less<>> identity_column;  // table -> column
};

// One libpq connection and what lives on it.
struct Connection {
  pg_conn* conn = nullptr;
  std::map<std::string, std::string, std::less<>> prepared;  // SQL + parameter types -> statement name
  int next_statement = 0;
  // Of the transaction in progress.
  Status failed;  // the first error: PostgreSQL refuses everything after it until ROLLBACK
  std::int64_t last_insert_id = 0;
  int changes = 0;
  const Schema* schema = nullptr;

  ~Connection();
  bool broken() const;
  // Records the error of a statement, and that the transaction is over.
  Status fail(Status error);
};

// A statement in progress: the SQL, its parameters as bound, then its whole result.
class Query {
 public:
  Query(Connection& c, std::string_view sql, bool read_only);
  ~Query();
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  void bind_int(int index, std::int64_t value);
  void bind_real(int index, double value);
  void bind_text(int index, std::string_view value);
  void bind_blob(int index, const unsigned char* data, std::size_t size);
  void bind_null(int index);

  Result<bool> step();

  bool is_null(int column) const;
  std::int64_t int64(int column) const;
  double real(int column) const;
  std::string text(int column) const;
  std::vector<unsigned char> blob(int column) const;

 private:
  struct Param {
    unsigned type = 0;  // an OID; 0 lets the server infer it from where the parameter stands
    bool null = true;
    bool binary = false;
    std::string value;
  };
  Param& param(int index);
  Status execute();
  std::string_view raw(int column) const;

  Connection& c_;
  std::string sql_;       // with $N
  std::string returning_;  // the identity column appended as RETURNING, for last_insert_id
  std::vector<Param> params_;
  std::vector<bool> used_;  // which $N the text names (index N)
  Status error_;          // sticky, as Stmt's
  pg_result* result_ = nullptr;
  int rows_ = 0;
  int row_ = -1;
};

// Connections opened as needed up to `size`, each handed to one transaction at a time.
class Pool {
 public:
  Pool(std::string url, int size);
  ~Pool();

  // A connection for one transaction (waits while all are in use); 503 storage_unavailable when
  // none can be opened. Give it back with release().
  Result<Connection*> acquire();
  void release(Connection* c);

  void set_schema(const Schema* schema) { schema_ = schema; }

 private:
  Result<std::unique_ptr<Connection>> open();

  const std::string url_;
  const int size_;
  const Schema* schema_ = nullptr;  // set once, before the pool is shared

  Mutex mutex_;
  CondVar freed_;
  std::vector<std::unique_ptr<Connection>> idle_ GUARDED_BY(mutex_);
  int open_ GUARDED_BY(mutex_) = 0;  // connections made and not dropped, idle or in use
};

// Runs SQL without parameters (BEGIN, COMMIT, a migration's script); the result of its last statement.
Status exec(Connection& c, std::string_view sql);
// The error of a failed result (or of the connection, when there is no result), logged.
Status error_from(pg_conn* conn, const pg_result* result, std::string_view what);

}  // namespace praktika::store::pg
