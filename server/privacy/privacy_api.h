// HTTP routes of personal data on request: the person's archive and withdrawal, the organiser's log.
#pragma once

#include "accounts/accounts.h"
#include "net/router.h"
#include "privacy/privacy.h"

namespace praktika::privacy {

void add_routes(net::Router& router, PrivacyService& privacy, accounts::AccountsService& accounts);

}  // namespace praktika::privacy
