// The flashmob module's part of a person's request for their data (152-ФЗ), asked by server/privacy
// inside its transaction; any thread holding the store::Tx.
#pragma once

#include <cstdint>

#include "common/personal_data.h"
#include "common/status.h"

namespace praktika::store {
class Tx;
}

namespace praktika::flashmob {

// The person's flashmob items (title, institution, kind, state).
Result<HeldData> data_of(store::Tx& tx, std::int64_t user_id);
// Titles scrubbed of traces; the items stay in the feed.
Status anonymise(store::Tx& tx, const Withdrawal& withdrawal);

}  // namespace praktika::flashmob
