// The flashmob module's part of a person's request for their data (152-ФЗ,
// common/personal_data.h), asked by server/privacy inside its transaction.
// Holds the person's flashmob items (title, institution, kind, state). Anonymised: titles
// scrubbed of traces; the items stay in the feed.
#pragma once

#include "common/personal_data.h"

namespace praktika::flashmob {

extern const PersonalDataPart kPersonalData;

}  // namespace praktika::flashmob
