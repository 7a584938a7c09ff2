// The gallery module's part of a person's request for their data (152-ФЗ, common/personal_data.h),
// asked by server/privacy inside its transaction.
// Holds the comments the person wrote in the gallery's discussions. Anonymised: comments' texts
// scrubbed of traces; the author is the anonymised account, so the discussion shows the anonymous
// name.
#pragma once

#include "common/personal_data.h"

namespace praktika::gallery {

extern const PersonalDataPart kPersonalData;

}  // namespace praktika::gallery
