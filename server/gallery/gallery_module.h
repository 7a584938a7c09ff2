// The gallery as a stage module (stage/stage_module.h): admitted practices, their
// discussion and viewers; its readers fetch the practices' materials through the uploads.
#pragma once

#include <memory>

#include "gallery/gallery.h"
#include "stage/stage_module.h"

namespace praktika::gallery {

class GalleryModule final : public stage::StageModule {
 public:
  std::string_view name() const override { return "gallery"; }
  std::optional<timeline::AgendaError> check(const timeline::Agenda& agenda) const override;
  void build(const stage::Services& services) override;
  void add_routes(net::Router& router, const stage::Services& services) override;
  void add_live(live::Registry& registry) override;

  GalleryService& service() { return *service_; }

 private:
  std::unique_ptr<GalleryService> service_;  // made by build()
};

}  // namespace praktika::gallery
