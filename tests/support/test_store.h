// The database a test stores into. By default SQLite, in the file the test names. When the
// test-wide setting PRAKTIKA_TEST_STORE names a migrated PostgreSQL template database
// (postgresql://USER@HOST:PORT/praktika_template, made by scripts/test.sh), every store a test
// opens is a fresh database copied from it (CREATE DATABASE … TEMPLATE): one per data directory or
// file, the same one when the test opens it again, dropped when the test process exits.
// Unit tests open it through open_test_store, integration tests through ServerProcess (--store).
// One thread at a time.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "common/status.h"
#include "store/db.h"

namespace praktika::test {

bool testing_postgresql();

// The --store URL for this data directory (create it first) or database file: a fresh database on
// first use, the same one after, for as long as the directory or file's folder lasts. Empty when
// testing SQLite.
std::string store_url_for(const std::filesystem::path& key);

// store::Db::open(sqlite_file), or on PostgreSQL Db::connect(store_url_for(sqlite_file)).
Result<std::unique_ptr<store::Db>> open_test_store(const std::filesystem::path& sqlite_file);

// The store of a server's data directory, as ServerProcess starts it: <data>/praktika.sqlite3, or
// the directory's PostgreSQL database.
Result<std::unique_ptr<store::Db>> open_data_dir_store(const std::filesystem::path& data_dir);

}  // namespace praktika::test

// For what only SQLite has (its file format, WAL, the disk-full reserve of the database's disk).
#define PRAKTIKA_SKIP_ON_POSTGRESQL(reason)                                \
  do {                                                                     \
    if (::praktika::test::testing_postgresql()) GTEST_SKIP() << "SQLite only: " << (reason); \
  } while (0)
