#include "reminders/participants_alarm.h"

#include <atomic>
#include <cstdio>

#include <boost/asio/post.hpp>

#include "log/log.h"

namespace praktika::reminders {
namespace {

struct Wiring : std::enable_shared_from_this<Wiring> {
  Wiring(live::Alarm& alarm, boost::asio::thread_pool& workers, ParticipantReminders& service)
      : alarm(alarm), workers(workers), service(service) {}

  // Constant after construction.
  live::Alarm& alarm;
  boost::asio::thread_pool& workers;
  ParticipantReminders& service;

  // Only on the alarm's strand.
  int refreshes = 0;

  // Any thread: sends what is due now and sets the event's wake-up again, on a worker.
  void poke(const std::string& event) {
    boost::asio::post(workers, [self = shared_from_this(), event] { self->run(event); });
  }

  // On a worker.
  void run(const std::string& event) {
    if (auto sent = service.send_due(event); !sent)
      log::warn("reminders.failed").str("event", event).str("error", sent.status().code());
    auto next = service.next_due(event);
    if (!next) {
      log::warn("reminders.failed").str("event", event).str("error", next.status().code());
      return;
    }
    alarm.set("reminders:" + event, *next, [self = shared_from_this(), event] { self->poke(event); });
  }
};

}  // namespace

std::unique_ptr<ParticipantReminders> wire_participants(store::Db& db, const timeline::Clock& clock,
                                                        std::vector<intake::EventView> events, live::Alarm& alarm,
                                                        boost::asio::thread_pool& workers,
                                                        sections::SectionService& sections,
                                                        certificates::CertificateService& certificates,
                                                        std::function<void()> mail_queued) {
  ParticipantReminders::Sources sources;
  sources.speaker_slots = [&sections](std::string_view event) { return sections.speaker_slots(event); };
  sources.presenter_requirements = [&sections](std::string_view event) {
    return sections.letter_requirements(event, {"present"});
  };
  sources.certificates = [&certificates](std::string_view event) { return certificates.issued(event); };
  auto service = std::make_unique<ParticipantReminders>(db, clock, std::move(events), std::move(sources),
                                                        std::move(mail_queued));
  auto wiring = std::make_shared<Wiring>(alarm, workers, *service);
  sections.set_schedule_listener([wiring](const std::string& event) { wiring->poke(event); });
  certificates.set_job_listener([wiring](const std::string& event) { wiring->poke(event); });
  service->set_switch_listener([wiring](const std::string& event) { wiring->poke(event); });
  alarm.add_source([wiring](bool taken) {
    if (!taken && ++wiring->refreshes % 10 != 0) return;
    for (const auto& id : wiring->service.event_ids()) wiring->poke(id);
  });
  // Due as soon as the alarm starts: a letter whose moment came while the server was down.
  for (const auto& id : service->event_ids())
    alarm.set("reminders:" + id, clock.now(), [wiring, id] { wiring->poke(id); });
  return service;
}

}  // namespace praktika::reminders
