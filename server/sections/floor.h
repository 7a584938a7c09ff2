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

// The actions, with their arguments as sent (a missing or mistyped one is empty).
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
struct Give {  // "floor": the named raised hand, or the first raised, speaks
  std::optional<std::int64_t> hand;
};
struct Done {};  // "floor_done": the speaker has finished
}  // namespace floor_action

// A struct rather than an alias so that sections.h can name it without this header.
struct FloorAction : std::variant<floor_action::Hand, floor_action::Lower, floor_action::Ask, floor_action::Vote,
                                  floor_action::Decide, floor_action::Give, floor_action::Done> {
  using variant::variant;
};

// Whether only moderators may take the action.
bool moderating(const FloorAction& action);

// What an action depends on, read for the caller in the section (only what the action needs).
struct FloorFacts {
  std::optional<HandStatus> own_hand;      // the caller's hand that is raised or speaking
  std::optional<QuestionStatus> question;  // the named question, when it exists in this section
  bool voted = false;                      // the caller has voted for the named question
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
};
struct AddVote {
  std::int64_t question = 0;
  std::int64_t user = 0;
};
struct SetQuestion {
  std::int64_t question = 0;
  QuestionStatus to = QuestionStatus::approved;
};
struct EndSpeaking {};
struct Speak {
  std::int64_t hand = 0;
};
}  // namespace floor_change

using FloorChange = std::variant<floor_change::RaiseHand, floor_change::LowerHand, floor_change::AddQuestion,
                                 floor_change::AddVote, floor_change::SetQuestion, floor_change::EndSpeaking,
                                 floor_change::Speak>;

// The changes `action` by `user` makes, or why not: hand_already_raised, no_hand, no_speaker,
// question_closed, already_voted (409); invalid_question, question_too_long (422);
// question_not_found (404, also for a pending question an audience member votes for: ids are
// sequential, and a different answer would confirm what is waiting for approval). Who may act is
// checked before (admit).
Result<std::vector<FloorChange>> apply(const FloorFacts& facts, const FloorAction& action, std::int64_t user,
                                       const Settings& settings);

}  // namespace praktika::sections
