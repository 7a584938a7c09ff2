#include "sections/settings.h"

#include <algorithm>

#include "timeline/agenda_reader.h"

namespace praktika::sections {

using nlohmann::json;

std::variant<Settings, timeline::AgendaError> read_settings(const timeline::Agenda& agenda) {
  namespace reader = timeline::reader;
  Settings s;
  s.sections_session.clear();
  int opens_before = 30;
  std::optional<TimePoint> until, rehearsal_from;
  auto error = reader::read_part(agenda, "section_day", [&](reader::Obj& o) {
    auto session = [&](reader::Obj& so, std::string_view key, std::string fallback, std::string& out) {
      std::string id = so.opt_str(key);
      if (!id.empty()) {
        if (!agenda.find_session(id)) reader::fail(so.at(key), reader::in_quotes(id) + " names no session of /timetable");
        out = id;
      } else if (agenda.find_session(fallback)) {
        out = fallback;
      }
    };
    if (const auto* sessions = o.find("sessions")) {
      reader::Obj so(*sessions, o.at("sessions"));
      session(so, "sections", "sections", s.sections_session);
      session(so, "welcome", "welcome", s.welcome_session);
      session(so, "results", "results", s.results_session);
      so.finish();
    } else {
      if (agenda.find_session("sections")) s.sections_session = "sections";
      if (agenda.find_session("welcome")) s.welcome_session = "welcome";
      if (agenda.find_session("results")) s.results_session = "results";
    }
    if (const auto* slot = o.find("slot_minutes")) {
      reader::Obj so(*slot, o.at("slot_minutes"));
      s.min_slot_minutes = so.opt_int("min", 1, 600).value_or(s.min_slot_minutes);
      s.max_slot_minutes = so.opt_int("max", 1, 600).value_or(s.max_slot_minutes);
      if (s.min_slot_minutes > s.max_slot_minutes) reader::fail(so.at("min"), "must not be above max");
      so.finish();
    }
    s.gap_minutes = o.opt_int("gap_minutes", 0, 120).value_or(s.gap_minutes);
    if (const auto* warn = o.opt_array("warn_before_minutes")) {
      s.warn_before_minutes.clear();
      reader::each(*warn, o.at("warn_before_minutes"), [&](const json& j, const std::string& path) {
        if (!j.is_number_integer() || j.get<std::int64_t>() < 1 || j.get<std::int64_t>() > 600)
          reader::fail(path, "must be an integer between 1 and 600");
        int m = j.get<int>();
        if (std::count(s.warn_before_minutes.begin(), s.warn_before_minutes.end(), m)) reader::fail(path, "repeats");
        s.warn_before_minutes.push_back(m);
      });
      std::sort(s.warn_before_minutes.rbegin(), s.warn_before_minutes.rend());
    }
    s.question_max_chars = o.opt_int("question_max_chars", 10, 100000).value_or(s.question_max_chars);
    if (const auto* w = o.find("window")) {
      reader::Obj wo(*w, o.at("window"));
      opens_before = wo.opt_int("opens_before_minutes", 0, 24 * 60).value_or(opens_before);
      if (wo.find("until")) until = wo.instant("until");
      if (wo.find("rehearsal_from")) rehearsal_from = wo.instant("rehearsal_from");
      wo.finish();
    }
    o.finish();
  });
  if (error) return *error;
  if (!s.sections_session.empty()) {
    const auto* window = agenda.find_session(s.sections_session);
    if (window->ends - window->starts < std::chrono::minutes(s.min_slot_minutes))
      return timeline::AgendaError{agenda.source, "/section_day/slot_minutes/min",
                                   "is longer than the session " + reader::in_quotes(s.sections_session)};
    LiveWindow live;
    live.opens = window->starts - std::chrono::minutes(opens_before);
    // The default end: midnight after the session's end, in the event's own offset.
    const auto offset = std::chrono::minutes(agenda.utc_offset_minutes);
    live.closes = until ? *until
                        : TimePoint(std::chrono::floor<std::chrono::days>(window->ends + offset) + std::chrono::days(1)) -
                              offset;
    if (live.closes < window->ends)
      return timeline::AgendaError{agenda.source, "/section_day/window/until",
                                   "is before the end of the session " + reader::in_quotes(s.sections_session)};
    if (rehearsal_from && *rehearsal_from >= live.opens)
      return timeline::AgendaError{agenda.source, "/section_day/window/rehearsal_from",
                                   "must be before the window opens (the session's start less opens_before_minutes)"};
    live.rehearsal_from = rehearsal_from;
    s.window = live;
  }
  return s;
}

Status window_allows(const LiveWindow& window, TimePoint now, bool organiser, std::string_view action,
                     int utc_offset_minutes) {
  if (action == "close" || action == "reset") return Status::ok();
  // "08.07.2020 в 09:30" in the event's time.
  auto when = [&](TimePoint t) {
    std::string iso = format_instant(t, utc_offset_minutes);
    return iso.substr(8, 2) + "." + iso.substr(5, 2) + "." + iso.substr(0, 4) + " в " + iso.substr(11, 5);
  };
  if (now >= window.closes)
    return Status::conflict("section_day_over", "Работа секций завершилась " + when(window.closes) + ".");
  if (now >= window.opens) return Status::ok();
  if (organiser && window.rehearsal_from && now >= *window.rehearsal_from) return Status::ok();
  return Status::conflict("section_not_open_yet", "Секции открываются " + when(window.opens) + ".");
}

std::vector<Slot> draft_slots(const std::vector<std::int64_t>& practices, Millis window, const Settings& settings) {
  std::vector<Slot> out;
  if (practices.empty()) return out;
  auto n = static_cast<std::int64_t>(practices.size());
  std::int64_t usable = std::chrono::duration_cast<std::chrono::minutes>(window).count() - (n - 1) * settings.gap_minutes;
  std::int64_t minutes = std::clamp<std::int64_t>(usable / n, settings.min_slot_minutes, settings.max_slot_minutes);
  for (auto id : practices) out.push_back({id, static_cast<int>(minutes * 60)});
  return out;
}

std::vector<TimerEvent> timer_events(TimePoint started_at, TimePoint ends_at, const Settings& settings) {
  std::vector<TimerEvent> out;
  for (int m : settings.warn_before_minutes) {
    TimePoint at = ends_at - std::chrono::minutes(m);
    // A warning that would come before the slot began says nothing the presenter can use.
    if (at > started_at) out.push_back({"warning:" + std::to_string(m), m, at});
  }
  out.push_back({"time_up", 0, ends_at});
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.at < b.at; });
  return out;
}

}  // namespace praktika::sections
