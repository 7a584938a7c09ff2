// The section day as a stage module (stage/stage_module.h): schedules, the live run
// and floor, their timers on the alarm, the speed test, and the presenters' needs in admission letters.
#pragma once

#include <memory>

#include "sections/sections.h"
#include "stage/stage_module.h"

namespace praktika::sections {

class SectionModule final : public stage::StageModule {
 public:
  std::string_view name() const override { return "sections"; }
  std::optional<timeline::AgendaError> check(const timeline::Agenda& agenda) const override;
  void build(const stage::Services& services) override;
  void add_routes(net::Router& router, const stage::Services& services) override;
  void add_live(live::Registry& registry) override;
  Status start() override;

  SectionService& service() { return *service_; }

 private:
  std::unique_ptr<SectionService> service_;  // made by build()
};

}  // namespace praktika::sections
