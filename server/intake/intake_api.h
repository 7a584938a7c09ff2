// HTTP routes of the intake: the participant's registration form and practices, and the
// organiser's lists with CSV export. Turns JSON into IntakeService calls; runs on worker threads.
#pragma once

#include "accounts/accounts.h"
#include "intake/intake.h"
#include "net/router.h"

namespace praktika::intake {

void add_routes(net::Router& router, IntakeService& intake, accounts::AccountsService& accounts);

}  // namespace praktika::intake
