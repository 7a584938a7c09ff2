#include "app/stages.h"

#include "announcements/announcements_module.h"
#include "certificates/certificates_module.h"
#include "contest/contest_module.h"
#include "flashmob/flashmob_module.h"
#include "gallery/gallery_module.h"
#include "intake/intake_module.h"
#include "mail/template.h"
#include "privacy/privacy_module.h"
#include "reminders/reminders_module.h"
#include "review/review_module.h"
#include "sections/sections_module.h"
#include "uploads/uploads_module.h"

namespace praktika::app {

std::vector<std::unique_ptr<stage::StageModule>> stages() {
  std::vector<std::unique_ptr<stage::StageModule>> list;
  list.push_back(std::make_unique<intake::IntakeModule>());
  list.push_back(std::make_unique<uploads::UploadModule>());
  list.push_back(std::make_unique<review::ReviewModule>());
  list.push_back(std::make_unique<announcements::AnnouncementModule>());
  list.push_back(std::make_unique<gallery::GalleryModule>());
  list.push_back(std::make_unique<flashmob::FlashmobModule>());
  list.push_back(std::make_unique<sections::SectionModule>());         // asks review
  list.push_back(std::make_unique<certificates::CertificateModule>());  // asks sections
  list.push_back(std::make_unique<contest::ContestModule>());
  list.push_back(std::make_unique<reminders::ReminderModule>());  // asks review, certificates, contest
  list.push_back(std::make_unique<privacy::PrivacyModule>());
  return list;
}

std::optional<timeline::AgendaError> check_agenda(const timeline::Agenda& agenda) {
  auto mail = mail::read_mail_part(agenda);
  if (auto* error = std::get_if<timeline::AgendaError>(&mail)) return *error;
  for (const auto& stage : stages())
    if (auto error = stage->check(agenda)) return error;
  return std::nullopt;
}

}  // namespace praktika::app
