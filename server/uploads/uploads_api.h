// HTTP routes of the resumable uploads, speaking tus 1.0 (core, creation, termination) so that
// tus-js-client in the browser resumes an interrupted upload where it stopped. PATCH bodies are
// appended straight to the upload's file by the transport; everything runs on worker threads
// except the PATCH admission (body policy), which is quick and runs on the connection's strand.
#pragma once

#include "accounts/accounts.h"
#include "net/router.h"
#include "uploads/uploads.h"

namespace praktika::uploads {

void add_routes(net::Router& router, UploadService& uploads, accounts::AccountsService& accounts);

}  // namespace praktika::uploads
