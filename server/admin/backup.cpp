#include "admin/backup.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "store/db.h"

namespace praktika::admin {
namespace fs = std::filesystem;

namespace {

constexpr const char* kDatabaseFile = "praktika.sqlite3";
// The folders of stored files, relative to the data directory; tmp/ (request bodies cut off by
// a crash) is deliberately not among them.
constexpr const char* kFileFolders[] = {"files", "uploads", "media"};

Status io_error(const std::string& what, const std::error_code& ec) {
  return Status::internal("backup_io", "Ошибка ввода-вывода: " + what + " (" + ec.message() + ").");
}

// Copies every regular file under `from` to the same relative path under `to`.
Status copy_tree(const fs::path& from, const fs::path& to, BackupReport& report) {
  std::error_code ec;
  if (!fs::exists(from, ec)) return Status::ok();
  for (fs::recursive_directory_iterator it(from, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    fs::path target = to / fs::relative(it->path(), from, ec);
    fs::create_directories(target.parent_path(), ec);
    if (ec) return io_error("cannot create " + target.parent_path().string(), ec);
    fs::copy_file(it->path(), target, fs::copy_options::overwrite_existing, ec);
    // A file deleted between listing and copying (an upload withdrawn meanwhile) is not an error.
    if (ec == std::errc::no_such_file_or_directory) {
      ec.clear();
      continue;
    }
    if (ec) return io_error("cannot copy " + it->path().string(), ec);
    report.files += 1;
    report.bytes += fs::file_size(target, ec);
  }
  if (ec) return io_error("cannot list " + from.string(), ec);
  return Status::ok();
}

Result<int> check_database(const fs::path& file) {
  auto db = store::Db::open(file);
  if (!db) return db.status();
  std::string verdict;
  Status s = (*db)->read([&](store::Tx& tx) -> Status {
    auto q = tx.prepare("PRAGMA integrity_check");
    auto row = q.step();
    if (!row) return row.status();
    if (*row) verdict = q.text(0);
    return Status::ok();
  });
  if (!s) return s;
  if (verdict != "ok")
    return Status::unprocessable("backup_damaged", "Резервная копия повреждена: " + verdict.substr(0, 200));
  return (*db)->schema_version();
}

}  // namespace

Result<std::unique_ptr<DataDirLock>> DataDirLock::acquire(const fs::path& data_dir, Mode mode) {
  std::error_code ec;
  fs::create_directories(data_dir, ec);
  if (ec) return io_error("cannot create " + data_dir.string(), ec);
  fs::path file = data_dir / "praktika.lock";
  int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Status::internal("backup_io", "Ошибка ввода-вывода: не удалось открыть " + file.string() + " (" + std::strerror(errno) + ").");
  if (::flock(fd, (mode == Mode::shared ? LOCK_SH : LOCK_EX) | LOCK_NB) != 0) {
    ::close(fd);
    return Status::unavailable("data_dir_busy",
                            "Каталог данных " + data_dir.string() + " занят работающим сервером; остановите его.");
  }
  return std::unique_ptr<DataDirLock>(new DataDirLock(fd));
}

DataDirLock::~DataDirLock() { ::close(fd_); }

Result<BackupReport> backup(const fs::path& data_dir, const fs::path& backup_dir) {
  std::error_code ec;
  if (!fs::exists(data_dir / kDatabaseFile, ec))
    return Status::not_found("no_database", "В каталоге " + data_dir.string() + " нет базы данных.");
  if (fs::exists(backup_dir, ec) && !fs::is_empty(backup_dir, ec))
    return Status::conflict("backup_exists", "Каталог " + backup_dir.string() + " не пуст: выберите новый.");
  fs::create_directories(backup_dir, ec);
  if (ec) return io_error("cannot create " + backup_dir.string(), ec);

  BackupReport report;
  {
    auto db = store::Db::open(data_dir / kDatabaseFile);
    if (!db) return db.status();
    if (Status s = (*db)->backup_to(backup_dir / kDatabaseFile); !s) return s;
    report.schema_version = (*db)->schema_version();
  }
  // Files after the database: a file the copy refers to was complete before it was taken, and
  // complete files are never rewritten, only added or deleted.
  for (const char* folder : kFileFolders)
    if (Status s = copy_tree(data_dir / folder, backup_dir / folder, report); !s) return s;
  return report;
}

Result<BackupReport> restore(const fs::path& backup_dir, const fs::path& data_dir) {
  std::error_code ec;
  if (!fs::exists(backup_dir / kDatabaseFile, ec))
    return Status::not_found("no_backup", "В каталоге " + backup_dir.string() + " нет резервной копии базы.");
  auto lock = DataDirLock::acquire(data_dir, DataDirLock::Mode::exclusive);
  if (!lock) return lock.status();

  // Check a scratch copy, so neither the backup nor the data directory is touched by a bad one
  // (opening applies migrations, which writes).
  fs::path scratch = data_dir / "restore-check.sqlite3";
  fs::remove(scratch, ec);
  fs::copy_file(backup_dir / kDatabaseFile, scratch, ec);
  if (ec) return io_error("cannot copy the backup's database", ec);
  auto version = check_database(scratch);
  fs::remove(scratch, ec);
  fs::remove(fs::path(scratch.string() + "-wal"), ec);
  fs::remove(fs::path(scratch.string() + "-shm"), ec);
  if (!version) return version.status();

  fs::path keep;
  for (int n = 1;; ++n) {
    keep = data_dir / ("before-restore-" + std::to_string(n));
    if (!fs::exists(keep, ec)) break;
  }
  fs::create_directories(keep, ec);
  if (ec) return io_error("cannot create " + keep.string(), ec);
  for (std::string name : {std::string(kDatabaseFile), std::string(kDatabaseFile) + "-wal",
                           std::string(kDatabaseFile) + "-shm", std::string("files"), std::string("uploads"),
                           std::string("media")}) {
    if (!fs::exists(data_dir / name, ec)) continue;
    fs::rename(data_dir / name, keep / name, ec);
    if (ec) return io_error("cannot move " + (data_dir / name).string() + " aside", ec);
  }

  BackupReport report;
  report.schema_version = *version;
  fs::copy_file(backup_dir / kDatabaseFile, data_dir / kDatabaseFile, ec);
  if (ec) return io_error("cannot copy the backup's database", ec);
  for (const char* folder : kFileFolders)
    if (Status s = copy_tree(backup_dir / folder, data_dir / folder, report); !s) return s;
  return report;
}

Status postgresql_backup_advice(bool is_backup, const fs::path& data_dir, const fs::path& backup_dir,
                                const std::string& store) {
  const std::string dump = (backup_dir / "praktika.pgdump").string();
  const std::string files = "files uploads media";
  if (is_backup)
    return Status::unprocessable("backup_postgresql",
                                 "База данных хранится в PostgreSQL: сохраните её программой pg_dump, затем "
                                 "скопируйте сохранённые файлы (после базы: тогда в копии есть всё, на что она "
                                 "ссылается). Команды: " +
                                     ("pg_dump --format=custom --file=" + dump + " '" + store + "'; cd " +
                                      data_dir.string() + " && rsync -a --relative " + files + " " +
                                      backup_dir.string() + "/"));
  return Status::unprocessable("restore_postgresql",
                               "База данных хранится в PostgreSQL: остановите серверы, восстановите её программой "
                               "pg_restore и верните сохранённые файлы. Команды: " +
                                   ("pg_restore --clean --if-exists --no-owner --dbname='" + store + "' " + dump +
                                    "; cd " + backup_dir.string() + " && rsync -a --relative " + files + " " +
                                    data_dir.string() + "/"));
}

}  // namespace praktika::admin
