// HTTP routes of the reminders: GET /api/events/{id}/reminders, the organiser's desk notices;
// GET /api/events/{id}/reminders/participants, the participants' reminders with their next moment,
// and PUT …/participants/{kind} {"enabled": bool}, the organiser's switch. Worker threads.
#pragma once

#include "accounts/accounts.h"
#include "net/router.h"
#include "reminders/participants.h"
#include "reminders/reminders.h"

namespace praktika::reminders {

void add_routes(net::Router& router, ReminderService& reminders, accounts::AccountsService& accounts);
void add_participant_routes(net::Router& router, ParticipantReminders& reminders, accounts::AccountsService& accounts);

}  // namespace praktika::reminders
