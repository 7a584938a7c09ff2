// The intake as a stage module (stage/stage_module.h): the registration forms and the
// practices, their routes, and the practice document's formatting check on its upload.
#pragma once

#include <memory>

#include "intake/intake.h"
#include "stage/stage_module.h"

namespace praktika::intake {

class IntakeModule final : public stage::StageModule {
 public:
  std::string_view name() const override { return "intake"; }
  void build(const stage::Services& services) override;
  void add_routes(net::Router& router, const stage::Services& services) override;

  IntakeService& service() { return *service_; }

 private:
  std::unique_ptr<IntakeService> service_;  // made by build()
};

}  // namespace praktika::intake
