#include "certificates/certificates_module.h"

#include "certificates/certificates_api.h"
#include "sections/sections_module.h"

namespace praktika::certificates {

std::optional<timeline::AgendaError> CertificateModule::check(const timeline::Agenda& agenda) const {
  return check_agenda(agenda);
}

void CertificateModule::build(const stage::Services& services) {
  std::map<std::string, timeline::EventView, std::less<>> events;
  for (const auto& view : services.events.all()) events.emplace(view.agenda->id, view);
  auto& sections = services.stage<sections::SectionModule>().service();
  service_ = std::make_unique<CertificateService>(
      services.db, services.clock, std::move(events), services.data_dir, services.publisher,
      [&sections](const accounts::Identity& who, std::string_view event) { return sections.attendance(who, event); },
      services.letters_queued);
}

void CertificateModule::add_routes(net::Router& router, const stage::Services& services) {
  certificates::add_routes(router, *service_, services.accounts);
}

void CertificateModule::add_live(live::Registry& registry) { certificates::add_live(registry, *service_); }

Status CertificateModule::start() {
  service_->start();
  return Status::ok();
}

void CertificateModule::stop() { service_->stop(); }

}  // namespace praktika::certificates
