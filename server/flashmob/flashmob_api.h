// HTTP routes of the flashmob: authors' items, the organiser's queue and controls, the public
// feed state, the gallery and the media files (with Range). Turns JSON into FlashmobService calls;
// routes run on the server's worker threads.
#pragma once

#include "accounts/accounts.h"
#include "flashmob/flashmob.h"
#include "net/router.h"

namespace praktika::flashmob {

void add_routes(net::Router& router, FlashmobService& flashmob, accounts::AccountsService& accounts);

}  // namespace praktika::flashmob
