// HTTP route of the reminders: GET /api/events/{id}/reminders, the organiser's desk notices.
// Runs on the server's worker threads.
#pragma once

#include "accounts/accounts.h"
#include "net/router.h"
#include "reminders/reminders.h"

namespace praktika::reminders {

void add_routes(net::Router& router, ReminderService& reminders, accounts::AccountsService& accounts);

}  // namespace praktika::reminders
