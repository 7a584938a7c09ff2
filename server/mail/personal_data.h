// The mail module's part of a person's request for their data (152-ФЗ, common/personal_data.h),
// asked by server/privacy inside its transaction.
// Holds the letters addressed to the person's e-mail (subject, body, state, instants).
// Anonymised: every letter's recipients, subject and body scrubbed of traces (the e-mail becomes
// the undeliverable anonymous one).
#pragma once

#include "common/personal_data.h"

namespace praktika::mail {

extern const PersonalDataPart kPersonalData;

}  // namespace praktika::mail
