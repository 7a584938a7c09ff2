// The review module's part of a person's request for their data (152-ФЗ, common/personal_data.h),
// asked by server/privacy inside its transaction.
// Holds, for an expert, the practices assigned and the reviews written (decision, reason,
// scores). Anonymised: reasons and the audit log's details scrubbed of traces; decisions and their
// authors stay.
#pragma once

#include "common/personal_data.h"

namespace praktika::review {

extern const PersonalDataPart kPersonalData;

}  // namespace praktika::review
