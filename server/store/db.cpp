#include "store/db.h"

#include <sqlite3.h>

#include <algorithm>
#include <cassert>
#include <chrono>
#include <cerrno>
#include <cstdio>
#include <string>
#include <system_error>

#include <unistd.h>

#include "log/log.h"
#include "metrics/metrics.h"
#include "store/migrations.h"
#include "store/postgres.h"

namespace praktika::store {
namespace {

struct StoreMetrics {
  metrics::Histogram write_seconds{metrics::latency_bounds()};
  metrics::Histogram read_seconds{metrics::latency_bounds()};
  metrics::Counter busy_retries;
  metrics::Family<metrics::Counter> errors{{"code"}};
};

StoreMetrics& store_metrics() {
  static StoreMetrics m;
  return m;
}

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

Status classify(sqlite3* db, int rc, std::string_view what) {
  const int primary = rc & 0xff;
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return Status::conflict(std::string(kConflict), "Такая запись уже существует");
  }
  // Everything below is unexpected; the detail goes to the log, the client gets a plain message.
  log::error("store.error")
      .str("sql", what.substr(0, 120))
      .str("sqlite", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc))
      .num("sqlite_code", rc);
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

Status error_from(sqlite3* db, int rc, std::string_view what) {
  Status s = classify(db, rc, what);
  if (s.code() != kConflict) {
    store_metrics().errors.at({s.code()}).inc();
    log::note_problem(s.code());
  }
  return s;
}

// sqlite3_busy_timeout's waits, counted: each call is one more wait for a lock another
// connection (the admin CLI, a checkpoint) holds.
int busy_wait(void*, int count) {
  static constexpr int kDelaysMs[] = {1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100};
  constexpr int kSteps = sizeof kDelaysMs / sizeof kDelaysMs[0];
  int waited = 0;
  for (int i = 0; i < count && i < kSteps; ++i) waited += kDelaysMs[i];
  if (count > kSteps) waited += (count - kSteps) * kDelaysMs[kSteps - 1];
  if (waited >= kBusyTimeoutMs) return 0;
  int delay = std::min(count < kSteps ? kDelaysMs[count] : kDelaysMs[kSteps - 1], kBusyTimeoutMs - waited);
  store_metrics().busy_retries.inc();
  sqlite3_sleep(delay);
  return 1;
}

// The schema's version: SQLite's user_version in the file's header; on PostgreSQL a one-row table.
Result<int> read_schema_version(Tx& tx) {
  if (tx.dialect() == Dialect::postgresql) {
    if (Status s = tx.exec("CREATE TABLE IF NOT EXISTS praktika_schema (version BIGINT NOT NULL)"); !s.is_ok()) return s;
  }
  // Reset before the migration runs: an active statement makes DROP TABLE fail (SQLITE_LOCKED).
  auto q = tx.prepare(tx.dialect() == Dialect::postgresql ? "SELECT coalesce(max(version), 0) FROM praktika_schema"
                                                          : "PRAGMA user_version");
  auto row = q.step();
  if (!row.ok()) return row.status();
  return static_cast<int>(q.int64(0));
}

Status write_schema_version(Tx& tx, int version) {
  if (tx.dialect() == Dialect::postgresql)
    return tx.exec("DELETE FROM praktika_schema; INSERT INTO praktika_schema (version) VALUES (" +
                   std::to_string(version) + ")");
  return tx.exec("PRAGMA user_version = " + std::to_string(version));
}

// Every writer takes this one lock first, as SQLite's BEGIN IMMEDIATE takes the file's.
constexpr const char* kPgBeginWrite = "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(7021575522)";
// One snapshot for the whole read, as SQLite's read transaction in WAL mode.
constexpr const char* kPgBeginRead = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

bool only_whitespace(const char* tail) {
  // A trailing ";" with spaces or a newline leaves such a tail; anything else is a second statement.
  for (; *tail; ++tail) {
    if (*tail != ' ' && *tail != '\n' && *tail != '\r' && *tail != '\t') return false;
  }
  return true;
}

}  // namespace

std::string json_array_values(Dialect dialect, int index, bool integers) {
  const std::string param = "?" + std::to_string(index);
  if (dialect == Dialect::sqlite) return "SELECT value FROM json_each(" + param + ")";
  return std::string("SELECT ") + (integers ? "CAST(value AS BIGINT)" : "value") +
         " FROM json_array_elements_text(CAST(" + param + " AS json)) AS value";
}

std::string skip_locked(Dialect dialect, std::string_view of) {
  if (dialect == Dialect::sqlite) return {};
  std::string out = " FOR UPDATE";
  if (!of.empty()) out += " OF " + std::string(of);
  return out + " SKIP LOCKED";
}

const std::string& claim_holder() {
  static const std::string holder = [] {
    char host[256] = {0};
    if (::gethostname(host, sizeof host - 1) != 0) host[0] = 0;
    return std::string(host[0] ? host : "localhost") + ":" + std::to_string(::getpid());
  }();
  return holder;
}

// ---------------------------------------------------------------------------------------------
// Stmt

Stmt::Stmt(sqlite3* db, sqlite3_stmt* stmt, bool* in_use, Status error)
    : db_(db), stmt_(stmt), in_use_(in_use), error_(std::move(error)) {}

Stmt::Stmt(std::unique_ptr<pg::Query> query) : db_(nullptr), stmt_(nullptr), in_use_(nullptr), pg_(std::move(query)) {}

Stmt::Stmt(Stmt&& other) noexcept
    : db_(other.db_), stmt_(other.stmt_), in_use_(other.in_use_), error_(std::move(other.error_)),
      pg_(std::move(other.pg_)) {
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
  if (pg_) {
    pg_->bind_int(index, value);
    return *this;
  }
  if (!stmt_) return *this;
  return check_bind(sqlite3_bind_int64(stmt_, index, value));
}

Stmt& Stmt::bind_real(int index, double value) {
  if (pg_) {
    pg_->bind_real(index, value);
    return *this;
  }
  if (!stmt_) return *this;
  return check_bind(sqlite3_bind_double(stmt_, index, value));
}

Stmt& Stmt::bind_text(int index, std::string_view value) {
  if (pg_) {
    pg_->bind_text(index, value);
    return *this;
  }
  if (!stmt_) return *this;
  return check_bind(sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
}

Stmt& Stmt::bind_blob(int index, std::span<const unsigned char> value) {
  if (pg_) {
    pg_->bind_blob(index, value.data(), value.size());
    return *this;
  }
  if (!stmt_) return *this;
  // A null pointer would bind NULL; an empty blob must stay an empty blob.
  static const unsigned char kEmpty = 0;
  return check_bind(
      sqlite3_bind_blob64(stmt_, index, value.empty() ? &kEmpty : value.data(), value.size(), SQLITE_TRANSIENT));
}

Stmt& Stmt::bind_null(int index) {
  if (pg_) {
    pg_->bind_null(index);
    return *this;
  }
  if (!stmt_) return *this;
  return check_bind(sqlite3_bind_null(stmt_, index));
}

Stmt& Stmt::bind_int(int index, std::optional<std::int64_t> value) {
  return value ? bind_int(index, *value) : bind_null(index);
}

Result<bool> Stmt::step() {
  if (pg_) return pg_->step();
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

bool Stmt::is_null(int column) const {
  if (pg_) return pg_->is_null(column);
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

std::int64_t Stmt::int64(int column) const { return pg_ ? pg_->int64(column) : sqlite3_column_int64(stmt_, column); }

double Stmt::real(int column) const { return pg_ ? pg_->real(column) : sqlite3_column_double(stmt_, column); }

std::string Stmt::text(int column) const {
  if (pg_) return pg_->text(column);
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  const int n = sqlite3_column_bytes(stmt_, column);
  return p ? std::string(p, static_cast<std::size_t>(n)) : std::string();
}

std::vector<unsigned char> Stmt::blob(int column) const {
  if (pg_) return pg_->blob(column);
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
  if (pg_) return Stmt(std::make_unique<pg::Query>(*pg_, sql, read_only_));
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
  if (pg_) return pg::exec(*pg_, sql);
  const std::string text(sql);
  const int rc = sqlite3_exec(db_.handle_, text.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return error_from(db_.handle_, rc, sql.substr(0, 200));
  return Status::ok();
}

std::int64_t Tx::last_insert_id() const { return pg_ ? pg_->last_insert_id : sqlite3_last_insert_rowid(db_.handle_); }

int Tx::changes() const { return pg_ ? pg_->changes : sqlite3_changes(db_.handle_); }

Dialect Tx::dialect() const { return db_.dialect(); }

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
  if (pg_) return;
  for (auto& [sql, cached] : cache_) {
    assert(!cached.in_use);  // a Stmt outlived its Tx
    sqlite3_finalize(cached.stmt);
  }
  // The last connection to close checkpoints the WAL into the main file and removes it.
  sqlite3_close_v2(handle_);
}

Status Db::configure() {
  sqlite3_extended_result_codes(handle_, 1);
  sqlite3_busy_handler(handle_, busy_wait, nullptr);

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
  // secure_delete: what a person's withdrawal of consent (server/privacy) replaces or deletes is
  // overwritten with zeros in the file, not left in free space where a copy of the file keeps it.
  MutexLock lock(mutex_);
  const int rc = sqlite3_exec(handle_, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;",
                              nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return error_from(handle_, rc, "PRAGMA synchronous/foreign_keys/secure_delete");
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
      auto read = read_schema_version(tx);
      if (!read.ok()) return read.status();
      version = *read;
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
      const std::string sql = dialect() == Dialect::sqlite   ? std::string(m.sql)
                              : m.postgresql.empty() ? pg::migration_sql(m.sql)
                                                     : std::string(m.postgresql);
      if (Status e = tx.exec(sql); !e.is_ok()) {
        std::fprintf(stderr, "store: migration %03d_%.*s failed\n", m.version, static_cast<int>(m.name.size()),
                     m.name.data());
        return e;
      }
      return write_schema_version(tx, m.version);
    });
    if (!s.is_ok()) return s;
    if (done) {
      schema_version_ = version;
      return Status::ok();
    }
  }
}

namespace {
// `work` on `tx`; when it throws, the transaction is rolled back before the exception goes on.
template <typename Rollback>
Status run_work(const std::function<Status(Tx&)>& work, Tx& tx, Rollback& rollback) {
  try {
    return work(tx);
  } catch (...) {
    rollback();
    throw;
  }
}
}  // namespace

Status Db::run_in_transaction(const char* begin, bool read_only, const std::function<Status(Tx&)>& work) {
  MutexLock lock(mutex_);
  int rc = sqlite3_exec(handle_, begin, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return error_from(handle_, rc, begin);

  auto rollback = [this] {
    // An I/O error may already have rolled the transaction back inside SQLite.
    if (!sqlite3_get_autocommit(handle_)) sqlite3_exec(handle_, "ROLLBACK", nullptr, nullptr, nullptr);
  };
  Tx tx(*this, read_only);
  Status result = run_work(work, tx, rollback);
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

Db::Db(sqlite3* handle, std::filesystem::path file) : handle_(handle), file_(std::move(file)) {}

Db::Db(std::unique_ptr<pg::Pool> pool) : handle_(nullptr), pg_(std::move(pool)) {}

Result<std::unique_ptr<Db>> Db::connect(const std::string& url, int connections) {
  std::unique_ptr<Db> db(new Db(std::make_unique<pg::Pool>(url, connections)));
  if (Status s = db->migrate(); !s.is_ok()) return s;
  auto schema = std::make_unique<pg::Schema>();
  Status s = db->read([&](Tx& tx) -> Status {
    auto q = tx.prepare(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND is_identity = 'YES'");
    for (;;) {
      auto row = q.step();
      if (!row.ok()) return row.status();
      if (!*row) return Status::ok();
      schema->identity_column[q.text(0)] = q.text(1);
    }
  });
  if (!s.is_ok()) return s;
  db->pg_schema_ = std::move(schema);
  db->pg_->set_schema(db->pg_schema_.get());
  return db;
}

Status Db::run_in_pg_transaction(bool read_only, const std::function<Status(Tx&)>& work) {
  // A pooled connection may have been cut while idle (the server restarted): found at BEGIN,
  // before anything was done, so one more connection is tried at once.
  for (int attempt = 0;; ++attempt) {
    auto acquired = pg_->acquire();
    if (!acquired.ok()) return acquired.status();
    pg::Connection& c = **acquired;
    struct Release {
      pg::Pool& pool;
      pg::Connection& c;
      ~Release() { pool.release(&c); }
    } release{*pg_, c};
    auto rollback = [&c] {
      c.failed = Status::ok();
      if (!c.broken()) (void)pg::exec(c, "ROLLBACK");
    };
    if (Status begun = pg::exec(c, read_only ? kPgBeginRead : kPgBeginWrite); !begun.is_ok()) {
      const bool cut = c.broken();
      rollback();
      if (cut && attempt == 0) continue;
      return begun;
    }
    Tx tx(*this, read_only, &c);
    Status result = run_work(work, tx, rollback);
    if (result.is_ok() && !c.failed.is_ok()) {
      // PostgreSQL would answer COMMIT with a silent ROLLBACK: the caller must not think it stored.
      std::fprintf(stderr, "store: a statement failed and the transaction went on; rolled back\n");
      result = c.failed;
    }
    if (!result.is_ok()) {
      rollback();
      return result;
    }
    if (Status committed = pg::exec(c, "COMMIT"); !committed.is_ok()) {
      rollback();
      return committed;
    }
    return Status::ok();
  }
}

namespace {
// A transaction's time, in either dialect. The wait for the connection counts: it is what a request feels.
struct TransactionTimer {
  metrics::Histogram& histogram;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  ~TransactionTimer() { histogram.observe(std::chrono::steady_clock::now() - started); }
};
}  // namespace

Status Db::transaction(const std::function<Status(Tx&)>& work) {
  TransactionTimer timed{store_metrics().write_seconds};
  if (pg_) {
    Status result = run_in_pg_transaction(false, work);
    after_write(result);
    return result;
  }
  // IMMEDIATE takes the write lock up front: a deferred transaction that reads and then writes
  // can fail with SQLITE_BUSY at the write, past the busy handler's help.
  Status result = run_in_transaction("BEGIN IMMEDIATE", false, work);
  after_write(result);
  return result;
}

Status Db::read(const std::function<Status(Tx&)>& work) {
  TransactionTimer timed{store_metrics().read_seconds};
  if (pg_) return run_in_pg_transaction(true, work);
  return run_in_transaction("BEGIN DEFERRED", true, work);
}

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
  if (pg_)
    return Status::unprocessable("backup_postgresql",
                                 "База данных хранится в PostgreSQL: сохраните её программой pg_dump.");
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

void write_metrics(metrics::Writer& out) {
  auto& m = store_metrics();
  out.header("praktika_store_transaction_seconds", "histogram",
             "A transaction from asking for the connection to its commit, by kind (read or write).");
  out.histogram("praktika_store_transaction_seconds", {{"kind", "write"}}, m.write_seconds);
  out.histogram("praktika_store_transaction_seconds", {{"kind", "read"}}, m.read_seconds);
  out.counter("praktika_store_busy_retries_total", "Waits for a database lock held by another connection.",
              m.busy_retries.value());
  out.header("praktika_store_errors_total", "counter", "Unexpected store errors, by the code answered.");
  m.errors.write(out, "praktika_store_errors_total");
}

}  // namespace praktika::store
