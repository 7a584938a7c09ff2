// The mail module's part of a person's request for their data (152-ФЗ), asked by server/privacy
// inside its transaction; any thread holding the store::Tx.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/personal_data.h"
#include "common/status.h"

namespace praktika::store {
class Tx;
}

namespace praktika::mail {

// Letters addressed to the person's e-mail (subject, body, state, instants).
Result<HeldData> data_of(store::Tx& tx, std::int64_t user_id, std::string_view email);
// Every letter's recipients, subject and body scrubbed of traces (the e-mail becomes the undeliverable anonymous one).
Status anonymise(store::Tx& tx, const Withdrawal& withdrawal);

}  // namespace praktika::mail
