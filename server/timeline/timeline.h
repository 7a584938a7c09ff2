// The stage windows and milestones of one event, and the only place that compares instants with
// them: every deadline rule asks the Timeline. Built from an Agenda (it copies what it needs) and
// immutable afterwards, so any thread may query it; "now" always comes from the caller (the Clock).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/time.h"
#include "timeline/agenda.h"

namespace praktika::timeline {

enum class StageState { upcoming, open, closed };
std::string_view to_string(StageState state);

class Timeline {
 public:
  explicit Timeline(const Agenda& agenda);

  const std::string& event_id() const { return event_id_; }
  int utc_offset_minutes() const { return utc_offset_minutes_; }
  // Stage ids in opening order (agenda order among equal openings).
  std::vector<std::string> stage_ids() const;

  // A stage is open when opens <= t < closes. An unknown stage is never open.
  StageState state_at(std::string_view stage, TimePoint t) const;
  bool is_open(std::string_view stage, TimePoint t) const;
  std::vector<std::string> open_at(TimePoint t) const;  // in opening order; stages may overlap
  std::optional<TimePoint> opens_at(std::string_view stage) const;
  std::optional<TimePoint> closes_at(std::string_view stage) const;

  // Whether a new file of `purpose` is taken at t: one of its accepting stages (the intake when it
  // names none) is open, or t is past the first of them opening and before its accepted_until.
  bool accepts_files(const FilePurpose& purpose, TimePoint t) const;
  // The last instant new files of `purpose` are taken: the latest close of its stages, or its
  // accepted_until when later. Empty when none of its stages exists.
  std::optional<TimePoint> files_close_at(const FilePurpose& purpose) const;

  // Milestones ("decision_notice_by", "flashmob_feed_starts"): reached when t >= at.
  std::optional<TimePoint> milestone_at(std::string_view milestone) const;
  bool reached(std::string_view milestone, TimePoint t) const;  // false for an unknown milestone

  // The first stage opening or closing strictly after t.
  std::optional<TimePoint> next_boundary_after(TimePoint t) const;

  struct Change {
    std::string stage;
    bool opened;  // false: closed
    TimePoint at;
  };
  // Boundaries b with after < b <= upto, in time order; at one instant closings come before openings.
  std::vector<Change> changes_in(TimePoint after, TimePoint upto) const;

  // {"now", "open": [ids], "stages": [{"id","title","opens","closes","state"}]}, instants in the event's offset.
  nlohmann::json to_json(TimePoint now) const;
  std::string format(TimePoint t) const { return format_instant(t, utc_offset_minutes_); }

 private:
  struct Window {
    std::string id;
    std::string title;
    TimePoint opens;
    TimePoint closes;
  };
  const Window* find(std::string_view stage) const;

  // Constant after construction.
  std::string event_id_;
  int utc_offset_minutes_;
  std::vector<Window> windows_;  // sorted by opens, stable
  std::vector<Milestone> milestones_;
};

}  // namespace praktika::timeline
