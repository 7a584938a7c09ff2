#include "sections/floor.h"

#include <gtest/gtest.h>

namespace praktika::sections {
namespace {

using namespace floor_action;
using namespace floor_change;

constexpr std::int64_t kUser = 7;

Settings settings() {
  Settings s;
  s.question_max_chars = 10;
  return s;
}

std::vector<FloorChange> changes(const FloorFacts& facts, const FloorAction& action) {
  auto out = apply(facts, action, kUser, settings());
  EXPECT_TRUE(out) << out.status().code();
  return out ? *out : std::vector<FloorChange>{};
}

Status refusal(const FloorFacts& facts, const FloorAction& action) {
  auto out = apply(facts, action, kUser, settings());
  return out ? Status::ok() : out.status();
}

FloorFacts with_question(QuestionStatus status) {
  FloorFacts f;
  f.question = status;
  return f;
}

// ---- hands ---------------------------------------------------------------------------------------

TEST(FloorHand, IsRaisedForTheCaller) {
  auto c = changes({}, Hand{});
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(std::get<RaiseHand>(c[0]).user, kUser);
}

TEST(FloorHand, IsRefusedWhileTheCallersHandIsUpOrSpeaking) {
  for (auto own : {HandStatus::raised, HandStatus::speaking}) {
    FloorFacts f;
    f.own_hand = own;
    EXPECT_EQ(refusal(f, Hand{}).code(), "hand_already_raised");
  }
}

TEST(FloorLower, LowersTheCallersRaisedHand) {
  FloorFacts f;
  f.own_hand = HandStatus::raised;
  auto c = changes(f, Lower{});
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(std::get<LowerHand>(c[0]).user, kUser);
}

TEST(FloorLower, IsRefusedWithNoHandUpOrWhileSpeaking) {
  EXPECT_EQ(refusal({}, Lower{}).code(), "no_hand");
  FloorFacts f;
  f.own_hand = HandStatus::speaking;
  EXPECT_EQ(refusal(f, Lower{}).code(), "no_hand");
}

TEST(FloorGive, TheRaisedHandSpeaksAfterTheSpeakerBefore) {
  FloorFacts f;
  f.raised = 42;
  auto c = changes(f, Give{});
  ASSERT_EQ(c.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<EndSpeaking>(c[0]));
  EXPECT_EQ(std::get<Speak>(c[1]).hand, 42);
}

TEST(FloorGive, IsRefusedWithNoRaisedHandSayingWhich) {
  EXPECT_EQ(refusal({}, Give{}).message(), "Никто не поднял руку.");
  EXPECT_EQ(refusal({}, Give{5}).message(), "Эта рука не поднята.");
  EXPECT_EQ(refusal({}, Give{5}).code(), "no_hand");
}

TEST(FloorDone, EndsTheSpeakersTurn) {
  FloorFacts f;
  f.speaking = true;
  auto c = changes(f, floor_action::Done{});
  ASSERT_EQ(c.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<EndSpeaking>(c[0]));
}

TEST(FloorDone, IsRefusedWhenNobodySpeaks) {
  EXPECT_EQ(refusal({}, floor_action::Done{}).code(), "no_speaker");
}

// ---- questions -----------------------------------------------------------------------------------

TEST(FloorAsk, AddsThePendingQuestionAsCleanedText) {
  auto c = changes({}, Ask{"  Как?\u202E\r\n "});
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(std::get<AddQuestion>(c[0]).user, kUser);
  EXPECT_EQ(std::get<AddQuestion>(c[0]).text, "Как?");
}

TEST(FloorAsk, RefusesAnEmptyQuestion) {
  EXPECT_EQ(refusal({}, Ask{""}).code(), "invalid_question");
  EXPECT_EQ(refusal({}, Ask{" \n\t"}).code(), "invalid_question");
}

TEST(FloorAsk, CountsTheLimitInCharactersNotBytes) {
  EXPECT_TRUE(apply({}, Ask{"Десятьбукв"}, kUser, settings()));  // 10 letters, 20 bytes
  auto long_one = refusal({}, Ask{"Одиннадцать"});
  EXPECT_EQ(long_one.code(), "question_too_long");
  EXPECT_EQ(long_one.message(), "Вопрос длиннее 10 символов.");
}

TEST(FloorVote, CountsForAnApprovedQuestion) {
  auto c = changes(with_question(QuestionStatus::approved), Vote{3});
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(std::get<AddVote>(c[0]).question, 3);
  EXPECT_EQ(std::get<AddVote>(c[0]).user, kUser);
}

TEST(FloorVote, APendingQuestionIsAnsweredAsIfItDidNotExist) {
  EXPECT_EQ(refusal(with_question(QuestionStatus::pending), Vote{3}).code(), "question_not_found");
  EXPECT_EQ(refusal({}, Vote{3}).code(), "question_not_found");
}

TEST(FloorVote, IsRefusedTwiceWithoutAQuestionAndOnceDecided) {
  FloorFacts voted = with_question(QuestionStatus::approved);
  voted.voted = true;
  EXPECT_EQ(refusal(voted, Vote{3}).code(), "already_voted");
  EXPECT_EQ(refusal({}, Vote{}).code(), "invalid_question");
  EXPECT_EQ(refusal(with_question(QuestionStatus::answered), Vote{3}).code(), "question_closed");
  EXPECT_EQ(refusal(with_question(QuestionStatus::dismissed), Vote{3}).code(), "question_closed");
}

TEST(FloorDecide, APendingQuestionIsApprovedAnsweredOrDismissed) {
  for (auto to : {QuestionStatus::approved, QuestionStatus::answered, QuestionStatus::dismissed}) {
    auto c = changes(with_question(QuestionStatus::pending), Decide{3, to});
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(std::get<SetQuestion>(c[0]).question, 3);
    EXPECT_EQ(std::get<SetQuestion>(c[0]).to, to);
  }
}

TEST(FloorDecide, AnApprovedQuestionIsAnsweredOrDismissedButNotApprovedAgain) {
  EXPECT_TRUE(apply(with_question(QuestionStatus::approved), Decide{3, QuestionStatus::answered}, kUser, settings()));
  EXPECT_TRUE(apply(with_question(QuestionStatus::approved), Decide{3, QuestionStatus::dismissed}, kUser, settings()));
  auto again = refusal(with_question(QuestionStatus::approved), Decide{3, QuestionStatus::approved});
  EXPECT_EQ(again.code(), "question_closed");
  EXPECT_EQ(again.message(), "Вопрос уже одобрен.");
}

TEST(FloorDecide, ADecidedQuestionStaysAsItIsSayingHow) {
  for (auto to : {QuestionStatus::approved, QuestionStatus::answered, QuestionStatus::dismissed}) {
    EXPECT_EQ(refusal(with_question(QuestionStatus::answered), Decide{3, to}).message(), "На вопрос уже ответили.");
    EXPECT_EQ(refusal(with_question(QuestionStatus::dismissed), Decide{3, to}).message(), "Вопрос уже отклонён.");
  }
}

TEST(FloorDecide, IsRefusedWithoutAQuestionOrForOneNotInTheSection) {
  EXPECT_EQ(refusal({}, Decide{std::nullopt, QuestionStatus::approved}).code(), "invalid_question");
  auto missing = refusal({}, Decide{3, QuestionStatus::answered});
  EXPECT_EQ(missing.code(), "question_not_found");
  EXPECT_EQ(missing.http_status(), 404);
}

// ---- moderated questions -------------------------------------------------------------------------

TEST(FloorAsk, WaitsForApprovalByTheAgendasDefaultUntilTheSectionIsSwitched) {
  EXPECT_EQ(std::get<AddQuestion>(changes({}, Ask{"Как?"})[0]).status, QuestionStatus::pending);
  FloorFacts off;
  off.premoderation = false;
  EXPECT_EQ(std::get<AddQuestion>(changes(off, Ask{"Как?"})[0]).status, QuestionStatus::approved);
  Settings shown_at_once = settings();
  shown_at_once.questions_premoderated = false;
  EXPECT_EQ(std::get<AddQuestion>((*apply({}, Ask{"Как?"}, kUser, shown_at_once))[0]).status, QuestionStatus::approved);
  FloorFacts on;
  on.premoderation = true;
  EXPECT_EQ(std::get<AddQuestion>((*apply(on, Ask{"Как?"}, kUser, shown_at_once))[0]).status, QuestionStatus::pending);
}

TEST(FloorPremoderate, SwitchesEitherWayButWantsABoolean) {
  auto c = changes({}, Premoderate{false});
  ASSERT_EQ(c.size(), 1u);
  EXPECT_FALSE(std::get<SetPremoderation>(c[0]).on);
  EXPECT_EQ(std::get<SetPremoderation>(c[0]).user, kUser);
  EXPECT_EQ(refusal({}, Premoderate{std::nullopt}).code(), "invalid_switch");
}

TEST(FloorFlag, FlagsAShownQuestionOncePerPerson) {
  auto c = changes(with_question(QuestionStatus::approved), Flag{5});
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(std::get<AddFlag>(c[0]).question, 5);
  EXPECT_EQ(std::get<AddFlag>(c[0]).user, kUser);
  auto again = with_question(QuestionStatus::approved);
  again.flagged = true;
  EXPECT_EQ(refusal(again, Flag{5}).code(), "already_flagged");
  EXPECT_EQ(refusal(again, Flag{std::nullopt}).code(), "invalid_question");
}

TEST(FloorFlag, WhatTheAudienceDoesNotSeeIsAnsweredAsAbsent) {
  auto hidden = with_question(QuestionStatus::approved);
  hidden.hidden = true;
  for (const auto& f : {FloorFacts{}, with_question(QuestionStatus::pending), hidden}) {
    EXPECT_EQ(refusal(f, Flag{5}).code(), "question_not_found");
    EXPECT_EQ(refusal(f, Vote{5}).code(), "question_not_found");
  }
  EXPECT_EQ(refusal(with_question(QuestionStatus::answered), Flag{5}).code(), "question_closed");
}

TEST(FloorFlag, TheFlagThatReachesTheAgendasThresholdHidesTheQuestion) {
  Settings held = settings();
  held.hide_after_flags = 3;
  auto f = with_question(QuestionStatus::approved);
  f.flags = 1;
  EXPECT_EQ(apply(f, Flag{5}, kUser, held)->size(), 1u);
  f.flags = 2;
  auto c = *apply(f, Flag{5}, kUser, held);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(std::get<HideQuestion>(c[1]).question, 5);
  f.flags = 40;  // without a threshold flags never hide
  EXPECT_EQ(changes(f, Flag{5}).size(), 1u);
}

TEST(FloorHide, HidesAShownQuestionOnce) {
  auto c = changes(with_question(QuestionStatus::approved), Hide{5});
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(std::get<HideQuestion>(c[0]).question, 5);
  auto hidden = with_question(QuestionStatus::approved);
  hidden.hidden = true;
  EXPECT_EQ(refusal(hidden, Hide{5}).code(), "question_hidden");
  EXPECT_EQ(refusal(with_question(QuestionStatus::pending), Hide{5}).code(), "question_not_shown");
  EXPECT_EQ(refusal({}, Hide{5}).code(), "question_not_found");
}

TEST(FloorShow, ShowsAHiddenQuestionAgainOrKeepsAFlaggedOne) {
  auto hidden = with_question(QuestionStatus::approved);
  hidden.hidden = true;
  EXPECT_EQ(std::get<ShowQuestion>(changes(hidden, Show{5})[0]).question, 5);
  auto flagged = with_question(QuestionStatus::approved);
  flagged.flags = 2;
  EXPECT_EQ(std::get<ShowQuestion>(changes(flagged, Show{5})[0]).question, 5);
  EXPECT_EQ(refusal(with_question(QuestionStatus::approved), Show{5}).code(), "question_not_hidden");
  auto dismissed = with_question(QuestionStatus::dismissed);
  dismissed.hidden = true;
  EXPECT_EQ(refusal(dismissed, Show{5}).code(), "question_closed");
}

TEST(FloorModerating, HidingShowingAndTheSwitchAreTheModerators) {
  EXPECT_TRUE(moderating(Hide{1}));
  EXPECT_TRUE(moderating(Show{1}));
  EXPECT_TRUE(moderating(Premoderate{true}));
  EXPECT_FALSE(moderating(Flag{1}));
}

TEST(FloorStatusText, ReadsWhatItWrites) {
  for (auto s : {HandStatus::raised, HandStatus::speaking, HandStatus::spoken, HandStatus::lowered})
    EXPECT_EQ(hand_status_from(to_string(s)), s);
  for (auto s : {QuestionStatus::pending, QuestionStatus::approved, QuestionStatus::answered, QuestionStatus::dismissed})
    EXPECT_EQ(question_status_from(to_string(s)), s);
  EXPECT_FALSE(question_status_from("open"));
}

}  // namespace
}  // namespace praktika::sections
