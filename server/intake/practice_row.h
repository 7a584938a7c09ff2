// How the intake reads a practice's row, shared by the catalogue (what other modules read) and the
// IntakeService (what authors and organisers see), so the columns and their order are written once.
// Private to server/intake: other modules call catalogue.h.
#pragma once

#include <string_view>

#include "accounts/accounts.h"
#include "intake/catalogue.h"
#include "store/db.h"

namespace praktika::intake::detail {

// Columns 0–10 of a practice (`p`); a query may add more after. The owner's name and e-mail are the
// accounts' to give: a reader calls fill_owners once its rows are read.
inline constexpr std::string_view kPracticeColumns =
    "SELECT p.id, p.event_id, p.owner_id, p.section, p.type, p.answers, p.state, p.revision, "
    "p.created_at, p.updated_at, p.submitted_at";
inline constexpr int kPracticeColumnCount = 11;
inline constexpr std::string_view kPracticeFrom = " FROM practices p ";

Practice read_practice(const store::Stmt& q);

// Copies each practice's owner's name and e-mail from the accounts, in a few statements for all the
// rows; `practice_of(row)` is the row's practice (the row itself, or a member of it).
template <typename Rows, typename PracticeOf>
Status fill_owners(store::Tx& tx, Rows& rows, PracticeOf practice_of) {
  return accounts::fill_from_users(
      tx, rows, [&](const auto& row) { return practice_of(row).owner_id; },
      [&](auto& row, const accounts::User& owner) {
        auto& practice = practice_of(row);
        practice.owner_name = owner.full_name;
        practice.owner_email = owner.email;
      });
}

}  // namespace praktika::intake::detail
