// The organisers' announcements as a stage module (stage/stage_module.h).
#pragma once

#include <memory>

#include "announcements/announcements.h"
#include "stage/stage_module.h"

namespace praktika::announcements {

class AnnouncementModule final : public stage::StageModule {
 public:
  std::string_view name() const override { return "announcements"; }
  void build(const stage::Services& services) override;
  void add_routes(net::Router& router, const stage::Services& services) override;

  AnnouncementService& service() { return *service_; }

 private:
  std::unique_ptr<AnnouncementService> service_;  // made by build()
};

}  // namespace praktika::announcements
