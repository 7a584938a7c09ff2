// Whether an applicant is an institution of an earlier edition's results: by INN first, then by
// the normalised name (review::normalise_institution). A match that is not sure (the names close
// but not equal, or equal under different INNs) is for the organiser to confirm or dismiss, never a
// silent refusal. Pure; any thread.
#pragma once

#include <string>
#include <string_view>

namespace praktika::contest {

enum class MatchKind {
  none,
  same_inn,        // sure: both give an INN and it is the same
  same_name,       // sure: no two INNs to compare, the normalised names are equal
  similar_name,    // unsure: no two INNs to compare, the names differ a little
  name_other_inn,  // unsure: the normalised names are equal, the INNs differ
};

bool sure(MatchKind kind);
bool unsure(MatchKind kind);
// "same_inn", "same_name", "similar_name", "name_other_inn", "none".
std::string_view to_string(MatchKind kind);

struct InstitutionId {
  std::string key;  // review::normalise_institution of the name
  std::string inn;  // digits only, or empty
};

MatchKind match(const InstitutionId& applicant, const InstitutionId& past);

// Two normalised names that differ only a little: a typo or two (an edit distance of at most one
// in eight characters of the shorter, at least one), or one's words all among the other's when the
// shorter has at least two words («центр надежда» and «комплексный центр надежда»). Equal names are
// not "similar": they are the same.
bool similar_names(std::string_view a, std::string_view b);

}  // namespace praktika::contest
