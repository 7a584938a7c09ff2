#include "privacy/privacy_module.h"

#include "privacy/privacy_api.h"

namespace praktika::privacy {

std::optional<timeline::AgendaError> PrivacyModule::check(const timeline::Agenda& agenda) const {
  auto read = read_settings(agenda);
  if (auto* error = std::get_if<timeline::AgendaError>(&read)) return *error;
  return std::nullopt;
}

void PrivacyModule::build(const stage::Services& services) {
  std::map<std::string, Settings, std::less<>> events;
  for (const auto& view : services.events.all())  // main checked every agenda's part
    if (auto read = read_settings(*view.agenda); std::holds_alternative<std::optional<Settings>>(read))
      if (auto& settings = std::get<std::optional<Settings>>(read)) events.emplace(view.agenda->id, std::move(*settings));
  service_ = std::make_unique<PrivacyService>(services.db, services.clock, std::move(events), services.data_dir,
                                              services.identity_changed);
}

void PrivacyModule::add_routes(net::Router& router, const stage::Services& services) {
  privacy::add_routes(router, *service_, services.accounts);
}

}  // namespace praktika::privacy
