// The store: SQLite by default (one connection to the server's database file, WAL), or
// PostgreSQL (`Db::connect`, a small pool of blocking libpq connections, so several hosts share
// one database). The embedded schema migrations are applied at open. Any thread may call a Db.
// Calls block on disk or the network: make them from the worker pool, never from a connection's
// strand.
//
// The guarantee callers rely on, in both dialects: a write transaction runs as if alone (SQLite's
// BEGIN IMMEDIATE takes the one write lock; PostgreSQL's takes one transaction-scoped advisory
// lock first, so writers queue across every instance as they do on one file), and a read
// transaction sees one consistent snapshot. After a failed statement the transaction is over:
// return its error (PostgreSQL refuses any further statement in it).
//
// Limits, on purpose: on SQLite writes and reads are serialised through the one connection; on
// PostgreSQL reads run in parallel and writes one at a time. That is fine for this load
// (hundreds of participants, tens of writes a second).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "store/reserve.h"
#include "common/mutex.h"

struct sqlite3;
struct sqlite3_stmt;

namespace praktika::metrics {
class Writer;
}

namespace praktika::store {

// Any thread: transaction latency, busy waits and unexpected errors, process-wide.
void write_metrics(metrics::Writer& out);
namespace pg {
class Pool;
class Query;
struct Connection;
struct Schema;
}  // namespace pg

// Which SQL the database speaks, for the few statements that must differ (see docs/architecture.md,
// "The store's two dialects"); everything else is written once in the SQL both accept.
enum class Dialect { sqlite, postgresql };

// A subquery giving the elements of a JSON array bound as text to parameter `index`, one row each,
// for `x IN (…)`: json_each on SQLite, json_array_elements_text on PostgreSQL (cast to BIGINT
// there when `integers`, as PostgreSQL compares no text with a number).
std::string json_array_values(Dialect dialect, int index, bool integers);

// The tail of a SELECT that claims rows for a background job another instance may be claiming at
// the same moment (the mail outbox, the certificates): on PostgreSQL ` FOR UPDATE [OF alias] SKIP
// LOCKED`, so a row another transaction holds is passed over rather than waited for or taken
// twice; nothing on SQLite, whose one writer already keeps two claims apart. `of`: the alias of
// the claimed table when the SELECT joins others (their rows stay unlocked). Run it in a write
// transaction that marks the rows it got (claimed_until), so the claim outlives the transaction.
std::string skip_locked(Dialect dialect, std::string_view of = {});

// Who holds a claim: "host:pid", for the claimed_by columns an operator reads.
const std::string& claim_holder();

// Stable codes of the Status values this module returns.
inline constexpr std::string_view kStorageError = "storage_error";    // 500: I/O, corruption, a bug in SQL
inline constexpr std::string_view kStorageBusy = "storage_busy";      // 503: another process held the lock too long
inline constexpr std::string_view kStorageFull = "storage_full";      // 503: no space left (ENOSPC, EFBIG, quota)
inline constexpr std::string_view kConflict = "conflict";             // 409: a UNIQUE or PRIMARY KEY violation
inline constexpr std::string_view kConstraintFailed = "constraint_failed";  // 409: FOREIGN KEY, CHECK, NOT NULL
inline constexpr std::string_view kSchemaTooNew = "schema_too_new";   // 500: the file was written by a newer build
inline constexpr std::string_view kStorageUnavailable = "storage_unavailable";  // 503: the database server is unreachable

inline bool is_conflict(const Status& s) { return s.code() == kConflict; }

class Db;

// A prepared statement borrowed from the connection's statement cache. It lives inside the
// Tx that made it and must not outlive it (the mutex is released when the Tx ends).
// Errors are sticky: a failed prepare or bind is reported by the next step()/run(), so a
// statement can be written as one chain.
class Stmt {
 public:
  Stmt(Stmt&& other) noexcept;
  Stmt& operator=(Stmt&&) = delete;
  Stmt(const Stmt&) = delete;
  ~Stmt();  // resets the statement and clears its bindings, returning it to the cache

  // Parameter indexes are 1-based, as in SQL's ?NNN.
  Stmt& bind_int(int index, std::int64_t value);
  Stmt& bind_real(int index, double value);
  Stmt& bind_text(int index, std::string_view value);
  Stmt& bind_blob(int index, std::span<const unsigned char> value);
  Stmt& bind_null(int index);
  Stmt& bind_int(int index, std::optional<std::int64_t> value);  // null when empty

  // Advances; true when a row is ready to read, false when the statement is done.
  Result<bool> step();
  // Steps to the end; for statements whose rows, if any, are not wanted.
  Status run();

  // Column readers, 0-based; valid after step() returned true.
  bool is_null(int column) const;
  std::int64_t int64(int column) const;
  double real(int column) const;
  std::string text(int column) const;
  std::vector<unsigned char> blob(int column) const;
  std::optional<std::int64_t> optional_int64(int column) const;

 private:
  friend class Tx;
  Stmt(sqlite3* db, sqlite3_stmt* stmt, bool* in_use, Status error);
  explicit Stmt(std::unique_ptr<pg::Query> query);
  Stmt& check_bind(int rc);

  sqlite3* db_;
  sqlite3_stmt* stmt_;  // null when preparing failed
  bool* in_use_;        // the cache slot's flag; null for a statement this Stmt owns and finalizes
  Status error_;        // sticky
  std::unique_ptr<pg::Query> pg_;  // set instead of the above on PostgreSQL
};

// One transaction in progress, holding the Db's mutex. Given to the work function of
// Db::transaction / Db::read; not constructible elsewhere, so a statement can only run guarded.
class Tx {
 public:
  Tx(const Tx&) = delete;
  Tx& operator=(const Tx&) = delete;

  // A statement for this SQL text, prepared once per connection and cached. Preparing the same
  // text again while the first Stmt is alive (a nested loop) gives a fresh, uncached statement.
  Stmt prepare(std::string_view sql);
  // Runs one or more statements without parameters (DDL, PRAGMA).
  Status exec(std::string_view sql);

  // The key of the row the last INSERT made (SQLite's rowid; on PostgreSQL the table's identity
  // column, which a migration's INTEGER PRIMARY KEY becomes).
  std::int64_t last_insert_id() const;
  int changes() const;  // rows changed by the last INSERT/UPDATE/DELETE

  Dialect dialect() const;

 private:
  friend class Db;
  Tx(Db& db, bool read_only, pg::Connection* pg = nullptr) : db_(db), read_only_(read_only), pg_(pg) {}

  Db& db_;
  const bool read_only_;
  pg::Connection* const pg_;  // the pooled connection on PostgreSQL, held for this Tx
};

class Db {
 public:
  // Opens or creates the file, sets the pragmas and applies every embedded migration newer
  // than the file's schema version, each in its own transaction. A file whose version is newer
  // than this build knows is refused with kSchemaTooNew, untouched.
  static Result<std::unique_ptr<Db>> open(const std::filesystem::path& file);
  // Connects to PostgreSQL (`url`: postgresql://user@host:port/database, anything libpq takes)
  // and applies the migrations the same way, under an advisory lock so that instances starting
  // together apply each once. Connections are opened as needed, at most `connections`; one lost
  // (the server restarted) is opened again by the next transaction, which meanwhile gets 503
  // storage_unavailable.
  static Result<std::unique_ptr<Db>> connect(const std::string& url, int connections = 8);
  static bool is_postgresql_url(std::string_view location) {
    return location.starts_with("postgresql://") || location.starts_with("postgres://");
  }
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Runs `work` inside BEGIN IMMEDIATE … COMMIT; rolls back when `work` returns an error (or
  // throws) or the commit fails, and returns that error. One call per command of the caller.
  Status transaction(const std::function<Status(Tx&)>& work);
  // Runs `work` in a read transaction (one consistent snapshot). Statements that would write
  // are refused with kStorageError.
  Status read(const std::function<Status(Tx&)>& work);

  // Copies the whole database, consistently, to `file` with SQLite's online backup API. Writes
  // to "<file>.tmp" and renames, so `file` is either the old content or a complete copy.
  // Blocks other users of this Db for the copy's duration. Refused on PostgreSQL (pg_dump's job).
  Status backup_to(const std::filesystem::path& file);

  // Keeps `reserve` (space set aside on the database's disk): given back when a transaction
  // finds the disk full, so the next writes (a sign-in, a deletion) find room; taken again after
  // a write once there is room. Called once, before the Db is shared between threads.
  void keep_reserve(std::unique_ptr<Reserve> reserve) { reserve_ = std::move(reserve); }
  // For writers outside the database that found its disk full (an upload's body): gives the
  // reserve back. Any thread.
  void disk_full();

  int schema_version() const { return schema_version_; }
  static int latest_schema_version();
  const std::filesystem::path& file() const { return file_; }  // empty on PostgreSQL
  Dialect dialect() const { return pg_ ? Dialect::postgresql : Dialect::sqlite; }

 private:
  friend class Tx;
  struct CachedStmt {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  Db(sqlite3* handle, std::filesystem::path file);
  explicit Db(std::unique_ptr<pg::Pool> pool);
  Status configure();
  Status migrate();
  Status run_in_transaction(const char* begin, bool read_only, const std::function<Status(Tx&)>& work);
  Status run_in_pg_transaction(bool read_only, const std::function<Status(Tx&)>& work);
  void after_write(const Status& result);


  // Constant after open.
  sqlite3* const handle_;
  const std::filesystem::path file_;
  int schema_version_ = 0;
  std::unique_ptr<Reserve> reserve_;  // set before the Db is shared; thread-safe itself
  std::unique_ptr<pg::Pool> pg_;      // PostgreSQL's connections (thread-safe itself); null on SQLite
  std::unique_ptr<pg::Schema> pg_schema_;  // what PostgreSQL's tables are, read after migrating

  // Guarded by mutex_: the connection itself (handle_ is used only under it) and the cache.
  Mutex mutex_;
  std::unordered_map<std::string, CachedStmt, StringHash, std::equal_to<>> cache_ GUARDED_BY(mutex_);
};

}  // namespace praktika::store
