// The gallery module's part of a person's request for their data (152-ФЗ), asked by server/privacy
// inside its transaction; any thread holding the store::Tx.
#pragma once

#include <cstdint>

#include "common/personal_data.h"
#include "common/status.h"

namespace praktika::store {
class Tx;
}

namespace praktika::gallery {

// The comments the person wrote in the gallery's discussions.
Result<HeldData> data_of(store::Tx& tx, std::int64_t user_id);
// Their comments' texts scrubbed of traces; the author is the anonymised account, so the discussion shows the anonymous name.
Status anonymise(store::Tx& tx, const Withdrawal& withdrawal);

}  // namespace praktika::gallery
