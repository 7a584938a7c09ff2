// The floor of a live section as a pure state machine: raised hands and the audience's questions,
// the actions on them, and `apply`, which from the facts the action depends on (loaded by
// floor_store.h) gives the changes to write or the refusal. No SQL, no clock, no publishing; any
// thread; unit-tested alone (tests/unit/sections/floor_test.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/status.h"
#include "sections/sections.h"

namespace praktika::sections {

enum class HandStatus { raised, speaking, spoken, lowered };
std::string_view to_string(HandStatus status);
std::optional<HandStatus> hand_status_from(std::string_view text);

enum class QuestionStatus { pending, approved, answered, dismissed };
std::string_view to_string(QuestionStatus status);
std::optional<QuestionStatus> question_status_from(std::string_view text);

// The actions, with their arguments as sent (a missing or mistyped one is empty). Questions: with
// pre-approval on (the section's switch, else the agenda's default) a new question waits for a
// moderator; off, it is shown at once. A shown question may be hidden by a moderator and shown
// again; participants flag abusive ones, once each, and with the agenda's hide_after_flags a
// question is hidden by the flag that reaches it, until a moderator shows it again.
namespace floor_action {
struct Hand {};   // raise one's hand
struct Lower {};  // lower one's raised hand
struct Ask {
  std::string text;  // as typed: apply() cleans it
};
struct Vote {
  std::optional<std::int64_t> question;
};
// A moderator's decision on a question: approve (shown to the audience), answer or dismiss.
struct Decide {
  std::optional<std::int64_t> question;
  QuestionStatus to = QuestionStatus::approved;
};
// A participant's complaint about a shown question (abusive, off topic).
struct Flag {
  std::optional<std::int64_t> question;
};
// A moderator hides a shown question from the audience, or shows it again (a hidden one, or a
// flagged one the moderator keeps: its flags are cleared either way).
struct Hide {
  std::optional<std::int64_t> question;
};
struct Show {
  std::optional<std::int64_t> question;
};
// A moderator switches pre-approval of the section's questions on or off.
struct Premoderate {
  std::optional<bool> on;
};
struct Give {  // "floor": the named raised hand, or the first raised, speaks
  std::optional<std::int64_t> hand;
};
struct Done {};  // "floor_done": the speaker has finished
}  // namespace floor_action

// A struct rather than an alias so that sections.h can name it without this header.
struct FloorAction : std::variant<floor_action::Hand, floor_action::Lower, floor_action::Ask, floor_action::Vote,
                                  floor_action::Decide, floor_action::Flag, floor_action::Hide, floor_action::Show,
                                  floor_action::Premoderate, floor_action::Give, floor_action::Done> {
  using variant::variant;
};

// Whether only moderators may take the action.
bool moderating(const FloorAction& action);

// What an action depends on, read for the caller in the section (only what the action needs).
struct FloorFacts {
  std::optional<HandStatus> own_hand;      // the caller's hand that is raised or speaking
  std::optional<QuestionStatus> question;  // the named question, when it exists in this section
  bool hidden = false;                     // the named question is hidden from the audience
  std::int64_t flags = 0;                  // the named question's flags not yet decided on
  bool voted = false;                      // the caller has voted for the named question
  bool flagged = false;                    // the caller has flagged the named question
  std::optional<bool> premoderation;       // Ask: the section's switch, empty when never switched
  std::optional<std::int64_t> raised;      // Give: the named hand if raised, else the first raised
  bool speaking = false;                   // someone has the floor
};

// The changes to write, in order; the store stamps them with the instant.
namespace floor_change {
struct RaiseHand {
  std::int64_t user = 0;
};
struct LowerHand {
  std::int64_t user = 0;
};
struct AddQuestion {
  std::int64_t user = 0;
  std::string text;
  QuestionStatus status = QuestionStatus::pending;  // approved when pre-approval is off
};
struct AddVote {
  std::int64_t question = 0;
  std::int64_t user = 0;
};
struct SetQuestion {
  std::int64_t question = 0;
  QuestionStatus to = QuestionStatus::approved;
};
struct AddFlag {
  std::int64_t question = 0;
  std::int64_t user = 0;
};
struct HideQuestion {
  std::int64_t question = 0;
};
struct ShowQuestion {  // shown again, its flags cleared
  std::int64_t question = 0;
};
struct SetPremoderation {
  std::int64_t user = 0;
  bool on = true;
};
struct EndSpeaking {};
struct Speak {
  std::int64_t hand = 0;
};
}  // namespace floor_change

using FloorChange = std::variant<floor_change::RaiseHand, floor_change::LowerHand, floor_change::AddQuestion,
                                 floor_change::AddVote, floor_change::SetQuestion, floor_change::AddFlag,
                                 floor_change::HideQuestion, floor_change::ShowQuestion,
                                 floor_change::SetPremoderation, floor_change::EndSpeaking, floor_change::Speak>;

// Whether the section's questions wait for approval: its switch, else the agenda's default.
bool premoderated(std::optional<bool> switched, const Settings& settings);

// The changes `action` by `user` makes, or why not: hand_already_raised, no_hand, no_speaker,
// question_closed, already_voted, already_flagged, question_not_shown, question_hidden,
// question_not_hidden (409); invalid_question, question_too_long, invalid_switch (422);
// question_not_found (404, also for a pending or hidden question an audience member votes for or
// flags: ids are sequential, and a different answer would confirm what the audience does not
// see). Who may act is checked before (admit).
Result<std::vector<FloorChange>> apply(const FloorFacts& facts, const FloorAction& action, std::int64_t user,
                                       const Settings& settings);

}  // namespace praktika::sections
