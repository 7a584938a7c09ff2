// The certificates module's part of a person's request for their data (152-ФЗ), asked by server/privacy
// inside its transaction; any thread holding the store::Tx.
#pragma once

#include <cstdint>
#include <filesystem>

#include "common/personal_data.h"
#include "common/status.h"

namespace praktika::store {
class Tx;
}

namespace praktika::certificates {

// Certificates issued to the person (number, template, what the document says) and their PDF files (from <data>/certificates).
Result<HeldData> data_of(store::Tx& tx, std::int64_t user_id, const std::filesystem::path& data_dir);
// What a certificate says and where it is sent are scrubbed of traces; its number stays and still verifies.
Status anonymise(store::Tx& tx, const Withdrawal& withdrawal);

}  // namespace praktika::certificates
