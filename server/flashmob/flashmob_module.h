// The flashmob as a stage module (stage/stage_module.h): items, conversions, the feed
// and its now_playing wake-ups on the alarm, and the widget page partner sites may frame.
#pragma once

#include <memory>

#include "flashmob/flashmob.h"
#include "stage/stage_module.h"

namespace praktika::flashmob {

class FlashmobModule final : public stage::StageModule {
 public:
  std::string_view name() const override { return "flashmob"; }
  std::optional<timeline::AgendaError> check(const timeline::Agenda& agenda) const override;
  void build(const stage::Services& services) override;
  void add_routes(net::Router& router, const stage::Services& services) override;
  void add_live(live::Registry& registry) override;
  Status start() override;
  void stop() override;

  FlashmobService& service() { return *service_; }

 private:
  std::unique_ptr<FlashmobService> service_;  // made by build()
};

}  // namespace praktika::flashmob
