// HTTP routes of the contest rules: the public laureate list and the organiser's export of it by
// region. Turns requests into ContestService calls; routes run on the server's worker threads.
#pragma once

#include "accounts/accounts.h"
#include "contest/contest.h"
#include "net/router.h"

namespace praktika::contest {

void add_routes(net::Router& router, ContestService& contest, accounts::AccountsService& accounts);

}  // namespace praktika::contest
