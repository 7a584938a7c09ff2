// HTTP routes of the intake: the participant's registration form and practices, and the
// organiser's lists with CSV export. Turns JSON into IntakeService calls; runs on worker threads.
#pragma once

#include "accounts/accounts.h"
#include "intake/intake.h"
#include "net/router.h"

namespace praktika::intake {

// `largest_file` bounds the bodies of the check routes: the largest file any loaded agenda accepts.
void add_routes(net::Router& router, IntakeService& intake, accounts::AccountsService& accounts,
                std::uint64_t largest_file);

}  // namespace praktika::intake
