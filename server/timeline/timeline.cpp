#include "timeline/timeline.h"

#include <algorithm>

namespace praktika::timeline {

std::string_view to_string(StageState state) {
  switch (state) {
    case StageState::upcoming: return "upcoming";
    case StageState::open: return "open";
    case StageState::closed: return "closed";
  }
  return "closed";
}

Timeline::Timeline(const Agenda& agenda)
    : event_id_(agenda.id), utc_offset_minutes_(agenda.utc_offset_minutes), milestones_(agenda.milestones) {
  for (const auto& s : agenda.stages) windows_.push_back({s.id, s.title, s.opens, s.closes});
  std::stable_sort(windows_.begin(), windows_.end(), [](const Window& a, const Window& b) { return a.opens < b.opens; });
}

const Timeline::Window* Timeline::find(std::string_view stage) const {
  for (const auto& w : windows_)
    if (w.id == stage) return &w;
  return nullptr;
}

std::vector<std::string> Timeline::stage_ids() const {
  std::vector<std::string> out;
  for (const auto& w : windows_) out.push_back(w.id);
  return out;
}

StageState Timeline::state_at(std::string_view stage, TimePoint t) const {
  const Window* w = find(stage);
  if (!w || t >= w->closes) return StageState::closed;
  return t < w->opens ? StageState::upcoming : StageState::open;
}

bool Timeline::is_open(std::string_view stage, TimePoint t) const { return state_at(stage, t) == StageState::open; }

std::vector<std::string> Timeline::open_at(TimePoint t) const {
  std::vector<std::string> out;
  for (const auto& w : windows_)
    if (w.opens <= t && t < w.closes) out.push_back(w.id);
  return out;
}

std::optional<TimePoint> Timeline::opens_at(std::string_view stage) const {
  const Window* w = find(stage);
  return w ? std::optional(w->opens) : std::nullopt;
}

std::optional<TimePoint> Timeline::closes_at(std::string_view stage) const {
  const Window* w = find(stage);
  return w ? std::optional(w->closes) : std::nullopt;
}

std::optional<TimePoint> Timeline::milestone_at(std::string_view milestone) const {
  for (const auto& m : milestones_)
    if (m.id == milestone) return m.at;
  return std::nullopt;
}

bool Timeline::reached(std::string_view milestone, TimePoint t) const {
  auto at = milestone_at(milestone);
  return at && t >= *at;
}

std::optional<TimePoint> Timeline::next_boundary_after(TimePoint t) const {
  std::optional<TimePoint> best;
  for (const auto& w : windows_)
    for (TimePoint b : {w.opens, w.closes})
      if (b > t && (!best || b < *best)) best = b;
  return best;
}

std::vector<Timeline::Change> Timeline::changes_in(TimePoint after, TimePoint upto) const {
  std::vector<Change> out;
  for (const auto& w : windows_) {
    if (after < w.opens && w.opens <= upto) out.push_back({w.id, true, w.opens});
    if (after < w.closes && w.closes <= upto) out.push_back({w.id, false, w.closes});
  }
  // Closings first at one instant: a subscriber never sees two stages open that never overlap.
  std::stable_sort(out.begin(), out.end(), [](const Change& a, const Change& b) {
    if (a.at != b.at) return a.at < b.at;
    return !a.opened && b.opened;
  });
  return out;
}

nlohmann::json Timeline::to_json(TimePoint now) const {
  nlohmann::json stages = nlohmann::json::array();
  nlohmann::json open = nlohmann::json::array();
  for (const auto& w : windows_) {
    StageState state = now < w.opens ? StageState::upcoming : now < w.closes ? StageState::open : StageState::closed;
    if (state == StageState::open) open.push_back(w.id);
    stages.push_back({{"id", w.id},
                      {"title", w.title},
                      {"opens", format(w.opens)},
                      {"closes", format(w.closes)},
                      {"state", to_string(state)}});
  }
  return {{"now", format(now)}, {"open", std::move(open)}, {"stages", std::move(stages)}};
}

namespace {

std::vector<std::string> accepting_stages(const FilePurpose& purpose) {
  return purpose.accepted_during.empty() ? std::vector<std::string>{"intake"} : purpose.accepted_during;
}

}  // namespace

bool Timeline::accepts_files(const FilePurpose& purpose, TimePoint t) const {
  std::optional<TimePoint> first_open;
  for (const auto& stage : accepting_stages(purpose)) {
    if (is_open(stage, t)) return true;
    auto opens = opens_at(stage);
    if (opens && (!first_open || *opens < *first_open)) first_open = opens;
  }
  return purpose.accepted_until && first_open && *first_open <= t && t < *purpose.accepted_until;
}

std::optional<TimePoint> Timeline::files_close_at(const FilePurpose& purpose) const {
  std::optional<TimePoint> last = purpose.accepted_until;
  for (const auto& stage : accepting_stages(purpose)) {
    auto closes = closes_at(stage);
    if (closes && (!last || *closes > *last)) last = closes;
  }
  return last;
}

}  // namespace praktika::timeline
