// The accounts' part of a person's request for their data (152-ФЗ), asked by server/privacy
// inside its transaction; any thread holding the store::Tx.
#pragma once

#include <cstdint>

#include "common/personal_data.h"
#include "common/status.h"

namespace praktika::store {
class Tx;
}

namespace praktika::accounts {

// The account, its roles and the invitations waiting for its e-mail (never the password hash).
Result<HeldData> data_of(store::Tx& tx, std::int64_t user_id);
// The name and e-mail replaced, the password made unusable, every session ended and the
// invitations to the old e-mail dropped; the user's id and roles stay, so what others decided
// keeps its author.
Status anonymise(store::Tx& tx, const Withdrawal& withdrawal);

}  // namespace praktika::accounts
