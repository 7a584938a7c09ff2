// The section day's doors: HTTP routes (/api/events/{id}/sections…, /results), the WebSocket topic
// families and "section.*" ops registered with the live side, and the speaker timer's wake-ups on
// the live::Alarm. Routes run on worker threads, ops and topic hooks on connection strands, the
// timer's wake-ups on the alarm's strand. add_* are called while App is built.
#pragma once

#include <filesystem>

#include "accounts/accounts.h"
#include "live/alarm.h"
#include "live/live.h"
#include "net/router.h"
#include "sections/sections.h"

namespace praktika::sections {

// `files_dir`: where complete uploads live (<data>/files), for the presenters' materials.
void add_routes(net::Router& router, SectionService& sections, accounts::AccountsService& accounts,
                std::filesystem::path files_dir);

// Topics "section", "section-moderation", "author", "results" and the ops "section.<action>".
void add_live(live::Registry& registry, SectionService& sections);

// The Arm to give SectionService::set_arm: one wake-up per running section ("section:{event}:{n}")
// on the alarm, calling on_timer. `service` outlives the alarm's wake-ups (Alarm::stop()).
Arm alarm_arm(live::Alarm& alarm, SectionService& service);

}  // namespace praktika::sections
