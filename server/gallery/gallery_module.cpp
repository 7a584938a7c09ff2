#include "gallery/gallery_module.h"

#include "gallery/gallery_api.h"
#include "intake/intake_module.h"
#include "uploads/uploads_module.h"

namespace praktika::gallery {

std::optional<timeline::AgendaError> GalleryModule::check(const timeline::Agenda& agenda) const {
  return check_agenda(agenda);
}

void GalleryModule::build(const stage::Services& services) {
  auto& uploads = services.stage<uploads::UploadModule>().service();
  service_ = std::make_unique<GalleryService>(services.db, services.clock, services.events.finder(),
                                              services.stage<intake::IntakeModule>().service(), uploads.files_dir());
  // Gallery readers fetch the materials of admitted practices through the uploads' file route.
  uploads.add_read_grant([this](const accounts::Identity* who, const uploads::Upload& upload) {
    return service_->may_read_upload(who, upload.event_id, upload.owner_id, upload.purpose, upload.practice_id);
  });
}

void GalleryModule::add_routes(net::Router& router, const stage::Services& services) {
  gallery::add_routes(router, *service_, services.accounts, services.publisher, services.presence);
}

void GalleryModule::add_live(live::Registry& registry) { gallery::add_live(registry, *service_); }

}  // namespace praktika::gallery
