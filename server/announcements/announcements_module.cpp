#include "announcements/announcements_module.h"

#include "announcements/announcements_api.h"

namespace praktika::announcements {

void AnnouncementModule::build(const stage::Services& services) {
  service_ = std::make_unique<AnnouncementService>(services.db, services.clock, services.events.finder(),
                                                   services.letters_queued);
}

void AnnouncementModule::add_routes(net::Router& router, const stage::Services& services) {
  announcements::add_routes(router, *service_, services.accounts);
}

}  // namespace praktika::announcements
