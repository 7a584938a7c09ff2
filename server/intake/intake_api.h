// HTTP routes of the intake: the participant's registration form and practices, and the
// organiser's lists with CSV export. Turns JSON into IntakeService calls; runs on worker threads.
#pragma once

#include "accounts/accounts.h"
#include "accounts/accounts_api.h"
#include "intake/intake.h"
#include "net/router.h"

namespace praktika::intake {

// Routes on one practice (intake's and review's): the {practice} segment parsed (404
// practice_not_found), and the JSON body when `reads_body` (400 when it is not an object).
using PracticeHandler = std::function<net::Response(const accounts::Identity&, const net::Request&,
                                                    const net::PathParams&, std::int64_t id, const nlohmann::json& body)>;
accounts::CallerHandler on_practice(bool reads_body, PracticeHandler handler);

// `largest_file` bounds the bodies of the check routes: the largest file any loaded agenda accepts.
void add_routes(net::Router& router, IntakeService& intake, accounts::AccountsService& accounts,
                std::uint64_t largest_file);

}  // namespace praktika::intake
