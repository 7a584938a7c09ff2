// The uploads (tus) as a stage module (stage/stage_module.h): the files of every stage and their
// routes. Stages that let others read a file add their read grants to service() from their build().
#pragma once

#include <memory>

#include "uploads/uploads.h"
#include "stage/stage_module.h"

namespace praktika::uploads {

class UploadModule final : public stage::StageModule {
 public:
  std::string_view name() const override { return "uploads"; }
  void build(const stage::Services& services) override;
  void add_routes(net::Router& router, const stage::Services& services) override;

  UploadService& service() { return *service_; }

 private:
  std::unique_ptr<UploadService> service_;  // made by build()
};

}  // namespace praktika::uploads
