// HTTP routes of the announcements: the public list, and publishing for the organiser.
#pragma once

#include "accounts/accounts.h"
#include "announcements/announcements.h"
#include "net/router.h"

namespace praktika::announcements {

void add_routes(net::Router& router, AnnouncementService& announcements, accounts::AccountsService& accounts);

}  // namespace praktika::announcements
