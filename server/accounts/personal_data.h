// The accounts' part of a person's request for their data (152-ФЗ, common/personal_data.h), asked
// by server/privacy inside its transaction.
// Holds the account, its roles and the invitations waiting for its e-mail (never the password
// hash). Anonymised: the name and e-mail replaced, the password made unusable, every session ended
// and the invitations to the old e-mail dropped; the user's id and roles stay, so what others
// decided keeps its author.
#pragma once

#include "common/personal_data.h"

namespace praktika::accounts {

extern const PersonalDataPart kPersonalData;

}  // namespace praktika::accounts
