// The uploads' part of a person's request for their data (152-ФЗ), asked by server/privacy inside
// its transaction; any thread holding the store::Tx.
#pragma once

#include <cstdint>
#include <filesystem>

#include "common/personal_data.h"
#include "common/status.h"

namespace praktika::store {
class Tx;
}

namespace praktika::uploads {

// Every upload the person began, and the bytes of the complete ones (from `files_dir`, the
// UploadService's <data>/files) as "files/<id>-<name>".
Result<HeldData> data_of(store::Tx& tx, std::int64_t user_id, const std::filesystem::path& files_dir);
// File names and tus metadata scrubbed of the person's traces; the files stay with their practice.
Status anonymise(store::Tx& tx, const Withdrawal& withdrawal);

}  // namespace praktika::uploads
