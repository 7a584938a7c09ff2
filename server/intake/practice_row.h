// How the intake reads a practice's row, shared by the catalogue (what other modules read) and the
// IntakeService (what authors and organisers see), so the columns and their order are written once.
// Private to server/intake: other modules call catalogue.h.
#pragma once

#include <string_view>

#include "intake/catalogue.h"
#include "store/db.h"

namespace praktika::intake::detail {

// Columns 0–12 of a practice, joined with its owner's account (`p`, `u`); a query may add more after.
inline constexpr std::string_view kPracticeColumns =
    "SELECT p.id, p.event_id, p.owner_id, u.full_name, u.email, p.section, p.type, p.answers, p.state, p.revision, "
    "p.created_at, p.updated_at, p.submitted_at";
inline constexpr int kPracticeColumnCount = 13;
inline constexpr std::string_view kPracticeFrom = " FROM practices p JOIN users u ON u.id = p.owner_id ";

Practice read_practice(const store::Stmt& q);

}  // namespace praktika::intake::detail
