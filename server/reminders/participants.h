// The participants' reminders (issue 21, item 2): letters through the outbox, from the agenda's
// templates, each at most once per person and occasion (the outbox key
// "reminder:{kind}:{event}:…:{person}…"), across restarts and instances too. Who is due is asked of
// the modules that own the facts: the intake's catalogue (drafts, practices without a payment
// document), the sections' published running orders, the certificates made. The organiser
// switches a kind off per event (reminder_switches, 023); a kind switched off sends nothing,
// and a letter whose window passed meanwhile is not sent late.
// Thread-safe after construction (state lives in the store); every call blocks on SQLite:
// worker threads only.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounts/accounts.h"
#include "certificates/certificates.h"
#include "common/status.h"
#include "intake/intake.h"
#include "reminders/settings.h"
#include "sections/sections.h"
#include "timeline/clock.h"

namespace praktika::store {
class Db;
}

namespace praktika::reminders {

// What the organiser's page shows of one kind.
struct KindSchedule {
  Kind kind = Kind::draft;
  std::string title;
  std::string description;
  bool enabled = true;
  std::optional<TimePoint> next_at;  // the next letter's moment (now when letters wait: a kind switched off)
  std::int64_t people = 0;           // how many people get a letter then
  std::int64_t sent = 0;             // letters of this kind queued so far
  std::vector<int> hours_before;
};

class ParticipantReminders {
 public:
  struct Sources {
    // sections::SectionService::speaker_slots
    std::function<Result<std::vector<sections::SpeakerSlot>>(std::string_view event)> speaker_slots;
    // sections::SectionService::letter_requirements for a practice admitted to present (Appendix 2)
    std::function<std::string(std::string_view event)> presenter_requirements;
    // certificates::CertificateService::issued
    std::function<Result<std::vector<certificates::CertificateService::Issued>>(std::string_view event)> certificates;
  };

  // Events whose agenda has no "reminders" part get none. main checked every agenda's part.
  ParticipantReminders(store::Db& db, const timeline::Clock& clock, std::vector<intake::EventView> events,
                       Sources sources, std::function<void()> mail_queued);

  std::vector<std::string> event_ids() const;

  // Queues every letter due now of the event's kinds that are switched on; how many were queued.
  Result<int> send_due(std::string_view event);
  // The earliest moment after now at which a letter of a kind switched on falls due (the alarm
  // wakes there); certificates are sent when a job ends, so they have none.
  Result<std::optional<TimePoint>> next_due(std::string_view event);

  // The organiser's page: each kind of the event with its next moment and how many people.
  Result<std::vector<KindSchedule>> schedule(std::string_view event);
  // The organiser's switch; 404 reminder_kind_not_found for a kind the event does not have.
  Status set_enabled(const accounts::Identity& who, std::string_view event, std::string_view kind, bool enabled);

  const timeline::Agenda* agenda(std::string_view event) const;

  // While the server is built: told (on the worker, after the commit) that a kind of the event
  // was switched, so its wake-up is set again and what became due is sent.
  void set_switch_listener(std::function<void(const std::string& event)> listener) {
    switched_ = std::move(listener);
  }

 private:
  struct Planned;
  struct EventRef {
    intake::EventView view;
    Settings settings;
  };
  const EventRef* find(std::string_view event) const;
  Result<std::vector<Planned>> planned(const EventRef& ref, const KindSettings& kind);
  // Parts of planned(), one per kind of reminder.
  struct Letters;
  Status plan_unfinished(Letters& letters, const KindSettings& kind);
  Status plan_speakers(Letters& letters, const KindSettings& kind);
  Status plan_certificates(Letters& letters, const EventRef& ref);
  Result<std::map<Kind, bool>> switches(std::string_view event);

  // Constant after construction.
  store::Db& db_;
  const timeline::Clock& clock_;
  std::map<std::string, EventRef, std::less<>> events_;
  const Sources sources_;
  const std::function<void()> mail_queued_;
  std::function<void(const std::string&)> switched_;  // set once while the server is built
};

}  // namespace praktika::reminders
