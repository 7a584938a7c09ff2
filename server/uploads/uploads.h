// Resumable uploads (tus 1.0: core, creation, termination) for every file an author sends: the
// practice document, photos, payment scans, flashmob media. Owns <data>/uploads (bytes under way),
// <data>/files (complete, checked files, and beside each the files others derive from it, named
// "<id>.<suffix>", e.g. the gallery's "<id>.preview/") and the uploads table. Thread-safe: the
// one PATCH appending to an upload holds an exclusive flock on its part file, which excludes
// every other request in this and any other server process on the data directory; the rest
// lives in the store. Blocking calls run on the worker pool; begin_patch is quick (one indexed
// read, an open and a flock) and runs on a connection strand.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "accounts/accounts.h"
#include "common/status.h"
#include "intake/intake.h"
#include "timeline/clock.h"
#include "timeline/event.h"

namespace praktika::store {
class Db;
}

namespace praktika::uploads {

struct Options {
  std::filesystem::path data_dir;
  std::uint64_t quota_bytes = 3ULL << 30;  // per participant and event, over all uploads kept
  std::uint64_t max_length = 0;            // the largest file any loaded purpose accepts
  // An upload is refused up front (storage_full) when the disk has less free than its missing
  // bytes and this much more, kept for everything else the server writes.
  std::uint64_t free_space_margin = 64ULL << 20;
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
  // Read from the metadata at creation and kept as columns: the practice the file belongs to
  // ("practice", a canonical decimal id) and the form field it answers ("field").
  std::optional<std::int64_t> practice_id;
  std::optional<std::string> field;
  std::string state;  // receiving | complete | rejected
  nlohmann::json verdict;
  nlohmann::json to_json() const;
};

// A PATCH admitted to append to an upload; while `hold` lives no other PATCH may append, nor a
// deletion remove the file, in any process on the data directory.
struct PatchTicket {
  std::filesystem::path file;
  std::uint64_t offset = 0;
  std::uint64_t remaining = 0;
  std::shared_ptr<void> hold;
  // For the transport to call on the connection's strand while the body arrives
  // (BodyPolicy::stop_early): true once the bytes on disk already condemn the file (a video whose
  // header declares a length over the limit), so the PATCH ends there and finish_patch rejects it.
  // Null when the purpose limits no length.
  std::function<bool()> header_refuses;
};

class UploadService {
 public:
  UploadService(store::Db& db, const timeline::Clock& clock, timeline::FindEvent find_event, Options options);

  // Creation: refuses an unknown purpose, a length over the purpose's largest kind, a length the
  // disk has no room for (storage_full), a full quota, and uploads for the intake after its
  // closing instant (deadline_passed).
  Result<Upload> create(const accounts::User& owner, std::string_view event_id, std::string_view purpose,
                        std::uint64_t length, const nlohmann::json& metadata);
  Result<Upload> find(const accounts::User& who, std::string_view id);
  // The header of a PATCH: the owner, Upload-Offset equal to the bytes on disk (read again under
  // the lock), not complete, no other PATCH appending (upload_busy), and room on the disk for the
  // missing bytes (storage_full). An upload begun before the intake closed may finish after,
  // within the purpose's finish_within_hours (deadline_passed beyond).
  Result<PatchTicket> begin_patch(const accounts::User& who, std::string_view id, std::uint64_t offset);
  // After the body: the new offset from the disk; when the last byte is in, the file is checked
  // against the agenda's rules for its purpose and kept (complete) or removed (rejected). Before
  // that, a video whose header has arrived and declares a length over the limit is rejected at
  // once (media::early_check); the check of the whole file decides everything else.
  Result<Upload> finish_patch(const accounts::User& who, std::string_view id);
  // Removes the bytes first (the part file, the checked file and what was derived from it), then
  // the row: on a full disk only the bytes can make room for the row's deletion. Should that still
  // fail, the upload counts as absent (its bytes are gone) and a repeated call removes the row.
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
  // The row as stored, even when its bytes are gone.
  Result<Upload> load_row(std::string_view id);
  // The row, unless a deletion removed its bytes and could not remove it (then not found).
  Result<Upload> load(std::string_view id);
  bool bytes_gone(const Upload& upload) const;
  Result<Upload> refuse_early(Upload upload);
  static std::function<bool()> header_watch(const std::filesystem::path& file, std::uint64_t length,
                                            const timeline::FilePurpose& rules, const std::string& name);
  Status check_room(std::uint64_t bytes) const;
  void remove_bytes(const std::string& id) const;
  std::filesystem::path part_path(std::string_view id) const;

  // Constant after construction.
  store::Db& db_;
  const timeline::Clock& clock_;
  const timeline::FindEvent find_event_;
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
};

}  // namespace praktika::uploads
