// HTTP routes and live topics of the gallery: the list with search, the practice page, the
// discussion (pushed live on "practice:{event}:{n}"), viewer counts, the organiser's busiest
// practices and the participant's cabinet. Routes run on worker threads; the topic policies on
// connection strands (one short SQLite read each).
#pragma once

#include "accounts/accounts.h"
#include "gallery/gallery.h"
#include "live/live.h"
#include "live/publisher.h"
#include "net/router.h"
#include "presence/presence.h"

namespace praktika::gallery {

void add_routes(net::Router& router, GalleryService& gallery, accounts::AccountsService& accounts, live::Publisher& publisher,
                const presence::Presence& presence);

// Topic families "practice" (practice:{event}:{n}: comments and viewers) and "gallery"
// (gallery:{event}:{section}: viewers of a section's list).
void add_live(live::Registry& registry, GalleryService& gallery);

}  // namespace praktika::gallery
