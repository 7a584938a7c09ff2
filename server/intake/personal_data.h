// The intake's part of a person's request for their data (152-ФЗ, common/personal_data.h), asked
// by server/privacy inside its transaction.
// Holds the registrations (answers and consents), the practices the person owns with their
// payments and outcomes, and the practices that name their e-mail as a co-author. Anonymised:
// registrations lose the fields the withdrawal names as personal and keep the rest (institution,
// section, consents with their instants); every practice's description has the person's name and
// e-mail replaced (its revision moves on, so the gallery's index is rebuilt; phones and addresses
// there are the institution's and stay); co-authorships name the anonymous e-mail instead, so the
// practice keeps its co-author. Decisions and payments stay.
#pragma once

#include "common/personal_data.h"

namespace praktika::intake {

extern const PersonalDataPart kPersonalData;

}  // namespace praktika::intake
