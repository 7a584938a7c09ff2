#include "store/db.h"

#include <gtest/gtest.h>

#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>
#include "metrics/metrics.h"
#include "support/temp_dir.h"
#include "store/postgres.h"
#include "store/rows.h"
#include "support/test_store.h"

namespace praktika::store {
namespace {

namespace fs = std::filesystem;

// A fresh directory per test, removed afterwards.
using test::TempDir;

// SQLite in `file`, or the test's PostgreSQL database for it (PRAKTIKA_TEST_STORE).
std::unique_ptr<Db> open_ok(const fs::path& file) {
  auto db = test::open_test_store(file);
  EXPECT_TRUE(db.ok()) << db.status().code() << ": " << db.status().message();
  return db.ok() ? std::move(db).value() : nullptr;
}

Status insert_user(Db& db, std::string_view email) {
  return db.transaction([&](Tx& tx) {
    return tx.prepare("INSERT INTO users (email, password_hash, full_name, created_at) VALUES (?1, 'h', 'Имя', 0)")
        .bind_text(1, email)
        .run();
  });
}

std::int64_t count_users(Db& db) {
  std::int64_t n = -1;
  Status s = db.read([&](Tx& tx) -> Status {
    auto q = tx.prepare("SELECT count(*) FROM users");
    auto row = q.step();
    if (!row.ok()) return row.status();
    n = q.int64(0);
    return Status::ok();
  });
  EXPECT_TRUE(s.is_ok()) << s.code();
  return n;
}

// The schema version as stored: SQLite's user_version, PostgreSQL's praktika_schema.
int user_version(Db& db) {
  int v = -1;
  EXPECT_TRUE(db.transaction([&](Tx& tx) -> Status {
                  auto q = tx.prepare(tx.dialect() == Dialect::sqlite ? "PRAGMA user_version"
                                                                      : "SELECT version FROM praktika_schema");
                  auto row = q.step();
                  if (!row.ok()) return row.status();
                  v = static_cast<int>(q.int64(0));
                  return Status::ok();
                }).is_ok());
  return v;
}

Status set_version(Tx& tx, int version) {
  return tx.exec(tx.dialect() == Dialect::sqlite ? "PRAGMA user_version = " + std::to_string(version)
                                                 : "UPDATE praktika_schema SET version = " + std::to_string(version));
}

std::vector<std::string> table_names(Db& db) {
  std::vector<std::string> names;
  EXPECT_TRUE(db.transaction([&](Tx& tx) -> Status {
                  auto q = tx.prepare(tx.dialect() == Dialect::sqlite
                                          ? "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
                                          : "SELECT table_name FROM information_schema.tables WHERE "
                                            "table_schema = current_schema() ORDER BY table_name");
                  for (;;) {
                    auto row = q.step();
                    if (!row.ok()) return row.status();
                    if (!*row) return Status::ok();
                    names.push_back(q.text(0));
                  }
                }).is_ok());
  return names;
}

TEST(Db, TheGallerysOldDocumentCacheIsGoneAndIntakesServesBoth) {
  TempDir dir;
  auto db = open_ok(dir.path() / "praktika.db");
  ASSERT_TRUE(db);
  auto names = table_names(*db);
  EXPECT_EQ(std::count(names.begin(), names.end(), "gallery_document_checks"), 0);
  EXPECT_EQ(std::count(names.begin(), names.end(), "document_checks"), 1);
}

// Migration 017 takes an upload's practice and field out of the client's tus metadata into
// columns. The database is taken back to before it (columns dropped, version 16) and reopened.
TEST(Db, UploadsOfAnOlderDatabaseGetTheirPracticeAndFieldFromTheMetadata) {
  TempDir dir;
  const fs::path file = dir.path() / "praktika.db";
  {
    auto db = open_ok(file);
    ASSERT_TRUE(db);
    ASSERT_TRUE(insert_user(*db, "a@example.org").is_ok());
    ASSERT_TRUE(db->transaction([&](Tx& tx) -> Status {
                    // And 023's columns, which it adds again.
                    if (auto s = tx.exec("DROP INDEX flashmob_items_hls_jobs; "
                                         "ALTER TABLE flashmob_items DROP COLUMN hls_state; "
                                         "ALTER TABLE flashmob_items DROP COLUMN hls_attempts; "
                                         "ALTER TABLE flashmob_items DROP COLUMN hls_progress; "
                                         "ALTER TABLE flashmob_items DROP COLUMN hls_renditions; "
                                         "ALTER TABLE flashmob_items DROP COLUMN captions_at");
                        !s)
                      return s;
                    if (auto s = tx.exec("DROP INDEX uploads_by_practice; ALTER TABLE uploads DROP COLUMN practice_id; "
                                         "ALTER TABLE uploads DROP COLUMN field; "
                                         // and what 024 added, which it adds again
                                         "ALTER TABLE mail_outbox DROP COLUMN claimed_by; "
                                         "ALTER TABLE mail_outbox DROP COLUMN claimed_until; "
                                         "ALTER TABLE certificates DROP COLUMN claimed_by; "
                                         "ALTER TABLE certificates DROP COLUMN claimed_until; "
                                         // and 026's
                                         "ALTER TABLE section_questions DROP COLUMN hidden_at; "
                                         "ALTER TABLE section_questions DROP COLUMN flags");
                        !s)
                      return s;
                    if (auto s = set_version(tx, 19); !s) return s;
                    return tx.exec(
                        "INSERT INTO uploads (id, event_id, owner_id, purpose, length, file_name, metadata, state, "
                        "created_at, updated_at) VALUES "
                        "('a', 'e', 1, 'document', 1, 'a', '{\"practice\":\"12\",\"field\":\"plan\"}', 'complete', 0, 0),"
                        "('b', 'e', 1, 'photo', 1, 'b', '{\"practice\":\"012\"}', 'complete', 0, 0),"
                        "('c', 'e', 1, 'photo', 1, 'c', '{\"practice\":12}', 'complete', 0, 0),"
                        "('d', 'e', 1, 'photo', 1, 'd', '{}', 'complete', 0, 0)");
                  }).is_ok());
  }
  auto db = open_ok(file);
  ASSERT_TRUE(db);
  EXPECT_EQ(user_version(*db), Db::latest_schema_version());
  std::vector<std::string> rows;
  ASSERT_TRUE(db->read([&](Tx& tx) -> Status {
                  auto q = tx.prepare("SELECT id, practice_id, field FROM uploads ORDER BY id");
                  for (;;) {
                    auto row = q.step();
                    if (!row.ok()) return row.status();
                    if (!*row) return Status::ok();
                    rows.push_back(q.text(0) + ":" + (q.is_null(1) ? "-" : std::to_string(q.int64(1))) + ":" +
                                   (q.is_null(2) ? "-" : q.text(2)));
                  }
                }).is_ok());
  EXPECT_EQ(rows, (std::vector<std::string>{"a:12:plan", "b:-:-", "c:-:-", "d:-:-"}));
}

TEST(Db, OpenCreatesFileInWalModeWithAllMigrationsApplied) {
  PRAKTIKA_SKIP_ON_POSTGRESQL("the file, WAL and SQLite's pragmas");
  TempDir dir;
  auto db = open_ok(dir.path() / "data" / "praktika.db");
  ASSERT_TRUE(db);
  EXPECT_TRUE(fs::exists(dir.path() / "data" / "praktika.db"));
  EXPECT_GE(Db::latest_schema_version(), 1);
  EXPECT_EQ(db->schema_version(), Db::latest_schema_version());
  EXPECT_EQ(user_version(*db), Db::latest_schema_version());

  std::string mode;
  std::int64_t foreign_keys = -1, synchronous = -1;
  ASSERT_TRUE(db->transaction([&](Tx& tx) -> Status {
                  auto q = tx.prepare("PRAGMA journal_mode");
                  if (auto r = q.step(); !r.ok()) return r.status();
                  mode = q.text(0);
                  auto f = tx.prepare("PRAGMA foreign_keys");
                  if (auto r = f.step(); !r.ok()) return r.status();
                  foreign_keys = f.int64(0);
                  auto s = tx.prepare("PRAGMA synchronous");
                  if (auto r = s.step(); !r.ok()) return r.status();
                  synchronous = s.int64(0);
                  return Status::ok();
                }).is_ok());
  EXPECT_EQ(mode, "wal");
  EXPECT_EQ(foreign_keys, 1);
  EXPECT_EQ(synchronous, 2);  // FULL
}

TEST(Db, ReopenKeepsDataAndDoesNotReapplyMigrations) {
  TempDir dir;
  const auto file = dir.path() / "praktika.db";
  {
    auto db = open_ok(file);
    ASSERT_TRUE(db);
    ASSERT_TRUE(insert_user(*db, "a@example.org").is_ok());
  }
  // Reapplying 001 would fail on CREATE TABLE users, and would lose the row.
  for (int i = 0; i < 2; ++i) {
    auto db = open_ok(file);
    ASSERT_TRUE(db);
    EXPECT_EQ(db->schema_version(), Db::latest_schema_version());
    EXPECT_EQ(count_users(*db), 1);
  }
}

TEST(Db, RefusesDatabaseWithNewerSchemaVersion) {
  TempDir dir;
  const auto file = dir.path() / "praktika.db";
  const int newer = Db::latest_schema_version() + 1;
  {
    auto db = open_ok(file);
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->transaction([&](Tx& tx) { return set_version(tx, newer); }).is_ok());
  }
  auto db = test::open_test_store(file);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), kSchemaTooNew);
  EXPECT_NE(db.status().message().find(std::to_string(newer)), std::string::npos);
}

TEST(Db, FailedTransactionLeavesNothing) {
  TempDir dir;
  auto db = open_ok(dir.path() / "praktika.db");
  ASSERT_TRUE(db);
  Status s = db->transaction([](Tx& tx) -> Status {
    auto ins = tx.prepare("INSERT INTO users (email, password_hash, full_name, created_at) VALUES ('x@y.ru', 'h', 'n', 0)");
    if (Status e = ins.run(); !e.is_ok()) return e;
    return Status::unprocessable("nope", "отказ");
  });
  EXPECT_EQ(s.code(), "nope");
  EXPECT_EQ(count_users(*db), 0);
  // The connection is usable afterwards: the rollback ended the transaction.
  EXPECT_TRUE(insert_user(*db, "x@y.ru").is_ok());
  EXPECT_EQ(count_users(*db), 1);
}

TEST(Db, ThrowingWorkRollsBackAndPropagates) {
  TempDir dir;
  auto db = open_ok(dir.path() / "praktika.db");
  ASSERT_TRUE(db);
  EXPECT_THROW(db->transaction([](Tx& tx) -> Status {
    (void)tx.prepare("INSERT INTO users (email, password_hash, full_name, created_at) VALUES ('t@y.ru', 'h', 'n', 0)")
        .run();
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  EXPECT_EQ(count_users(*db), 0);
}

TEST(Db, UniqueViolationIsConflict) {
  TempDir dir;
  auto db = open_ok(dir.path() / "praktika.db");
  ASSERT_TRUE(db);
  ASSERT_TRUE(insert_user(*db, "dup@example.org").is_ok());
  Status s = insert_user(*db, "dup@example.org");
  EXPECT_EQ(s.code(), kConflict);
  EXPECT_EQ(s.http_status(), 409);
  EXPECT_TRUE(is_conflict(s));
  EXPECT_EQ(count_users(*db), 1);
}

TEST(Db, ForeignKeyViolationIsConstraintFailed) {
  TempDir dir;
  auto db = open_ok(dir.path() / "praktika.db");
  ASSERT_TRUE(db);
  Status s = db->transaction([](Tx& tx) {
    return tx.prepare("INSERT INTO event_roles (user_id, event_id, role, created_at) VALUES (999, 'e', 'organiser', 0)")
        .run();
  });
  EXPECT_EQ(s.code(), kConstraintFailed);
}

TEST(Db, BadSqlIsStorageErrorNotCrash) {
  TempDir dir;
  auto db = open_ok(dir.path() / "praktika.db");
  ASSERT_TRUE(db);
  Status s = db->transaction([](Tx& tx) { return tx.prepare("SELEKT 1").bind_int(1, 5).run(); });
  EXPECT_EQ(s.code(), kStorageError);
  Status two = db->transaction([](Tx& tx) { return tx.prepare("SELECT 1; SELECT 2").run(); });
  EXPECT_EQ(two.code(), kStorageError);
}

TEST(HeldRows, ReadsEachTableUnderItsNameAndStopsAtTheFirstError) {
  TempDir dir;
  auto db = open_ok(dir.path() / "praktika.db");
  ASSERT_TRUE(db);
  ASSERT_TRUE(insert_user(*db, "held@y.ru"));
  Status s = db->read([](Tx& tx) -> Status {
    auto id = tx.prepare("SELECT id FROM users WHERE email = 'held@y.ru'");
    auto found = id.step();
    if (!found || !*found) return Status::internal("test", "no user");
    const std::int64_t user_id = id.int64(0);
    auto held = HeldRows(tx, user_id)
                    .add("by_id", "SELECT email FROM users WHERE id = ?1", {"email"})
                    .add("by_email", "SELECT id, full_name FROM users WHERE email = ?1", "held@y.ru", {"id#", "full_name"})
                    .done();
    EXPECT_TRUE(held.ok());
    if (!held) return held.status();
    EXPECT_EQ(held->records["by_id"], nlohmann::json::parse(R"([{"email":"held@y.ru"}])"));
    EXPECT_EQ(held->records["by_email"], (nlohmann::json::array({{{"id", user_id}, {"full_name", "Имя"}}})));
    return Status::ok();
  });
  EXPECT_TRUE(s) << s.message();
  // The first error is the answer, whatever follows it (PostgreSQL fails the whole transaction too).
  Status broken = db->read([](Tx& tx) -> Status {
    auto held = HeldRows(tx, 1)
                    .add("bad", "SELEKT 1", {"x"})
                    .add("after", "SELECT email FROM users WHERE id = ?1", {"email"})
                    .done();
    return held ? Status::ok() : held.status();
  });
  EXPECT_EQ(broken.code(), kStorageError);
}

TEST(Db, ReadTransactionRefusesWrites) {
  TempDir dir;
  auto db = open_ok(dir.path() / "praktika.db");
  ASSERT_TRUE(db);
  Status s = db->read([](Tx& tx) {
    return tx.prepare("INSERT INTO users (email, password_hash, full_name, created_at) VALUES ('r@y.ru', 'h', 'n', 0)")
        .run();
  });
  EXPECT_EQ(s.code(), kStorageError);
  EXPECT_EQ(count_users(*db), 0);
}

TEST(Db, BindsAndReadsEveryType) {
  TempDir dir;
  auto db = open_ok(dir.path() / "praktika.db");
  ASSERT_TRUE(db);
  const std::vector<unsigned char> bytes = {0, 1, 2, 255};
  ASSERT_TRUE(db->transaction([&](Tx& tx) -> Status {
                  if (Status s = tx.exec(tx.dialect() == Dialect::sqlite
                                             ? "CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n INTEGER, e BLOB)"
                                             : "CREATE TABLE t (i BIGINT, r DOUBLE PRECISION, s TEXT, b BYTEA, "
                                               "n BIGINT, e BYTEA)");
                      !s.is_ok())
                    return s;
                  return tx.prepare("INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                      .bind_int(1, std::int64_t{1} << 40)
                      .bind_real(2, 2.5)
                      .bind_text(3, "Привет, мир")
                      .bind_blob(4, bytes)
                      .bind_int(5, std::optional<std::int64_t>{})
                      .bind_blob(6, {})
                      .run();
                }).is_ok());
  ASSERT_TRUE(db->read([&](Tx& tx) -> Status {
                  auto q = tx.prepare(tx.dialect() == Dialect::sqlite
                                          ? "SELECT i, r, s, b, n, e, typeof(e) FROM t"
                                          : "SELECT i, r, s, b, n, e, CASE WHEN e IS NOT NULL THEN 'blob' END FROM t");
                  auto row = q.step();
                  if (!row.ok()) return row.status();
                  EXPECT_TRUE(*row);
                  EXPECT_EQ(q.int64(0), std::int64_t{1} << 40);
                  EXPECT_DOUBLE_EQ(q.real(1), 2.5);
                  EXPECT_EQ(q.text(2), "Привет, мир");
                  EXPECT_EQ(q.blob(3), bytes);
                  EXPECT_TRUE(q.is_null(4));
                  EXPECT_EQ(q.optional_int64(4), std::nullopt);
                  EXPECT_EQ(q.optional_int64(0), std::int64_t{1} << 40);
                  EXPECT_EQ(q.text(6), "blob");
                  auto end = q.step();
                  EXPECT_TRUE(end.ok() && !*end);
                  return Status::ok();
                }).is_ok());
}

TEST(Db, SameSqlPreparedTwiceWhileFirstIsOpenGivesIndependentStatements) {
  TempDir dir;
  auto db = open_ok(dir.path() / "praktika.db");
  ASSERT_TRUE(db);
  std::vector<std::pair<std::int64_t, std::int64_t>> pairs;
  ASSERT_TRUE(db->read([&](Tx& tx) -> Status {
                  const char* sql = "SELECT 1 UNION ALL SELECT 2";
                  auto outer = tx.prepare(sql);
                  for (;;) {
                    auto r = outer.step();
                    if (!r.ok()) return r.status();
                    if (!*r) break;
                    auto inner = tx.prepare(sql);
                    for (;;) {
                      auto r2 = inner.step();
                      if (!r2.ok()) return r2.status();
                      if (!*r2) break;
                      pairs.emplace_back(outer.int64(0), inner.int64(0));
                    }
                  }
                  return Status::ok();
                }).is_ok());
  EXPECT_EQ(pairs.size(), 4u);
}

TEST(Db, ConcurrentTransactionsFromSeveralThreadsAreSerialised) {
  TempDir dir;
  auto db = open_ok(dir.path() / "praktika.db");
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->transaction([](Tx& tx) {
                  return tx.exec("CREATE TABLE counter (n INTEGER NOT NULL); INSERT INTO counter VALUES (0);");
                }).is_ok());
  constexpr int kThreads = 4, kEach = 50;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        // Read-modify-write: lost updates would show if two transactions interleaved.
        Status s = db->transaction([](Tx& tx) -> Status {
          auto q = tx.prepare("SELECT n FROM counter");
          auto r = q.step();
          if (!r.ok()) return r.status();
          const auto n = q.int64(0);
          return tx.prepare("UPDATE counter SET n = ?1").bind_int(1, n + 1).run();
        });
        if (!s.is_ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  std::int64_t n = 0;
  ASSERT_TRUE(db->read([&](Tx& tx) -> Status {
                  auto q = tx.prepare("SELECT n FROM counter");
                  auto r = q.step();
                  if (!r.ok()) return r.status();
                  n = q.int64(0);
                  return Status::ok();
                }).is_ok());
  EXPECT_EQ(n, kThreads * kEach);
}

TEST(Db, BackupProducesAnOpenableCopyWithTheData) {
  PRAKTIKA_SKIP_ON_POSTGRESQL("SQLite's online backup; PostgreSQL is backed up with pg_dump");
  TempDir dir;
  auto db = open_ok(dir.path() / "praktika.db");
  ASSERT_TRUE(db);
  ASSERT_TRUE(insert_user(*db, "one@example.org").is_ok());
  ASSERT_TRUE(insert_user(*db, "two@example.org").is_ok());
  const auto copy = dir.path() / "backups" / "copy.db";
  ASSERT_TRUE(db->backup_to(copy).is_ok());
  EXPECT_FALSE(fs::exists(fs::path(copy.string() + ".tmp")));

  // Written after the backup: must not appear in it.
  ASSERT_TRUE(insert_user(*db, "three@example.org").is_ok());
  auto restored = open_ok(copy);
  ASSERT_TRUE(restored);
  EXPECT_EQ(restored->schema_version(), Db::latest_schema_version());
  EXPECT_EQ(count_users(*restored), 2);
  EXPECT_EQ(count_users(*db), 3);
}

TEST(Db, BackupIntoUnwritablePlaceIsAnError) {
  PRAKTIKA_SKIP_ON_POSTGRESQL("SQLite's online backup");
  TempDir dir;
  auto db = open_ok(dir.path() / "praktika.db");
  ASSERT_TRUE(db);
  // A directory where the file should go: neither the temp file's rename nor the open can succeed.
  fs::create_directories(dir.path() / "taken.db.tmp" / "x");
  Status s = db->backup_to(dir.path() / "taken.db");
  EXPECT_FALSE(s.is_ok());
}

// A writer that meets another connection's lock waits for it (and the wait is counted) rather
// than failing at once.
TEST(Db, AWriterWaitsForAnotherConnectionsLockAndTheWaitIsCounted) {
  if (test::testing_postgresql()) GTEST_SKIP() << "SQLite only: the busy handler of a file's lock";
  TempDir dir;
  auto first = open_ok(dir.path() / "praktika.db");
  auto second = open_ok(dir.path() / "praktika.db");
  ASSERT_TRUE(first && second);
  auto busy_retries = [] {
    metrics::Writer out;
    write_metrics(out);
    const std::string& text = out.text();
    const std::string name = "\npraktika_store_busy_retries_total ";
    auto at = text.find(name);
    return at == std::string::npos ? -1.0 : std::stod(text.substr(at + name.size()));
  };
  const double before = busy_retries();
  ASSERT_GE(before, 0);
  std::thread holder([&] {
    (void)first->transaction([&](Tx& tx) {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      return tx.prepare("INSERT INTO users (email, password_hash, full_name, created_at) VALUES ('a@b.ru', 'h', 'И', 0)")
          .run();
    });
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_TRUE(insert_user(*second, "two@example.org").is_ok());
  holder.join();
  EXPECT_EQ(count_users(*second), 2);
  EXPECT_GT(busy_retries(), before);
}

// SQLite's last_insert_rowid has a twin on PostgreSQL: the identity column a migration's INTEGER
// PRIMARY KEY becomes, returned by the INSERT itself.
TEST(Db, LastInsertIdAndChangesNameTheRowsOfTheLastWrite) {
  TempDir dir;
  auto db = open_ok(dir.path() / "praktika.db");
  ASSERT_TRUE(db);
  std::int64_t first = 0, second = 0;
  int updated = -1;
  ASSERT_TRUE(db->transaction([&](Tx& tx) -> Status {
                  const char* sql =
                      "INSERT INTO users (email, password_hash, full_name, created_at) VALUES (?, 'h', 'Имя', 0);";
                  if (auto s = tx.prepare(sql).bind_text(1, "a@example.org").run(); !s) return s;
                  first = tx.last_insert_id();
                  if (auto s = tx.prepare(sql).bind_text(1, "b@example.org").run(); !s) return s;
                  second = tx.last_insert_id();
                  if (auto s = tx.prepare("UPDATE users SET full_name = ?1").bind_text(1, "Новое").run(); !s) return s;
                  updated = tx.changes();
                  return Status::ok();
                }).is_ok());
  EXPECT_GT(first, 0);
  EXPECT_EQ(second, first + 1);
  EXPECT_EQ(updated, 2);
  std::string email;
  ASSERT_TRUE(db->read([&](Tx& tx) -> Status {
                  auto q = tx.prepare("SELECT email FROM users WHERE id = ?1");
                  q.bind_int(1, second);
                  auto row = q.step();
                  if (!row) return row.status();
                  email = *row ? q.text(0) : "";
                  return Status::ok();
                }).is_ok());
  EXPECT_EQ(email, "b@example.org");
}

// PostgreSQL refuses every statement after a failed one until ROLLBACK, and would answer COMMIT
// with a silent rollback: work that drops an error must not be reported as stored.
TEST(Db, WorkThatIgnoresAFailedStatementIsNotReportedAsStoredOnPostgreSQL) {
  if (!test::testing_postgresql()) GTEST_SKIP() << "PostgreSQL only: SQLite goes on after a failed statement";
  TempDir dir;
  auto db = open_ok(dir.path() / "praktika.db");
  ASSERT_TRUE(db);
  ASSERT_TRUE(insert_user(*db, "dup@example.org").is_ok());
  Status s = db->transaction([](Tx& tx) -> Status {
    (void)tx.prepare("INSERT INTO users (email, password_hash, full_name, created_at) VALUES ('dup@example.org', "
                     "'h', 'n', 0)")
        .run();
    return Status::ok();
  });
  EXPECT_EQ(s.code(), kConflict);
  EXPECT_EQ(count_users(*db), 1);
  EXPECT_TRUE(insert_user(*db, "next@example.org").is_ok());
}

// The database server restarted (here: every connection of ours cut from another session). The
// next transaction is served on a new connection: the service comes back by itself.
TEST(Db, ConnectionsCutWhileIdleAreOpenedAgainByTheNextTransaction) {
  if (!test::testing_postgresql()) GTEST_SKIP() << "PostgreSQL only: a connection to a database server";
  TempDir dir;
  auto db = open_ok(dir.path() / "praktika.db");
  auto other = open_ok(dir.path() / "praktika.db");
  ASSERT_TRUE(db && other);
  ASSERT_TRUE(insert_user(*db, "a@example.org").is_ok());
  ASSERT_EQ(count_users(*db), 1);
  std::int64_t cut = 0;
  ASSERT_TRUE(other->read([&](Tx& tx) -> Status {
                  auto q = tx.prepare(
                      "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = "
                      "current_database() AND pid <> pg_backend_pid()");
                  auto row = q.step();
                  if (!row) return row.status();
                  cut = q.int64(0);
                  return Status::ok();
                }).is_ok());
  EXPECT_GE(cut, 1);
  EXPECT_TRUE(insert_user(*db, "b@example.org").is_ok());
  EXPECT_EQ(count_users(*db), 2);
}

// Cut in the middle of a transaction: that one is answered 503 storage_unavailable, in Russian,
// and nothing of it is stored; the next is served.
TEST(Db, AConnectionCutMidTransactionIsStorageUnavailableAndTheNextIsServed) {
  if (!test::testing_postgresql()) GTEST_SKIP() << "PostgreSQL only: a connection to a database server";
  TempDir dir;
  auto db = open_ok(dir.path() / "praktika.db");
  auto other = open_ok(dir.path() / "praktika.db");
  ASSERT_TRUE(db && other);
  Status s = db->transaction([&](Tx& tx) -> Status {
    if (auto e = tx.prepare("INSERT INTO users (email, password_hash, full_name, created_at) VALUES ('x@y.ru', "
                            "'h', 'n', 0)")
                     .run();
        !e)
      return e;
    auto me = tx.prepare("SELECT pg_backend_pid()");
    if (auto row = me.step(); !row || !*row) return Status::internal("test", "no pid");
    const std::int64_t pid = me.int64(0);
    Status killed = other->read([&](Tx& t) {
      auto q = t.prepare("SELECT pg_terminate_backend(CAST(?1 AS INTEGER))");
      return q.bind_int(1, pid).run();
    });
    if (!killed) return killed;
    return tx.prepare("SELECT 1").run();
  });
  EXPECT_EQ(s.code(), kStorageUnavailable);
  EXPECT_EQ(s.http_status(), 503);
  EXPECT_NE(s.message().find("недоступно"), std::string::npos);
  EXPECT_EQ(count_users(*db), 0);
  EXPECT_TRUE(insert_user(*db, "x@y.ru").is_ok());
}

TEST(Db, ADatabaseServerThatRefusesIsStorageUnavailable) {
  // Nothing listens on port 1; no server is needed to show it.
  auto db = Db::connect("postgresql://praktika@127.0.0.1:1/none?connect_timeout=2");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), kStorageUnavailable);
}

TEST(Db, SqlitePlaceholdersBecomePostgresqlsOutsideQuotesAndComments) {
  int count = 0;
  EXPECT_EQ(pg::dollar_placeholders("SELECT ?1, ?, '?', \"a?\" -- ?\n, ?3 /* ? */, ?", count),
            "SELECT $1, $2, '?', \"a?\" -- ?\n, $3 /* ? */, $4");
  EXPECT_EQ(count, 4);
}

TEST(Db, AMigrationsSqliteTypesBecomePostgresqls) {
  EXPECT_EQ(pg::migration_sql("CREATE TABLE t (\n  id INTEGER PRIMARY KEY,\n  p INTEGER PRIMARY KEY REFERENCES x(id),\n"
                              "  r REAL, b BLOB, n INTEGER NOT NULL\n) STRICT, WITHOUT ROWID;"),
            "CREATE TABLE t (\n  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n"
            "  p BIGINT PRIMARY KEY REFERENCES x(id),\n  r DOUBLE PRECISION, b BYTEA, n BIGINT NOT NULL\n);");
}

}  // namespace
}  // namespace praktika::store
