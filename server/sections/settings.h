// The section day's settings (the agenda's "section_day" part), its window, the automatic draft
// of a running order and the speaker timer's events: pure functions, any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "timeline/agenda.h"

namespace praktika::sections {

// When sections may run: from `opens` (the sections session's start less the agenda's
// window.opens_before_minutes) until `closes` (window.until, by default the end of that session's
// day in the event's offset). With window.rehearsal_from, organisers may also run them earlier: a
// rehearsal, which an organiser resets before the real start.
struct LiveWindow {
  TimePoint opens;
  TimePoint closes;
  std::optional<TimePoint> rehearsal_from;
};

// The agenda's "section_day" part; defaults apply to absent keys.
struct Settings {
  std::string sections_session = "sections";  // timetable session: the window the running orders fill
  std::string welcome_session;                // timetable session ids, empty when the timetable has none
  std::string results_session;
  int min_slot_minutes = 10;
  int max_slot_minutes = 20;
  int gap_minutes = 2;
  std::vector<int> warn_before_minutes{5, 1};  // descending
  int question_max_chars = 1000;
  std::optional<LiveWindow> window;  // absent only when the timetable has no sections session
};

// Reads and checks the part strictly (JSON paths in errors, like the agenda loader).
std::variant<Settings, timeline::AgendaError> read_settings(const timeline::Agenda& agenda);

// Whether `action` (an act() name) may happen at `now`: 409 section_not_open_yet before the window
// (unless an organiser rehearses), 409 section_day_over after it. Closing a section and resetting a
// rehearsal are always allowed, so nothing stays stuck outside the window.
Status window_allows(const LiveWindow& window, TimePoint now, bool organiser, std::string_view action,
                     int utc_offset_minutes);

struct Slot {
  std::int64_t practice = 0;
  int seconds = 0;
  friend bool operator==(const Slot&, const Slot&) = default;
};

// The automatic draft: every practice in the given order, slots of equal whole minutes sized so
// that slots and gaps fill `window`, clamped to the settings' bounds (a window too short for the
// minimum still gets minimum slots; the schedule then reports that it does not fit).
std::vector<Slot> draft_slots(const std::vector<std::int64_t>& practices, Millis window, const Settings& settings);

// Timer events due for a slot: warnings before the end and "time_up" at it.
struct TimerEvent {
  std::string key;  // "warning:5", "time_up"
  int minutes_left = 0;
  TimePoint at;
};
std::vector<TimerEvent> timer_events(TimePoint started_at, TimePoint ends_at, const Settings& settings);

}  // namespace praktika::sections
