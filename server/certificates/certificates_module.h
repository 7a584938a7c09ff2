// After the event: certificates as a stage module (stage/stage_module.h); attendance comes from
// the section day.
#pragma once

#include <memory>

#include "certificates/certificates.h"
#include "stage/stage_module.h"

namespace praktika::certificates {

class CertificateModule final : public stage::StageModule {
 public:
  std::string_view name() const override { return "certificates"; }
  std::optional<timeline::AgendaError> check(const timeline::Agenda& agenda) const override;
  void build(const stage::Services& services) override;
  void add_routes(net::Router& router, const stage::Services& services) override;
  void add_live(live::Registry& registry) override;
  Status start() override;
  void stop() override;

  CertificateService& service() { return *service_; }

 private:
  std::unique_ptr<CertificateService> service_;  // made by build()
};

}  // namespace praktika::certificates
