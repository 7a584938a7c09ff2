// HTTP routes of the contest rules: the public laureate list, the organiser's export of it by
// region, and the organiser's post of diplomas and certificates (address list, marks, CSV). Turns requests into ContestService calls; routes run on the server's worker threads.
#pragma once

#include <functional>
#include <string_view>

#include "accounts/accounts.h"
#include "contest/contest.h"
#include "net/router.h"
#include "timeline/timeline.h"

namespace praktika::contest {

// The event's timeline (instants are written in its offset); called only for an event the
// service knows.
using TimelineOf = std::function<const timeline::Timeline*(std::string_view event_id)>;

void add_routes(net::Router& router, ContestService& contest, accounts::AccountsService& accounts,
                TimelineOf timeline_of);

}  // namespace praktika::contest
