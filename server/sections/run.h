// The live run of one section as a pure state machine: the run's state, the moderator's actions on
// it, and `apply`, which gives the run after an action or the refusal, plus the speaker timer's
// due events. No SQL, no clock, no publishing: the service loads the run (run_store.h), applies,
// saves and publishes. Any thread; unit-tested alone (tests/unit/sections/run_test.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "sections/sections.h"

namespace praktika::sections {

enum class RunStatus { waiting, running, paused, closed };
std::string_view to_string(RunStatus status);
// Unknown text reads as waiting, as a run never stored does.
RunStatus run_status_from(std::string_view text);

enum class Outcome { presented, absent };
std::string_view to_string(Outcome outcome);

struct Run {
  struct Current {
    std::int64_t practice = 0;
    int seconds = 0;
    TimePoint started_at{};
    TimePoint ends_at{};  // meaningless while paused: `remaining` counts then
  };
  struct Done {
    std::int64_t practice = 0;
    Outcome outcome = Outcome::presented;
    std::optional<TimePoint> started_at;  // empty when marked absent before being called
    TimePoint ended_at{};
  };
  RunStatus status = RunStatus::waiting;
  std::optional<Current> current;
  Millis remaining{0};  // while paused
  std::vector<Slot> queue;
  std::vector<Done> done;
  std::vector<std::string> fired;  // timer events already pushed for the current slot
  std::optional<TimePoint> started_at;
  std::optional<TimePoint> closed_at;
  // One counter per section for every change pushed on its topics (run, floor, timer events), so a
  // client that keeps the highest version it has seen drops nothing. Kept across resets.
  std::int64_t version = 0;
  bool rehearsal = false;  // started before the window opened: an organiser may reset it
};

// The moderator's actions ("section.<name>" ops and POSTs), with their arguments as sent: a
// missing or mistyped argument is empty here and refused by apply() in its turn.
namespace run_action {
struct Start {
  std::optional<std::vector<Slot>> published;  // the section's published order, filled in by the caller
};
struct Next {};
struct Absent {
  std::optional<std::int64_t> practice;  // empty: the current presenter
};
struct Extend {
  std::optional<std::int64_t> seconds;  // negative cuts
};
struct Reorder {
  std::optional<std::vector<std::int64_t>> order;  // empty when not a list of integers
};
struct Pause {};
struct Resume {};
struct Close {};
struct Reset {};
}  // namespace run_action

// A struct rather than an alias so that sections.h can name it without this header.
struct RunAction : std::variant<run_action::Start, run_action::Next, run_action::Absent, run_action::Extend,
                                run_action::Reorder, run_action::Pause, run_action::Resume, run_action::Close,
                                run_action::Reset> {
  using variant::variant;
};

struct Transition {
  Run run;  // the run after the action, with the section's next version
  // A reset: the hands and questions of the rehearsal (raised before the window opens) go with it.
  bool drop_rehearsal_floor = false;
};

// The run after `action` at `now`, or why not: 409 for the wrong state (not_started,
// section_closed, section_paused, already_started, not_paused, queue_empty, no_presenter,
// schedule_not_published, not_rehearsal), 422 for bad arguments (invalid_seconds, invalid_order,
// not_in_queue). Who may act and whether the window is open are checked before (admit, window_allows).
Result<Transition> apply(const Run& run, const RunAction& action, TimePoint now, const Settings& settings);

// A timer event due now, with the version its push takes.
struct DueEvent {
  TimerEvent event;
  std::int64_t version = 0;
};
struct Fired {
  Run run;  // the due events marked fired, each with its own version
  std::vector<DueEvent> due;
};
// The current slot's timer events due at `now` and not pushed yet; none unless running.
Fired fire_due(const Run& run, TimePoint now, const Settings& settings);

// When the ticker should next wake for this run: its first timer event not pushed yet, or never.
std::optional<TimePoint> next_timer(const Run& run, const Settings& settings);

}  // namespace praktika::sections
