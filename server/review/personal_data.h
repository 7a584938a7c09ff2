// The review module's part of a person's request for their data (152-ФЗ), asked by server/privacy
// inside its transaction; any thread holding the store::Tx.
#pragma once

#include <cstdint>

#include "common/personal_data.h"
#include "common/status.h"

namespace praktika::store {
class Tx;
}

namespace praktika::review {

// As an expert: the practices assigned, the reviews written (decision, reason, scores).
Result<HeldData> data_of(store::Tx& tx, std::int64_t user_id);
// Reasons and the audit log's details scrubbed of traces; decisions and their authors stay.
Status anonymise(store::Tx& tx, const Withdrawal& withdrawal);

}  // namespace praktika::review
