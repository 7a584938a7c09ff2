// What SectionService answers: plain values, no JSON. Instants are ISO 8601 strings at the event's
// offset, as the wire carries them. sections/wire.h turns each into the JSON that both its route
// and its live push send.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace praktika::sections {

// A practice as the schedules, the live state and the results show it.
struct PracticeCard {
  std::int64_t id = 0;
  std::string title;
  std::string institution;
  std::vector<std::string> authors;  // owner first, then registered co-authors
};

// A slot of a running order with its planned times (none when the timetable has no sections session).
struct TimedSlot {
  int position = 0;  // from 1
  std::int64_t practice = 0;
  int seconds = 0;
  std::optional<PracticeCard> info;  // empty when the practice is gone
  std::optional<std::string> starts_at;
  std::optional<std::string> ends_at;
};

// A session of the timetable, as the section pages link it.
struct SessionInfo {
  std::string id;
  std::string title;
  std::string starts;
  std::string ends;
  std::string room_url;
  std::string moderator;
};

struct PublishedOrder {
  std::string published_at;
  std::vector<TimedSlot> slots;
};

struct SectionSummary {
  int number = 0;
  std::string title;
  std::string room_url;
  std::string contact_name;   // empty when the agenda still holds a placeholder
  std::string contact_phone;  // likewise
  std::optional<PublishedOrder> schedule;  // empty until published
};

// The event's sections, the sessions around them and the slot settings.
struct Overview {
  std::vector<SectionSummary> sections;
  std::optional<SessionInfo> sections_session, welcome_session, results_session;
  std::vector<int> warn_before_minutes;
  int min_slot_minutes = 0;
  int max_slot_minutes = 0;
  int gap_minutes = 0;
};

// What only the organiser sees of a running order.
struct Draft {
  std::vector<TimedSlot> slots;
  bool fits = false;                       // the slots with their gaps fit the window
  std::vector<PracticeCard> unscheduled;   // admitted presenters not in the draft
  bool differs = false;                    // from the published order (or none is published)
};

struct Schedule {
  std::string event;
  int section = 0;
  std::optional<std::vector<TimedSlot>> published;
  std::optional<std::string> published_at;
  std::optional<Draft> draft;  // the organiser's only
};

// A notice to an author that their slot was published, moved or removed.
struct Notice {
  std::int64_t id = 0;
  std::int64_t section = 0;
  std::int64_t practice = 0;
  std::string text;
  // The slot's wire JSON when the notice was made, or {"removed": true}: stored with the notice
  // and shown as it was then, so it stays free-form rather than re-typed from today's slot.
  nlohmann::json slot;
  std::string created_at;
};

struct MySlot {
  std::int64_t practice = 0;
  int section = 0;
  std::string section_title;
  std::string room_url;
  std::optional<TimedSlot> slot;  // empty until the section's order is published with it
};

struct MySlots {
  std::vector<MySlot> slots;
  std::vector<Notice> notices;  // newest first
};

// ---- Live ---------------------------------------------------------------------------------------

struct MaterialLink {
  std::string id;
  std::string purpose;
  std::string file_name;
  std::int64_t length = 0;
  std::string url;
};

struct WindowTimes {
  std::string opens;
  std::string closes;
  std::optional<std::string> rehearsal_from;
};

// A slot of the live run: the practice, and what its place in the run adds.
struct LiveSlot {
  std::int64_t practice = 0;
  std::optional<PracticeCard> info;
  int seconds = 0;
};

struct CurrentSlot : LiveSlot {
  std::vector<MaterialLink> materials;
  std::string started_at;
  std::optional<std::string> ends_at;  // empty while paused
  std::int64_t remaining_seconds = 0;
};

struct DoneSlot {
  std::int64_t practice = 0;
  std::optional<PracticeCard> info;
  std::string outcome;
  std::optional<std::string> started_at;  // empty when marked absent before being called
  std::string ended_at;
};

// Who raised a hand or asked a question, and where it stands ("raised", "speaking"; "pending", "approved"…).
struct FloorItem {
  std::int64_t id = 0;
  std::int64_t user = 0;
  std::string name;
  std::string status;
};

struct RaisedHand : FloorItem {
  std::string raised_at;
};

struct AskedQuestion : FloorItem {
  std::string text;
  std::int64_t votes = 0;
  std::string asked_at;
  struct Moderation {
    bool hidden = false;
    std::int64_t flags = 0;
  };
  std::optional<Moderation> moderation;  // what only the moderators see
};

// The hands and questions of a section; for the moderators also the pending and hidden questions.
struct Floor {
  std::vector<RaisedHand> hands;  // raised, in raise order
  std::optional<RaisedHand> speaking;
  std::vector<AskedQuestion> questions;  // by votes, then time
  bool premoderation = false;            // whether questions wait for approval
};

// The public state of a section: pushed as "state" on its topic and answered by GET …/state.
struct SectionState {
  std::string event;
  int section = 0;
  std::string title;
  std::string room_url;
  std::string status;
  bool rehearsal = false;
  std::optional<WindowTimes> window;
  std::int64_t version = 0;
  std::string now;
  std::optional<CurrentSlot> current;
  std::optional<LiveSlot> next;  // the queue's first, unless the section is closed
  std::vector<LiveSlot> queue;
  std::vector<DoneSlot> done;
  std::optional<std::string> started_at;
  std::optional<std::string> closed_at;
  Floor floor;
};

// The moderators' view, pushed as "moderation"; `version` is the public state's counter.
struct Moderation {
  std::string event;
  int section = 0;
  std::int64_t version = 0;
  Floor floor;
};

// What an action answers: the new state, and the hand or question it made, if any.
struct ActReply {
  SectionState state;
  std::optional<std::int64_t> hand;
  struct Asked {
    std::int64_t id = 0;
    std::string status;  // "pending": waits for a moderator; "approved": shown
  };
  std::optional<Asked> question;
};

// A warning before a slot's end, or its "time_up".
struct TimerNotice {
  std::int64_t practice = 0;
  std::string at;
  std::string ends_at;
  std::int64_t version = 0;
  std::optional<int> minutes_left;  // empty for time_up
};

// ---- Attendance and results ---------------------------------------------------------------------

// One person's merged time in one section, inside the sections' window.
struct AttendanceRow {
  int section = 0;
  std::int64_t user_id = 0;
  std::string full_name;
  std::string email;
  std::string first_joined;
  std::int64_t seconds = 0;
  std::int64_t minutes = 0;
};

struct SectionResult {
  int section = 0;
  std::string title;
  std::vector<PracticeCard> best;
  std::string note;
};

struct PublishedResults {
  std::string text;
  std::vector<SectionResult> sections;
  std::string published_at;
  std::optional<SessionInfo> session;
};

// {"results": …}; empty until the organiser publishes them.
struct Results {
  std::optional<PublishedResults> results;
};

}  // namespace praktika::sections
