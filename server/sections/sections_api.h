// The section day's doors: HTTP routes (/api/events/{id}/sections…, /results), the WebSocket topic
// families and "section.*" ops registered with the live side, and the ticker that fires the
// speaker timer's warnings on the event clock. Routes run on worker threads, ops and topic hooks
// on connection strands, the ticker on its own strand. add_* are called while App is built.
#pragma once

#include <filesystem>
#include <memory>

#include "accounts/accounts.h"
#include "live/live.h"
#include "net/router.h"
#include "sections/sections.h"
#include "timeline/clock.h"

namespace boost::asio {
class io_context;
}

namespace praktika::sections {

// `files_dir`: where complete uploads live (<data>/files), for the presenters' materials.
void add_routes(net::Router& router, SectionService& sections, accounts::AccountsService& accounts,
                std::filesystem::path files_dir);

// Topics "section", "section-moderation", "author", "results" and the ops "section.<action>".
void add_live(live::Registry& registry, SectionService& sections);

// One steady timer per running section on one strand; asks the service what is due when it fires.
class SectionTicker {
 public:
  SectionTicker(boost::asio::io_context& io, const timeline::Clock& clock);
  ~SectionTicker();
  // The Arm to give SectionService::set_arm; `service` must outlive the ticker's timers (stop()).
  Arm arm(SectionService& service);
  void stop();

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace praktika::sections
