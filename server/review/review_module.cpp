#include "review/review_module.h"

#include "review/review_api.h"
#include "intake/intake_module.h"
#include "uploads/uploads_module.h"

namespace praktika::review {

std::optional<timeline::AgendaError> ReviewModule::check(const timeline::Agenda& agenda) const {
  auto part = read_review_part(agenda);
  if (auto* error = std::get_if<timeline::AgendaError>(&part)) return *error;
  return std::nullopt;
}

void ReviewModule::build(const stage::Services& services) {
  service_ = std::make_unique<ReviewService>(services.db, services.clock, services.events.finder(),
                                             services.stage<intake::IntakeModule>().service(),
                                             services.letters_queued);
  // Experts read the materials of the practices assigned to them.
  services.stage<uploads::UploadModule>().service().add_read_grant(
      [this](const accounts::Identity* who, const uploads::Upload& upload) {
        return service_->may_read_upload(who, upload.event_id, upload.owner_id, upload.purpose, upload.practice_id);
      });
}

void ReviewModule::add_routes(net::Router& router, const stage::Services& services) {
  review::add_routes(router, *service_, services.accounts, services.outbox);
}

}  // namespace praktika::review
