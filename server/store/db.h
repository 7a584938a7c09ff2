// SQLite storage: one connection to the server's database file (WAL), with the embedded
// schema migrations applied at open. Any thread may call a Db; every use of the connection is
// serialised by one mutex held for a whole transaction. Calls block on disk: make them from the
// worker pool, never from a connection's strand.
//
// Limits, on purpose: writes and reads are serialised through the one connection. That is fine
// for this load (hundreds of participants, tens of writes a second); a pool of read-only
// connections can come later behind the same Tx API without changing callers.
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

namespace praktika::store {

// Stable codes of the Status values this module returns.
inline constexpr std::string_view kStorageError = "storage_error";    // 500: I/O, corruption, a bug in SQL
inline constexpr std::string_view kStorageBusy = "storage_busy";      // 503: another process held the lock too long
inline constexpr std::string_view kStorageFull = "storage_full";      // 503: no space left (ENOSPC, EFBIG, quota)
inline constexpr std::string_view kConflict = "conflict";             // 409: a UNIQUE or PRIMARY KEY violation
inline constexpr std::string_view kConstraintFailed = "constraint_failed";  // 409: FOREIGN KEY, CHECK, NOT NULL
inline constexpr std::string_view kSchemaTooNew = "schema_too_new";   // 500: the file was written by a newer build

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
  Stmt& check_bind(int rc);

  sqlite3* db_;
  sqlite3_stmt* stmt_;  // null when preparing failed
  bool* in_use_;        // the cache slot's flag; null for a statement this Stmt owns and finalizes
  Status error_;        // sticky
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

  std::int64_t last_insert_id() const;
  int changes() const;  // rows changed by the last INSERT/UPDATE/DELETE

 private:
  friend class Db;
  Tx(Db& db, bool read_only) : db_(db), read_only_(read_only) {}

  Db& db_;
  const bool read_only_;
};

class Db {
 public:
  // Opens or creates the file, sets the pragmas and applies every embedded migration newer
  // than the file's schema version, each in its own transaction. A file whose version is newer
  // than this build knows is refused with kSchemaTooNew, untouched.
  static Result<std::unique_ptr<Db>> open(const std::filesystem::path& file);
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
  // Blocks other users of this Db for the copy's duration.
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
  const std::filesystem::path& file() const { return file_; }

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

  Db(sqlite3* handle, std::filesystem::path file) : handle_(handle), file_(std::move(file)) {}
  Status configure();
  Status migrate();
  Status run_in_transaction(const char* begin, bool read_only, const std::function<Status(Tx&)>& work);
  void after_write(const Status& result);


  // Constant after open.
  sqlite3* const handle_;
  const std::filesystem::path file_;
  int schema_version_ = 0;
  std::unique_ptr<Reserve> reserve_;  // set before the Db is shared; thread-safe itself

  // Guarded by mutex_: the connection itself (handle_ is used only under it) and the cache.
  Mutex mutex_;
  std::unordered_map<std::string, CachedStmt, StringHash, std::equal_to<>> cache_ GUARDED_BY(mutex_);
};

}  // namespace praktika::store
