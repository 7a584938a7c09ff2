// The intake's part of a person's request for their data (152-ФЗ), asked by server/privacy inside
// its transaction; any thread holding the store::Tx.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/personal_data.h"
#include "common/status.h"

namespace praktika::store {
class Tx;
}

namespace praktika::intake {

// Registrations (answers and consents), the practices the person owns with their payments and
// outcomes, and the practices that name their e-mail as a co-author.
Result<HeldData> data_of(store::Tx& tx, std::int64_t user_id, std::string_view email);
// Registrations lose the fields the withdrawal names as personal and keep the rest (institution,
// section, consents with their instants); every practice's description has the person's name and
// e-mail replaced (its revision moves on, so the gallery's index is rebuilt; phones and addresses
// there are the institution's and stay); co-authorships name the
// anonymous e-mail instead, so the practice keeps its co-author. Decisions and payments stay.
Status anonymise(store::Tx& tx, const Withdrawal& withdrawal);

}  // namespace praktika::intake
