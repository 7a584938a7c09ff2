// Resumable uploads (tus 1.0: core, creation, termination) for every file an author sends: the
// practice document, photos, payment scans, flashmob media. Owns <data>/uploads (bytes under way),
// <data>/files (complete, checked files) and the uploads table. Thread-safe: the set of uploads
// receiving a PATCH right now is guarded by mutex_; the rest lives in the store. Blocking calls
// run on the worker pool; begin_patch is quick (one indexed read) and runs on a connection strand.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "accounts/accounts.h"
#include "common/status.h"
#include "intake/intake.h"
#include "timeline/clock.h"

namespace praktika::store {
class Db;
}

namespace praktika::uploads {

struct Options {
  std::filesystem::path data_dir;
  std::uint64_t quota_bytes = 3ULL << 30;  // per participant and event, over all uploads kept
  std::uint64_t max_length = 0;            // the largest file any loaded purpose accepts
};

struct Upload {
  std::string id;
  std::string event_id;
  std::int64_t owner_id = 0;
  std::string purpose;
  std::uint64_t length = 0;
  std::uint64_t offset = 0;  // bytes on disk
  std::string file_name;
  nlohmann::json metadata;
  std::string state;  // receiving | complete | rejected
  nlohmann::json verdict;
  nlohmann::json to_json() const;
};

// A PATCH admitted to append to an upload; while it lives no other PATCH may append.
struct PatchTicket {
  std::filesystem::path file;
  std::uint64_t offset = 0;
  std::uint64_t remaining = 0;
  std::shared_ptr<void> hold;
};

class UploadService {
 public:
  UploadService(store::Db& db, const timeline::Clock& clock, intake::FindEvent find_event, Options options);

  // Creation: refuses an unknown purpose, a length over the purpose's largest kind, a full quota,
  // and uploads for the intake after its closing instant (deadline_passed).
  Result<Upload> create(const accounts::User& owner, std::string_view event_id, std::string_view purpose,
                        std::uint64_t length, const nlohmann::json& metadata);
  Result<Upload> find(const accounts::User& who, std::string_view id);
  // The header of a PATCH: the owner, Upload-Offset equal to the bytes on disk, not complete, and no
  // other PATCH appending. An upload begun before the intake closed may finish after, within the
  // purpose's finish_within_hours (deadline_passed beyond).
  Result<PatchTicket> begin_patch(const accounts::User& who, std::string_view id, std::uint64_t offset);
  // After the body: the new offset from the disk; when the last byte is in, the file is checked
  // against the agenda's rules for its purpose and kept (complete) or removed (rejected).
  Result<Upload> finish_patch(const accounts::User& who, std::string_view id);
  Status remove(const accounts::User& who, std::string_view id);
  // A complete file for its owner, the event's organiser, or someone a read grant admits (`who`
  // is null for an anonymous visitor): where it is on disk, and the upload in `found` if given.
  Result<std::filesystem::path> stored_file(const accounts::Identity* who, std::string_view id,
                                            Upload* found = nullptr);

  // Lets more people fetch a complete file than its owner and the organiser (the gallery's
  // readers see the materials of admitted practices). Called only while the server is built.
  using ReadGrant = std::function<bool(const accounts::Identity* who, const Upload& upload)>;
  void add_read_grant(ReadGrant grant) { read_grants_.push_back(std::move(grant)); }

  // Reads more of a file of `purpose` than its size and type once it is complete (the practice
  // document's clause 6.5 formatting) and keeps the answer in the verdict under `key`, so the author
  // sees it with the upload. It never rejects the file: the organiser decides what blocks. Runs on
  // the thread of the last PATCH; called only while the server is built.
  using Inspector = std::function<nlohmann::json(const Upload& upload, const std::filesystem::path& file)>;
  void add_inspector(std::string purpose, std::string key, Inspector inspect) {
    inspectors_.push_back({std::move(purpose), std::move(key), std::move(inspect)});
  }

  // The largest file any loaded purpose accepts (bounds a PATCH body).
  std::uint64_t max_length() const { return options_.max_length; }
  const std::filesystem::path& files_dir() const { return files_dir_; }

 private:
  Result<Upload> load(std::string_view id);
  std::filesystem::path part_path(std::string_view id) const;

  // Constant after construction.
  store::Db& db_;
  const timeline::Clock& clock_;
  const intake::FindEvent find_event_;
  const Options options_;
  const std::filesystem::path uploads_dir_;
  const std::filesystem::path files_dir_;
  std::vector<ReadGrant> read_grants_;  // filled before the server starts
  struct Inspection {
    std::string purpose;
    std::string key;
    Inspector inspect;
  };
  std::vector<Inspection> inspectors_;  // filled before the server starts

  // Guarded by mutex_: uploads with a PATCH in progress.
  std::mutex mutex_;
  std::set<std::string> busy_;
};

}  // namespace praktika::uploads
