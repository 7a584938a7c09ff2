// The certificates module's part of a person's request for their data (152-ФЗ,
// common/personal_data.h), asked by server/privacy inside its transaction.
// Holds the certificates issued to the person (number, template, what the document says) and
// their PDF files (from <data>/certificates). Anonymised: what a certificate says and where it is
// sent are scrubbed of traces; its number stays and still verifies.
#pragma once

#include "common/personal_data.h"

namespace praktika::certificates {

extern const PersonalDataPart kPersonalData;

}  // namespace praktika::certificates
