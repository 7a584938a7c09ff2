// HTTP routes of certificates, the proceedings and the organiser's exports (docs/protocol.md,
// "After the event"), and the organiser's topic certificates:{event}. Routes run on worker
// threads; the topic policy on connection strands.
#pragma once

#include "accounts/accounts.h"
#include "certificates/certificates.h"
#include "live/live.h"
#include "net/router.h"

namespace praktika::certificates {

void add_routes(net::Router& router, CertificateService& certificates, accounts::AccountsService& accounts);
void add_live(live::Registry& registry, CertificateService& certificates);

}  // namespace praktika::certificates
