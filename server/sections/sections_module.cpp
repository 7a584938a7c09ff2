#include "sections/sections_module.h"

#include <cstdio>

#include "review/review_module.h"
#include "sections/sections_api.h"
#include "sections/speedtest.h"

namespace praktika::sections {

std::optional<timeline::AgendaError> SectionModule::check(const timeline::Agenda& agenda) const {
  auto settings = read_settings(agenda);
  if (auto* error = std::get_if<timeline::AgendaError>(&settings)) return *error;
  return std::nullopt;
}

void SectionModule::build(const stage::Services& services) {
  std::map<std::string, EventRef, std::less<>> events;
  for (const auto& view : services.events.all()) {
    // main checked every agenda's part before building the App, so this reads without error.
    auto settings = read_settings(*view.agenda);
    auto* read = std::get_if<Settings>(&settings);
    events.emplace(view.agenda->id, EventRef{view, read ? *read : Settings{}});
  }
  service_ = std::make_unique<SectionService>(services.db, services.clock, std::move(events), services.publisher);
  // An admission letter to present lists what the presenter needs at home (Appendix 2).
  services.stage<review::ReviewModule>().service().add_letter_block(
      "presenter_requirements", [this](std::string_view event, const std::vector<std::string>& outcomes) {
        return service_->letter_requirements(event, outcomes);
      });
  service_->set_arm(alarm_arm(services.alarm, *service_));
  services.alarm.add_source([this](bool) {
    if (auto s = service_->rearm(); !s) std::fprintf(stderr, "section timers: %s\n", s.message().c_str());
  });
}

void SectionModule::add_routes(net::Router& router, const stage::Services& services) {
  sections::add_routes(router, *service_, services.accounts, services.data_dir / "files");
  add_speedtest_routes(router, services.data_dir / "tmp");
}

void SectionModule::add_live(live::Registry& registry) { sections::add_live(registry, *service_); }

Status SectionModule::start() { return service_->start(); }

}  // namespace praktika::sections
