// The sections module's part of a person's request for their data (152-ФЗ,
// common/personal_data.h), asked by server/privacy inside its transaction.
// Holds the questions asked, hands raised, section attendance and the notices of the person's
// slots. Anonymised: questions' and notices' texts scrubbed of traces; attendance stays (it counts
// for certificates).
#pragma once

#include "common/personal_data.h"

namespace praktika::sections {

extern const PersonalDataPart kPersonalData;

}  // namespace praktika::sections
