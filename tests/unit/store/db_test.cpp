#include "store/db.h"

#include <gtest/gtest.h>

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>
#include "support/temp_dir.h"

namespace praktika::store {
namespace {

namespace fs = std::filesystem;

// A fresh directory per test, removed afterwards.
using test::TempDir;

std::unique_ptr<Db> open_ok(const fs::path& file) {
  auto db = Db::open(file);
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

int user_version(Db& db) {
  int v = -1;
  EXPECT_TRUE(db.transaction([&](Tx& tx) -> Status {
                  auto q = tx.prepare("PRAGMA user_version");
                  auto row = q.step();
                  if (!row.ok()) return row.status();
                  v = static_cast<int>(q.int64(0));
                  return Status::ok();
                }).is_ok());
  return v;
}

std::vector<std::string> table_names(Db& db) {
  std::vector<std::string> names;
  EXPECT_TRUE(db.transaction([&](Tx& tx) -> Status {
                  auto q = tx.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
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

TEST(Db, OpenCreatesFileInWalModeWithAllMigrationsApplied) {
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
    ASSERT_TRUE(db->transaction([&](Tx& tx) { return tx.exec("PRAGMA user_version = " + std::to_string(newer)); })
                    .is_ok());
  }
  auto db = Db::open(file);
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
                  if (Status s = tx.exec("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n INTEGER, e BLOB)");
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
                  auto q = tx.prepare("SELECT i, r, s, b, n, e, typeof(e) FROM t");
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
                  const char* sql = "SELECT value FROM json_each('[1,2]')";
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
  TempDir dir;
  auto db = open_ok(dir.path() / "praktika.db");
  ASSERT_TRUE(db);
  // A directory where the file should go: neither the temp file's rename nor the open can succeed.
  fs::create_directories(dir.path() / "taken.db.tmp" / "x");
  Status s = db->backup_to(dir.path() / "taken.db");
  EXPECT_FALSE(s.is_ok());
}

}  // namespace
}  // namespace praktika::store
