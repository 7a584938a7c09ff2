#include "intake/intake_module.h"

#include "intake/intake_api.h"
#include "intake/wire.h"
#include "uploads/uploads_module.h"

namespace praktika::intake {

void IntakeModule::build(const stage::Services& services) {
  service_ = std::make_unique<IntakeService>(services.db, services.clock, services.events.finder(),
                                             services.data_dir / "files");
}

void IntakeModule::add_routes(net::Router& router, const stage::Services& services) {
  auto& uploads = services.stage<uploads::UploadModule>().service();
  // One byte over the largest allowed file still reaches the check, which names the limit.
  intake::add_routes(router, *service_, services.accounts, uploads.max_length() + 1);
  // The practice document's formatting (clause 6.5) is read as soon as its last byte is in, so the
  // author sees the findings beside the upload without sending the file twice.
  uploads.add_inspector("document", "formatting", [this](const uploads::Upload& u, const std::filesystem::path& file) {
    auto checked = service_->check_document(u.event_id, file, u.file_name);
    if (checked) return to_json(*checked);
    return nlohmann::json{{"ok", false},
                          {"findings", nlohmann::json::array()},
                          {"error", {{"code", checked.status().code()}, {"message", checked.status().message()}}}};
  });
}

}  // namespace praktika::intake
