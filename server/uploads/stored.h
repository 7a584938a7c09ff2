// The uploads table as other modules read it: a practice's files, one file by id, an event's
// files, and where a complete file lives on disk. Only the UploadService writes the table and the
// files; these functions read, inside the caller's transaction (any thread that holds a store::Tx).
// A library of its own (praktika_upload_store) so the intake, on which the UploadService depends,
// can read files without that cycle.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace praktika::store {
class Tx;
}

namespace praktika::uploads {

// One row of the uploads table.
struct StoredFile {
  std::string id;
  std::string event_id;
  std::int64_t owner_id = 0;
  std::string purpose;
  std::string file_name;
  std::int64_t length = 0;
  std::string state;      // receiving | complete | rejected
  nlohmann::json verdict;  // null until checked; discarded when unreadable
  std::optional<std::int64_t> practice_id;
  std::optional<std::string> field;
  std::int64_t created_at = 0;  // ms since the epoch
  std::int64_t updated_at = 0;
};

// The files `owner_id` sent for the practice, in every state, oldest first.
Result<std::vector<StoredFile>> files_of_practice(store::Tx& tx, std::string_view event_id, std::int64_t owner_id,
                                                  std::int64_t practice_id);
// One upload of the event, in any state.
Result<std::optional<StoredFile>> find_file(store::Tx& tx, std::string_view event_id, std::string_view id);
// The event's uploads, oldest first; an empty purpose or state matches any.
Result<std::vector<StoredFile>> files_of_event(store::Tx& tx, std::string_view event_id, std::string_view purpose,
                                               std::string_view state);

// Where the bytes of a complete upload are kept, in the files folder the UploadService owns
// (<data>/files). Files derived from it are named "<that path>.<suffix>".
std::filesystem::path complete_file(const std::filesystem::path& files_dir, std::string_view id);

}  // namespace praktika::uploads
