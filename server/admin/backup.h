// Backup and restore of a data directory: the SQLite database (copied with SQLite's online
// backup API, so the server may keep running during a backup) and the stored files beside it.
// Also the data directory's lock, which running servers hold so that a restore cannot replace
// their files under them. Called from main's thread by the `admin` commands and by `serve`.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "common/status.h"

namespace praktika::admin {

// An advisory lock (flock) on <data>/praktika.lock, held for the object's lifetime. Servers take
// it shared (several instances may share one database, each with Redis for presence); a restore
// takes it exclusive, so it waits for no one and replaces nothing under a running server.
class DataDirLock {
 public:
  enum class Mode { shared, exclusive };
  // data_dir_busy when a process holds it in a mode that excludes `mode`.
  static Result<std::unique_ptr<DataDirLock>> acquire(const std::filesystem::path& data_dir, Mode mode);
  ~DataDirLock();
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;

 private:
  explicit DataDirLock(int fd) : fd_(fd) {}
  int fd_;
};

struct BackupReport {
  std::uint64_t files = 0;          // stored files copied
  std::uint64_t bytes = 0;          // their total size
  int schema_version = 0;           // of the copied database
};

// Writes a consistent copy of `data_dir` into `backup_dir` (created; must be empty or absent):
// the database first, then every file under <data>/files and <data>/uploads. Works while a
// server runs on `data_dir`.
Result<BackupReport> backup(const std::filesystem::path& data_dir, const std::filesystem::path& backup_dir);

// Replaces the content of `data_dir` with `backup_dir`'s, after checking the backup's database
// (integrity, a schema this build knows). Refused while a server holds the data directory. The
// previous database and files are kept in <data>/before-restore-<N>/ rather than deleted.
Result<BackupReport> restore(const std::filesystem::path& backup_dir, const std::filesystem::path& data_dir);

// What to use instead when the database is in PostgreSQL (`store`): pg_dump/pg_restore for the
// database and a copy of the stored files, named with this data directory and backup directory.
Status postgresql_backup_advice(bool is_backup, const std::filesystem::path& data_dir,
                                const std::filesystem::path& backup_dir, const std::string& store);

}  // namespace praktika::admin
