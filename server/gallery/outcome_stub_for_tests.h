// TEMPORARY, for the gallery's tests only until the review module's outcome route is merged:
// PUT /api/events/{id}/review/practices/{practice}/outcome {"outcome","reason"} (organiser).
// The lead drops this header, outcome_stub_for_tests.cpp, its line in CMakeLists.txt and its
// call in app.cpp when the review branch lands. Worker threads.
#pragma once

#include "accounts/accounts.h"
#include "net/router.h"
#include "timeline/clock.h"

namespace praktika::store {
class Db;
}

namespace praktika::gallery {

void add_outcome_stub_route(net::Router& router, store::Db& db, accounts::AccountsService& accounts,
                            const timeline::Clock& clock);

}  // namespace praktika::gallery
