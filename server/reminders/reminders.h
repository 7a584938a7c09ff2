// Milestone reminders: from `warn_days_before` days before a milestone of the agenda, the
// organiser's desk shows what is still to do for it and the event's organisers get one letter
// through the outbox (key "reminder:{event}:{milestone}", so never twice, across restarts too).
// What is left is asked of the module that owns the work (review: practices without a decision,
// certificates: not issued, contest: documents not sent by post) through the checks registered at
// start-up. Thread-safe after construction; every call blocks on SQLite: worker threads only.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "intake/intake.h"
#include "timeline/clock.h"
#include "timeline/event.h"

namespace praktika::store {
class Db;
}

namespace praktika::reminders {

// What is left before a milestone, for a person: count 3, text «без решения: 3».
struct Left {
  std::int64_t count = 0;
  std::string text;  // Russian; empty when count is 0
};
using Check = std::function<Result<Left>(std::string_view event_id)>;

struct Warning {
  std::string milestone;
  std::string title;  // the milestone's
  TimePoint at{};
  TimePoint warn_from{};
  std::string deadline_text;  // «до 6 июля 2020 г.»
  int utc_offset_minutes = 0;  // the event's: instants are written in it
  bool passed = false;         // the milestone is behind us and the work is still left
  std::vector<Left> left;     // one per check with something left
};

class ReminderService {
 public:
  // The e-mail addresses of the event's organisers.
  using Organisers = std::function<Result<std::vector<std::string>>(std::string_view event_id)>;

  // `mail_queued` is called after a letter was committed to the outbox.
  ReminderService(store::Db& db, const timeline::Clock& clock, std::vector<timeline::EventView> events,
                  Organisers organisers, std::function<void()> mail_queued);

  // While the server is built, before any other call: `check` tells what is left before
  // `milestone` in an event (it answers 0 for an event where it has nothing to do).
  void add_check(std::string milestone, Check check);

  // The instants at which a warning window of the event opens: its ticker wakes there.
  std::vector<TimePoint> warn_instants(std::string_view event_id) const;

  // The desk: every milestone with a check whose window has opened and with work left, by instant.
  Result<std::vector<Warning>> warnings(std::string_view event_id);

  // One letter to the organisers for each milestone whose window is open now (before the
  // milestone) with work left; a letter already queued is not queued again. How many were queued.
  Result<int> send_due(std::string_view event_id);

 private:
  const timeline::EventView* find(std::string_view event_id) const;

  // Constant after construction (add_check only while the server is built).
  store::Db& db_;
  const timeline::Clock& clock_;
  std::vector<timeline::EventView> events_;
  Organisers organisers_;
  std::function<void()> mail_queued_;
  std::multimap<std::string, Check, std::less<>> checks_;
};

}  // namespace praktika::reminders
