#include "contest/contest_module.h"

#include "contest/contest_api.h"
#include "intake/intake_module.h"

namespace praktika::contest {

std::optional<timeline::AgendaError> ContestModule::check(const timeline::Agenda& agenda) const {
  auto settings = read_settings(agenda);
  if (auto* error = std::get_if<timeline::AgendaError>(&settings)) return *error;
  return std::nullopt;
}

void ContestModule::build(const stage::Services& services) {
  service_ = std::make_unique<ContestService>(services.db, services.clock, services.events.all(),
                                              services.stage<intake::IntakeModule>().service());
}

void ContestModule::add_routes(net::Router& router, const stage::Services& services) {
  const timeline::Events& events = services.events;
  contest::add_routes(router, *service_, services.accounts, [&events](std::string_view id) -> const timeline::Timeline* {
    auto event = events.find(id);
    return event ? event->timeline : nullptr;
  });
}

}  // namespace praktika::contest
