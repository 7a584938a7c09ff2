// Reminders as a stage module (stage/stage_module.h): the desk's notices and the organisers'
// letters, with what review, certificates and the contest have left, and the participants' letters
// (drafts, payment, speakers' slots, certificates: participants.h) on the alarm. Its wake-ups on
// the alarm also push each event's stage changes on timeline:{event}.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "reminders/participants.h"
#include "reminders/reminders.h"
#include "stage/stage_module.h"

namespace praktika::reminders {

class ReminderModule final : public stage::StageModule {
 public:
  std::string_view name() const override { return "reminders"; }
  std::optional<timeline::AgendaError> check(const timeline::Agenda& agenda) const override;
  void build(const stage::Services& services) override;
  void add_routes(net::Router& router, const stage::Services& services) override;
  Status start() override;

  ReminderService& service() { return *service_; }

 private:
  void add_checks(const stage::Services& services);

  std::unique_ptr<ReminderService> service_;  // made by build()
  std::unique_ptr<ParticipantReminders> participants_;  // made by build(); asks sections and certificates
  std::vector<std::string> events_;  // every loaded event's id
};

}  // namespace praktika::reminders
