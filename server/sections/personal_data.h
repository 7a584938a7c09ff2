// The sections module's part of a person's request for their data (152-ФЗ), asked by server/privacy
// inside its transaction; any thread holding the store::Tx.
#pragma once

#include <cstdint>

#include "common/personal_data.h"
#include "common/status.h"

namespace praktika::store {
class Tx;
}

namespace praktika::sections {

// Questions asked, hands raised, section attendance and the notices of the person's slots.
Result<HeldData> data_of(store::Tx& tx, std::int64_t user_id);
// Questions' and notices' texts scrubbed of traces; attendance stays (it counts for certificates).
Status anonymise(store::Tx& tx, const Withdrawal& withdrawal);

}  // namespace praktika::sections
