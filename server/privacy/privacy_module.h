// Personal data on request as a stage module (stage/stage_module.h): the person's archive, the
// withdrawal of consent and the organiser's log; a withdrawal closes the person's open sockets.
#pragma once

#include <memory>

#include "privacy/privacy.h"
#include "stage/stage_module.h"

namespace praktika::privacy {

class PrivacyModule final : public stage::StageModule {
 public:
  std::string_view name() const override { return "privacy"; }
  std::optional<timeline::AgendaError> check(const timeline::Agenda& agenda) const override;
  void build(const stage::Services& services) override;
  void add_routes(net::Router& router, const stage::Services& services) override;

  PrivacyService& service() { return *service_; }

 private:
  std::unique_ptr<PrivacyService> service_;  // made by build()
};

}  // namespace praktika::privacy
