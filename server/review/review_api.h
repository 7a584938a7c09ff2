// HTTP routes of the review: the organiser's board (assignment, outcomes, notifications, log,
// outbox) and the expert's queue and decisions. Turns JSON into ReviewService calls; runs on
// worker threads.
#pragma once

#include "accounts/accounts.h"
#include "mail/outbox.h"
#include "net/router.h"
#include "review/review.h"

namespace praktika::review {

void add_routes(net::Router& router, ReviewService& review, accounts::AccountsService& accounts, mail::Outbox& outbox);

}  // namespace praktika::review
