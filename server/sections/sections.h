// The section day (8 July): running orders drafted from the practices admitted to present, the
// live state of each section as its moderators run it (speaker timer, hands, questions),
// attendance from the section topics, and the published results. Owns the tables of
// store/migrations/010_sections.sql. Thread-safe: state lives in SQLite; live changes are
// serialised by live_mutex_ so their pushes leave in commit order. Every method blocks briefly on
// SQLite (one short transaction): worker threads, connection strands and the ticker may call it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "accounts/accounts.h"
#include "common/status.h"
#include "sections/floor.h"
#include "sections/run.h"
#include "sections/settings.h"
#include "timeline/agenda.h"
#include "timeline/clock.h"
#include "timeline/timeline.h"

namespace praktika::store {
class Db;
class Tx;
}  // namespace praktika::store

namespace praktika::sections {

struct EventRef {
  const timeline::Agenda* agenda = nullptr;
  const timeline::Timeline* timeline = nullptr;
  Settings settings;
};

// Pushes an event to a hub topic (the service never sees the hub itself).
using Publish = std::function<void(const std::string& topic, std::string_view event, const nlohmann::json& data)>;
// Asks the ticker to call on_timer(event, section) at `at` (replacing any earlier request for
// that section), or cancels when `at` is empty. Must not block.
using Arm = std::function<void(const std::string& event, int section, std::optional<TimePoint> at)>;

// Topics: "section:{event}:{n}" (public state, warnings, time_up), "section-moderation:{event}:{n}"
// (pending questions, moderators only), "author:{event}:{user}" (slot notices), "results:{event}".
std::string section_topic(std::string_view event, int section);
std::string moderation_topic(std::string_view event, int section);
std::string author_topic(std::string_view event, std::int64_t user);
std::string results_topic(std::string_view event);

class SectionService {
 public:
  SectionService(store::Db& db, const timeline::Clock& clock, std::map<std::string, EventRef, std::less<>> events,
                 Publish publish);

  // Before start(): where timer requests go.
  void set_arm(Arm arm) { arm_ = std::move(arm); }
  // Closes attendance left open by a stopped process and re-arms the timers of running sections.
  Status start();

  // --- Schedules -------------------------------------------------------------------------------
  // Anyone: the sections with their rooms and published running orders, the welcome and results rooms.
  Result<nlohmann::json> overview(std::string_view event);
  // Anyone sees the published order; the organiser also the draft and the unscheduled presenters.
  Result<nlohmann::json> schedule(const accounts::Identity* who, std::string_view event, int section);
  // Organiser: a fresh automatic draft of every admitted presenter of the section.
  Result<nlohmann::json> make_draft(const accounts::Identity& who, std::string_view event, int section);
  // Organiser: the draft edited by hand: `slots` [{"practice", "minutes" or "seconds"}] in order.
  Result<nlohmann::json> edit_draft(const accounts::Identity& who, std::string_view event, int section,
                                    const nlohmann::json& slots);
  // Organiser: the draft becomes the published order; authors whose slot is new or moved get a notice.
  Result<nlohmann::json> publish_schedule(const accounts::Identity& who, std::string_view event, int section);
  // Signed in: the caller's slots (owner or co-author) and notices.
  Result<nlohmann::json> my_slots(const accounts::Identity& who, std::string_view event);

  // --- Live ------------------------------------------------------------------------------------
  // The public state of a section, the same JSON as pushed on its topic as "state".
  Result<nlohmann::json> state(std::string_view event, int section);
  // Moderators only: pending questions and the raised hands.
  Result<nlohmann::json> moderation(const accounts::Identity* who, std::string_view event, int section);
  // One action, from a WebSocket op ("section.next" → "next") or an HTTP POST. Moderator actions:
  // start, next, extend {seconds}, absent {practice?}, reorder {order}, pause, resume, close,
  // floor {hand?}, floor_done, approve/answer/dismiss {question}; reset (organisers, a rehearsal only). Anyone signed in: hand, lower,
  // ask {text}, vote {question} (approved ones only). Every change takes the section's next version.
  // Replies with the new public state (or the question/hand made).
  Result<nlohmann::json> act(const accounts::Identity* who, std::string_view event, int section,
                             std::string_view action, const nlohmann::json& args);
  bool is_moderator(const accounts::Identity* who, std::string_view event, int section) const;
  // The ticker's call at an armed instant: publishes what is due and arms the next.
  void on_timer(const std::string& event, int section);

  // A presenter's file for the audience: its path on disk and name, if the upload belongs to a
  // practice in this section's published order.
  struct Material {
    std::string id;
    std::string file_name;
  };
  Result<Material> material(std::string_view event, int section, std::string_view upload);

  // --- Attendance ------------------------------------------------------------------------------
  void joined(const accounts::Identity& who, std::string_view event, int section, std::string_view connection);
  void left(std::string_view event, int section, std::string_view connection);
  // Organiser: per section (all, or the one given) and user, the merged time subscribed inside the
  // sections' window.
  Result<nlohmann::json> attendance(const accounts::Identity& who, std::string_view event,
                                    std::optional<int> section = std::nullopt);

  // --- Results ---------------------------------------------------------------------------------
  Result<nlohmann::json> results(std::string_view event);  // {"results": {…} or null}
  // Organiser, from the results session's start: {"text", "sections":[{"section","best":[ids],"note"}]}.
  Result<nlohmann::json> publish_results(const accounts::Identity& who, std::string_view event,
                                         const nlohmann::json& body);

 private:
  Result<const EventRef*> find(std::string_view event, std::optional<int> section) const;
  // Load, apply (run.h, floor.h), save, publish; the caller has admitted the action.
  Result<nlohmann::json> change_run(const EventRef& ref, std::string_view event, int section, const RunAction& action);
  Result<nlohmann::json> change_floor(const accounts::Identity& who, const EventRef& ref, std::string_view event,
                                      int section, const FloorAction& action);
  void arm_for(const EventRef& ref, const std::string& event, int section, const Run& run);
  // window_allows() for the caller at the clock's now.
  Status open_now(const accounts::Identity* who, const EventRef& ref, std::string_view event,
                  std::string_view action) const;

  // Constant after construction.
  store::Db& db_;
  const timeline::Clock& clock_;
  const std::map<std::string, EventRef, std::less<>> events_;
  const Publish publish_;
  Arm arm_;  // set once before start()

  // Held across a live change's transaction and its pushes, so subscribers see changes in commit order.
  std::mutex live_mutex_;
};

}  // namespace praktika::sections
