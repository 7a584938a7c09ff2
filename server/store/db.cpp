#include "store/db.h"

#include <sqlite3.h>

#include <cassert>
#include <cerrno>
#include <cstdio>
#include <string>
#include <system_error>

#include "store/migrations.h"

namespace praktika::store {
namespace {

// Long enough to ride out a checkpoint or the admin CLI writing beside the server; short
// enough that a stuck lock becomes a visible 503 instead of a hung request.
constexpr int kBusyTimeoutMs = 5000;

// The errno of the failed write. SQLite keeps it on each file, but the connection-wide copy
// (sqlite3_system_errno) is taken from errno after the rollback has already overwritten it, so a
// write cut by a file-size limit or a quota would read as a plain I/O error. Ask the files: the
// write-ahead log (where a write lands first) and the database itself.
int failed_write_errno(sqlite3* db) {
  int os_error = 0;
  sqlite3_file* journal = nullptr;
  if (sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &journal) == SQLITE_OK && journal &&
      journal->pMethods) {
    journal->pMethods->xFileControl(journal, SQLITE_FCNTL_LAST_ERRNO, &os_error);
  }
  if (os_error == 0) sqlite3_file_control(db, "main", SQLITE_FCNTL_LAST_ERRNO, &os_error);
  return os_error != 0 ? os_error : sqlite3_system_errno(db);
}

bool is_out_of_space(int os_error) { return os_error == ENOSPC || os_error == EFBIG || os_error == EDQUOT; }

Status error_from(sqlite3* db, int rc, std::string_view what) {
  const int primary = rc & 0xff;
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return Status::conflict(std::string(kConflict), "Такая запись уже существует");
  }
  // Everything below is unexpected; the detail goes to the log, the client gets a plain message.
  std::fprintf(stderr, "store: %.*s: %s (sqlite code %d)\n", static_cast<int>(what.size()), what.data(),
               db ? sqlite3_errmsg(db) : sqlite3_errstr(rc), rc);
  if (primary == SQLITE_CONSTRAINT) {
    return Status::conflict(std::string(kConstraintFailed), "Запись противоречит связанным данным");
  }
  // A full disk (ENOSPC) is SQLITE_FULL; a file-size limit (EFBIG) or a quota surfaces as an I/O
  // error whose errno says so. Either way the transaction was rolled back and nothing stored is
  // lost: say so plainly, as the transport does for an upload body (storage_full).
  if (primary == SQLITE_FULL || (primary == SQLITE_IOERR && db && is_out_of_space(failed_write_errno(db)))) {
    return Status::unavailable(std::string(kStorageFull), "На сервере закончилось место. Попробуйте позже.");
  }
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return Status::unavailable(std::string(kStorageBusy), "Хранилище занято, повторите попытку позже");
  }
  return Status::internal(std::string(kStorageError), "Ошибка хранилища данных");
}

bool only_whitespace(const char* tail) {
  // A trailing ";" with spaces or a newline leaves such a tail; anything else is a second statement.
  for (; *tail; ++tail) {
    if (*tail != ' ' && *tail != '\n' && *tail != '\r' && *tail != '\t') return false;
  }
  return true;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Stmt

Stmt::Stmt(sqlite3* db, sqlite3_stmt* stmt, bool* in_use, Status error)
    : db_(db), stmt_(stmt), in_use_(in_use), error_(std::move(error)) {}

Stmt::Stmt(Stmt&& other) noexcept
    : db_(other.db_), stmt_(other.stmt_), in_use_(other.in_use_), error_(std::move(other.error_)) {
  other.stmt_ = nullptr;
  other.in_use_ = nullptr;
}

Stmt::~Stmt() {
  if (!stmt_) return;
  if (in_use_) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    *in_use_ = false;
  } else {
    sqlite3_finalize(stmt_);
  }
}

Stmt& Stmt::check_bind(int rc) {
  if (rc != SQLITE_OK && error_.is_ok()) error_ = error_from(db_, rc, sqlite3_sql(stmt_));
  return *this;
}

Stmt& Stmt::bind_int(int index, std::int64_t value) {
  if (!stmt_) return *this;
  return check_bind(sqlite3_bind_int64(stmt_, index, value));
}

Stmt& Stmt::bind_real(int index, double value) {
  if (!stmt_) return *this;
  return check_bind(sqlite3_bind_double(stmt_, index, value));
}

Stmt& Stmt::bind_text(int index, std::string_view value) {
  if (!stmt_) return *this;
  return check_bind(sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
}

Stmt& Stmt::bind_blob(int index, std::span<const unsigned char> value) {
  if (!stmt_) return *this;
  // A null pointer would bind NULL; an empty blob must stay an empty blob.
  static const unsigned char kEmpty = 0;
  return check_bind(
      sqlite3_bind_blob64(stmt_, index, value.empty() ? &kEmpty : value.data(), value.size(), SQLITE_TRANSIENT));
}

Stmt& Stmt::bind_null(int index) {
  if (!stmt_) return *this;
  return check_bind(sqlite3_bind_null(stmt_, index));
}

Stmt& Stmt::bind_int(int index, std::optional<std::int64_t> value) {
  return value ? bind_int(index, *value) : bind_null(index);
}

Result<bool> Stmt::step() {
  if (!error_.is_ok()) return error_;
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  error_ = error_from(db_, rc, sqlite3_sql(stmt_));
  return error_;
}

Status Stmt::run() {
  for (;;) {
    auto row = step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::ok();
  }
}

bool Stmt::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

std::int64_t Stmt::int64(int column) const { return sqlite3_column_int64(stmt_, column); }

double Stmt::real(int column) const { return sqlite3_column_double(stmt_, column); }

std::string Stmt::text(int column) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  const int n = sqlite3_column_bytes(stmt_, column);
  return p ? std::string(p, static_cast<std::size_t>(n)) : std::string();
}

std::vector<unsigned char> Stmt::blob(int column) const {
  const auto* p = static_cast<const unsigned char*>(sqlite3_column_blob(stmt_, column));
  const int n = sqlite3_column_bytes(stmt_, column);
  return p ? std::vector<unsigned char>(p, p + n) : std::vector<unsigned char>();
}

std::optional<std::int64_t> Stmt::optional_int64(int column) const {
  if (is_null(column)) return std::nullopt;
  return int64(column);
}

// ---------------------------------------------------------------------------------------------
// Tx

Stmt Tx::prepare(std::string_view sql) {
  db_.mutex_.assert_held();  // a Tx is made only under the lock, by Db::transaction and Db::read
  sqlite3* const h = db_.handle_;
  auto it = db_.cache_.find(sql);
  sqlite3_stmt* stmt = nullptr;
  bool* in_use = nullptr;
  if (it != db_.cache_.end() && !it->second.in_use) {
    stmt = it->second.stmt;
    in_use = &it->second.in_use;
  } else {
    const char* tail = nullptr;
    const bool cache_it = it == db_.cache_.end();
    const int rc = sqlite3_prepare_v3(h, sql.data(), static_cast<int>(sql.size()),
                                      cache_it ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, &tail);
    if (rc != SQLITE_OK || !stmt) {
      if (stmt) sqlite3_finalize(stmt);
      return Stmt(h, nullptr, nullptr,
                  rc != SQLITE_OK ? error_from(h, rc, sql)
                                  : Status::internal(std::string(kStorageError), "Пустой SQL-запрос"));
    }
    if (tail && tail < sql.data() + sql.size() &&
        !only_whitespace(std::string(tail, sql.data() + sql.size()).c_str())) {
      sqlite3_finalize(stmt);
      std::fprintf(stderr, "store: more than one statement in prepare(): %.*s\n", static_cast<int>(sql.size()),
                   sql.data());
      return Stmt(h, nullptr, nullptr, Status::internal(std::string(kStorageError), "Ошибка хранилища данных"));
    }
    if (cache_it) {
      auto [slot, inserted] = db_.cache_.emplace(std::string(sql), Db::CachedStmt{stmt, false});
      assert(inserted);
      in_use = &slot->second.in_use;
    }
  }
  if (in_use) *in_use = true;
  Status error;
  if (read_only_ && !sqlite3_stmt_readonly(stmt)) {
    std::fprintf(stderr, "store: a writing statement inside Db::read(): %.*s\n", static_cast<int>(sql.size()),
                 sql.data());
    error = Status::internal(std::string(kStorageError), "Ошибка хранилища данных");
  }
  return Stmt(h, stmt, in_use, std::move(error));
}

Status Tx::exec(std::string_view sql) {
  if (read_only_) return Status::internal(std::string(kStorageError), "Ошибка хранилища данных");
  const std::string text(sql);
  const int rc = sqlite3_exec(db_.handle_, text.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return error_from(db_.handle_, rc, sql.substr(0, 200));
  return Status::ok();
}

std::int64_t Tx::last_insert_id() const { return sqlite3_last_insert_rowid(db_.handle_); }

int Tx::changes() const { return sqlite3_changes(db_.handle_); }

// ---------------------------------------------------------------------------------------------
// Db

int Db::latest_schema_version() {
  const auto all = embedded_migrations();
  return all.empty() ? 0 : all.back().version;
}

Result<std::unique_ptr<Db>> Db::open(const std::filesystem::path& file) {
  std::error_code ec;
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);

  sqlite3* handle = nullptr;
  // NOMUTEX: the connection is serialised by Db::mutex_, SQLite's own mutex would be a second lock.
  const int rc = sqlite3_open_v2(file.c_str(), &handle,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Status s = error_from(handle, rc, "open " + file.string());
    sqlite3_close_v2(handle);
    return s;
  }
  std::unique_ptr<Db> db(new Db(handle, file));
  if (Status s = db->configure(); !s.is_ok()) return s;
  if (Status s = db->migrate(); !s.is_ok()) return s;
  return db;
}

Db::~Db() {
  for (auto& [sql, cached] : cache_) {
    assert(!cached.in_use);  // a Stmt outlived its Tx
    sqlite3_finalize(cached.stmt);
  }
  // The last connection to close checkpoints the WAL into the main file and removes it.
  sqlite3_close_v2(handle_);
}

Status Db::configure() {
  sqlite3_extended_result_codes(handle_, 1);
  sqlite3_busy_timeout(handle_, kBusyTimeoutMs);

  // WAL: readers never block the writer, and a commit is one append instead of a journal dance.
  {
    MutexLock lock(mutex_);
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(handle_, "PRAGMA journal_mode=WAL", -1, &stmt, nullptr);
    std::string mode;
    if (rc == SQLITE_OK) rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) mode = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    sqlite3_finalize(stmt);
    if (rc != SQLITE_ROW) return error_from(handle_, rc, "PRAGMA journal_mode=WAL");
    if (mode != "wal") {
      std::fprintf(stderr, "store: %s: WAL mode refused (journal_mode=%s)\n", file_.c_str(), mode.c_str());
      return Status::internal(std::string(kStorageError), "Хранилище не поддерживает режим WAL");
    }
  }

  // synchronous=FULL, not NORMAL. NORMAL in WAL mode survives a crash or SIGKILL of the process,
  // but a power loss or kernel panic may drop the last commits. What we commit is a promise made
  // to a person (an application submitted, a payment confirmed, a verdict given), and the write
  // rate is tens a second at most, so one fsync per commit is a price worth paying.
  // foreign_keys: off by default in SQLite, and our schema relies on ON DELETE CASCADE.
  MutexLock lock(mutex_);
  const int rc = sqlite3_exec(handle_, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return error_from(handle_, rc, "PRAGMA synchronous/foreign_keys");
  return Status::ok();
}

Status Db::migrate() {
  const auto all = embedded_migrations();
  for (std::size_t i = 0; i < all.size(); ++i) {
    // Build-time guarantee, checked once here: a gap would silently skip a migration.
    if (all[i].version != static_cast<int>(i) + 1) {
      std::fprintf(stderr, "store: embedded migrations are not numbered 1..N (found %d at %zu)\n", all[i].version,
                   i + 1);
      return Status::internal(std::string(kStorageError), "Нарушена нумерация миграций схемы");
    }
  }
  const int latest = latest_schema_version();
  // One migration per transaction, re-reading the version under the write lock each time, so
  // two processes opening the same file (server and admin CLI) never apply one twice.
  for (;;) {
    int version = 0;
    bool done = false;
    Status s = transaction([&](Tx& tx) -> Status {
      {
        // Reset before the migration runs: an active statement makes DROP TABLE fail (SQLITE_LOCKED).
        auto q = tx.prepare("PRAGMA user_version");
        auto row = q.step();
        if (!row.ok()) return row.status();
        version = static_cast<int>(q.int64(0));
      }
      if (version > latest) {
        return Status::internal(std::string(kSchemaTooNew),
                                "База данных создана более новой версией программы (версия схемы " +
                                    std::to_string(version) + ", эта программа знает до " + std::to_string(latest) +
                                    ")");
      }
      if (version == latest) {
        done = true;
        return Status::ok();
      }
      const Migration& m = all[static_cast<std::size_t>(version)];
      if (Status e = tx.exec(m.sql); !e.is_ok()) {
        std::fprintf(stderr, "store: migration %03d_%.*s failed\n", m.version, static_cast<int>(m.name.size()),
                     m.name.data());
        return e;
      }
      return tx.exec("PRAGMA user_version = " + std::to_string(m.version));
    });
    if (!s.is_ok()) return s;
    if (done) {
      schema_version_ = version;
      return Status::ok();
    }
  }
}

Status Db::run_in_transaction(const char* begin, bool read_only, const std::function<Status(Tx&)>& work) {
  MutexLock lock(mutex_);
  int rc = sqlite3_exec(handle_, begin, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return error_from(handle_, rc, begin);

  auto rollback = [this] {
    // An I/O error may already have rolled the transaction back inside SQLite.
    if (!sqlite3_get_autocommit(handle_)) sqlite3_exec(handle_, "ROLLBACK", nullptr, nullptr, nullptr);
  };
  Tx tx(*this, read_only);
  Status result;
  try {
    result = work(tx);
  } catch (...) {
    rollback();
    throw;
  }
  if (!result.is_ok()) {
    rollback();
    return result;
  }
  rc = sqlite3_exec(handle_, "COMMIT", nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) {
    Status s = error_from(handle_, rc, "COMMIT");
    rollback();
    return s;
  }
  return Status::ok();
}

Status Db::transaction(const std::function<Status(Tx&)>& work) {
  // IMMEDIATE takes the write lock up front: a deferred transaction that reads and then writes
  // can fail with SQLITE_BUSY at the write, past the busy handler's help.
  Status result = run_in_transaction("BEGIN IMMEDIATE", false, work);
  after_write(result);
  return result;
}

Status Db::read(const std::function<Status(Tx&)>& work) { return run_in_transaction("BEGIN DEFERRED", true, work); }

// The write that finds the disk full is answered storage_full; giving the reserve back then lets
// the writes after it (signing in to delete what filled the disk) succeed.
void Db::after_write(const Status& result) {
  if (!reserve_) return;
  if (result.code() == kStorageFull) reserve_->release();
  else if (result.is_ok()) reserve_->refill();
}

void Db::disk_full() {
  if (reserve_) reserve_->release();
}

Status Db::backup_to(const std::filesystem::path& file) {
  std::filesystem::path tmp = file;
  tmp += ".tmp";
  std::error_code ec;
  std::filesystem::remove(tmp, ec);
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);

  MutexLock lock(mutex_);
  sqlite3* dest = nullptr;
  int rc = sqlite3_open_v2(tmp.c_str(), &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    Status s = error_from(dest, rc, "backup: open " + tmp.string());
    sqlite3_close_v2(dest);
    return s;
  }
  sqlite3_backup* backup = sqlite3_backup_init(dest, "main", handle_, "main");
  if (!backup) {
    Status s = error_from(dest, sqlite3_errcode(dest), "backup: init");
    sqlite3_close_v2(dest);
    std::filesystem::remove(tmp, ec);
    return s;
  }
  // All pages in one step: we hold mutex_, so nothing in this process writes meanwhile, and
  // another process's write would only make the step restart, not corrupt the copy.
  rc = sqlite3_backup_step(backup, -1);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) {
    Status s = error_from(dest, rc, "backup: step");
    sqlite3_close_v2(dest);
    std::filesystem::remove(tmp, ec);
    return s;
  }
  rc = sqlite3_close_v2(dest);
  if (rc != SQLITE_OK) return error_from(nullptr, rc, "backup: close");
  std::filesystem::rename(tmp, file, ec);
  if (ec) {
    std::fprintf(stderr, "store: backup: rename %s: %s\n", tmp.c_str(), ec.message().c_str());
    return Status::internal(std::string(kStorageError), "Не удалось сохранить резервную копию");
  }
  return Status::ok();
}

}  // namespace praktika::store
