// The uploads' part of a person's request for their data (152-ФЗ, common/personal_data.h), asked
// by server/privacy inside its transaction.
// Holds every upload the person began, and the bytes of the complete ones (from <data>/files, the
// UploadService's) as "files/<id>-<name>". Anonymised: file names and tus metadata scrubbed of the
// person's traces; the files stay with their practice.
#pragma once

#include "common/personal_data.h"

namespace praktika::uploads {

extern const PersonalDataPart kPersonalData;

}  // namespace praktika::uploads
