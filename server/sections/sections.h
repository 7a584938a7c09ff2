// The section day (8 July): running orders drafted from the practices admitted to present, the
// live state of each section as its moderators run it (speaker timer, hands, questions),
// attendance from the section topics, and the published results. Owns the tables of
// store/migrations/010_sections.sql. Thread-safe: state lives in SQLite; live changes are
// serialised by live_mutex_ so their pushes leave in commit order. Every method blocks briefly on
// SQLite (one short transaction): worker threads, connection strands and the alarm may call it.
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
#include "live/publisher.h"
#include "sections/types.h"
#include "timeline/agenda.h"
#include "timeline/clock.h"
#include "timeline/event.h"
#include "timeline/timeline.h"

namespace praktika::store {
class Db;
class Tx;
}  // namespace praktika::store

namespace praktika::sections {

struct Run;  // the live state of one section (run.h)
struct RunAction;
struct FloorAction;

// When sections may run: from `opens` (the sections session's start less the agenda's
// window.opens_before_minutes) until `closes` (window.until, by default the end of that session's
// day in the event's offset). With window.rehearsal_from, organisers may also run them earlier: a
// rehearsal, which an organiser resets before the real start.
struct LiveWindow {
  TimePoint opens;
  TimePoint closes;
  std::optional<TimePoint> rehearsal_from;
};

// What a presenter needs at home (Appendix 2 of the conference's rules): shown on the presenter's
// slot page beside the pre-flight check, and in the admission letter. `items` may name
// {min_mbps}, the bandwidth the check measures against.
struct PresenterRequirements {
  // The sentence that tells a presenter when the sections run, {date}, {starts} and {ends} filled
  // from the sections session of the timetable («8 июля 2020 г.», «10:00», «12:00»); empty: none.
  std::string when;
  std::string title;
  std::vector<std::string> items;
  int min_mbps = 0;
};

// The requirements as plain text for a letter: the title, then one "— item" line each.
std::string requirements_text(const PresenterRequirements& requirements);

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
  // section_day.questions: whether a section's questions wait for a moderator until its moderator
  // switches that (default yes), and after how many flags a shown question is hidden until a
  // moderator decides (0: never, the moderator always decides).
  bool questions_premoderated = true;
  int hide_after_flags = 0;
  std::optional<LiveWindow> window;  // absent only when the timetable has no sections session
  std::optional<PresenterRequirements> presenter_requirements;  // absent: nothing is shown
};

// Reads and checks the part strictly (JSON paths in errors, like the agenda loader).
std::variant<Settings, timeline::AgendaError> read_settings(const timeline::Agenda& agenda);

// What the admission letter of a practice admitted to present adds: when the sections run (the
// requirements' `when`, from the sections session) and the requirements; empty without them.
std::string presenter_letter_block(const timeline::Agenda& agenda, const Settings& settings);

// Whether `action` (an act() name) may happen at `now`: 409 section_not_open_yet before the window
// (unless an organiser rehearses), 409 section_day_over after it. Closing a section and resetting a
// rehearsal are always allowed, so nothing stays stuck outside the window; so are switching pre-approval
// of questions and hiding one.
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

// The event as every module sees it, with the section day's settings read from its agenda.
struct EventRef : timeline::EventView {
  Settings settings;
};

// A slot of a published running order and who presents in it (for the speakers' reminders).
struct SpeakerSlot {
  struct Speaker {
    std::int64_t user_id = 0;
    std::string full_name;
    std::string email;
  };
  int section = 0;
  std::string section_title;
  std::string room_url;  // the section's room, from the agenda
  std::int64_t practice = 0;
  std::string title;  // the practice's
  TimePoint starts{};
  TimePoint ends{};
  std::vector<Speaker> speakers;  // the owner first, then registered co-authors
};

// A person's calendar subscription: the address holding its secret, empty when there is none.
struct CalendarFeed {
  std::optional<std::string> url;
};

// Every name act() takes, as a WebSocket op "section.<name>" or POST …/actions/<name> gives it.
std::vector<std::string_view> action_names();

// Asks the alarm to call on_timer(event, section) at `at` (replacing any earlier request for
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
                 live::Publisher& publisher);

  // For the admission letter: the presenter requirements as text when one of `outcomes` (the
  // letter's decisions) admits a practice to present and the agenda lists requirements, else "".
  std::string letter_requirements(std::string_view event, const std::vector<std::string>& outcomes) const;

  // Before start(): where timer requests go.
  void set_arm(Arm arm) { arm_ = std::move(arm); }
  // Before start(): told (on the publishing worker's thread, after the commit) that a section's
  // running order was published, so its slots' times may have moved. Must not block long.
  void set_schedule_listener(std::function<void(const std::string& event)> listener) {
    schedule_listener_ = std::move(listener);
  }
  // Every slot of the event's published running orders, by section and position; practices no
  // longer admitted to present are left out.
  Result<std::vector<SpeakerSlot>> speaker_slots(std::string_view event);
  // Closes attendance left open by a stopped process and re-arms the timers of running sections.
  Status start();
  // Asks for the timers of every running section again, as the store has them: the alarm's
  // owner does so when it takes over and while it holds the alarm (another instance may have
  // started a section).
  Status rearm();

  // --- Schedules -------------------------------------------------------------------------------
  // Anyone: the sections with their rooms and published running orders, the welcome and results rooms.
  Result<Overview> overview(std::string_view event);
  // Anyone sees the published order; the organiser also the draft and the unscheduled presenters.
  Result<Schedule> schedule(const accounts::Identity* who, std::string_view event, int section);
  // Organiser: a fresh automatic draft of every admitted presenter of the section.
  Result<Schedule> make_draft(const accounts::Identity& who, std::string_view event, int section);
  // Organiser: the draft edited by hand: `slots` [{"practice", "minutes" or "seconds"}] in order.
  Result<Schedule> edit_draft(const accounts::Identity& who, std::string_view event, int section,
                              const nlohmann::json& slots);
  // Organiser: the draft becomes the published order; authors whose slot is new or moved get a notice.
  Result<Schedule> publish_schedule(const accounts::Identity& who, std::string_view event, int section);
  // Signed in: the caller's slots (owner or co-author) and notices.
  Result<MySlots> my_slots(const accounts::Identity& who, std::string_view event);

  // --- Calendars (.ics, calendars.cpp) ------------------------------------------------------------
  // Anyone: the event's timetable (stages, sessions with their rooms, milestones).
  Result<std::string> event_calendar(std::string_view event);
  // Anyone: one section's sitting and its published running order.
  Result<std::string> section_calendar(std::string_view event, int section);
  // The person's own items: their slots with the room link, the welcome and the results, the deadlines.
  Result<std::string> my_calendar(const accounts::User& who, std::string_view event);
  // The person's subscription address, if any; renewing makes a new secret (the old one stops
  // working), revoking removes it.
  Result<CalendarFeed> calendar_feed(const accounts::User& who, std::string_view event);
  Result<CalendarFeed> renew_calendar_feed(const accounts::User& who, std::string_view event);
  Status revoke_calendar_feed(const accounts::User& who, std::string_view event);
  // Anyone holding the secret: that person's calendar as it is now; 404 once revoked.
  Result<std::string> feed_calendar(std::string_view token);

  // --- Live ------------------------------------------------------------------------------------
  // The public state of a section, the same as pushed on its topic as "state".
  Result<SectionState> state(std::string_view event, int section);
  // Moderators only: pending questions and the raised hands.
  Result<Moderation> moderation(const accounts::Identity* who, std::string_view event, int section);
  // One action, from a WebSocket op ("section.next" → "next") or an HTTP POST. Moderator actions:
  // start, next, extend {seconds}, absent {practice?}, reorder {order}, pause, resume, close,
  // floor {hand?}, floor_done, approve/answer/dismiss {question}; reset (organisers, a rehearsal only). Anyone signed in: hand, lower,
  // ask {text}, vote {question} (approved ones only). Every change takes the section's next version.
  // Replies with the new public state (and the question or hand made). `args` are the client's,
  // read by parse_action (action.h).
  Result<ActReply> act(const accounts::Identity* who, std::string_view event, int section, std::string_view action,
                       const nlohmann::json& args);
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
  Result<std::vector<AttendanceRow>> attendance(const accounts::Identity& who, std::string_view event,
                                                std::optional<int> section = std::nullopt);

  // --- Results ---------------------------------------------------------------------------------
  Result<Results> results(std::string_view event);  // empty until published
  // Organiser, from the results session's start: `body` is the client's
  // {"text", "sections":[{"section","best":[ids],"note"}]}.
  Result<Results> publish_results(const accounts::Identity& who, std::string_view event, const nlohmann::json& body);

 private:
  Result<const EventRef*> find(std::string_view event, std::optional<int> section) const;
  std::string calendar_stamp() const;  // DTSTAMP: now, in UTC
  // Load, apply (run.h, floor.h), save, publish; the caller has admitted the action.
  Result<ActReply> change_run(const EventRef& ref, std::string_view event, int section, const RunAction& action);
  Result<ActReply> change_floor(const accounts::Identity& who, const EventRef& ref, std::string_view event,
                                      int section, const FloorAction& action);
  void arm_for(const EventRef& ref, const std::string& event, int section, const Run& run);
  // window_allows() for the caller at the clock's now.
  Status open_now(const accounts::Identity* who, const EventRef& ref, std::string_view event,
                  std::string_view action) const;

  // Constant after construction.
  store::Db& db_;
  const timeline::Clock& clock_;
  const std::map<std::string, EventRef, std::less<>> events_;
  live::Publisher& publish_;
  Arm arm_;  // set once before start()
  std::function<void(const std::string&)> schedule_listener_;  // set once before start()

  // Held across a live change's transaction and its pushes, so subscribers see changes in commit order.
  std::mutex live_mutex_;
};

}  // namespace praktika::sections
