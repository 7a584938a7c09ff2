#include "sections/action.h"

#include <gtest/gtest.h>

namespace praktika::sections {
namespace {

using nlohmann::json;

Action parsed(std::string_view name, const json& args = json::object()) {
  auto a = parse_action(name, args);
  EXPECT_TRUE(a) << name;
  return a ? *a : Action{};
}

template <typename T>
const T* run_as(const Action& a) {
  const auto* run = std::get_if<RunAction>(&a);
  return run ? std::get_if<T>(run) : nullptr;
}

template <typename T>
const T* floor_as(const Action& a) {
  const auto* floor = std::get_if<FloorAction>(&a);
  return floor ? std::get_if<T>(floor) : nullptr;
}

TEST(SectionAction, EachNameReadsAsItsAction) {
  for (auto name : {"start", "next", "extend", "absent", "reorder", "pause", "resume", "close", "reset"})
    EXPECT_TRUE(std::holds_alternative<RunAction>(parsed(name))) << name;
  for (auto name : {"hand", "lower", "ask", "vote", "floor", "floor_done", "approve", "answer", "dismiss"})
    EXPECT_TRUE(std::holds_alternative<FloorAction>(parsed(name))) << name;
  EXPECT_EQ(floor_as<floor_action::Decide>(parsed("dismiss", {{"question", 4}}))->to, QuestionStatus::dismissed);
  EXPECT_EQ(floor_as<floor_action::Decide>(parsed("dismiss", {{"question", 4}}))->question, 4);
}

TEST(SectionAction, TheOpsRegisteredAreExactlyTheNamesThatParse) {
  auto names = action_names();
  EXPECT_EQ(names.size(), 22u);
  for (auto name : names) EXPECT_TRUE(parse_action(name, json::object())) << name;
}

TEST(SectionAction, AnUnknownNameIsRefusedAndQuotedShort) {
  auto a = parse_action(std::string(100, 'x'), json::object());
  ASSERT_FALSE(a);
  EXPECT_EQ(a.status().code(), "unknown_op");
  EXPECT_EQ(a.status().message(), "Неизвестное действие секции: " + std::string(40, 'x'));
}

TEST(SectionAction, MistypedArgumentsReadAsAbsent) {
  EXPECT_FALSE(run_as<run_action::Extend>(parsed("extend", {{"seconds", "60"}}))->seconds);
  EXPECT_EQ(run_as<run_action::Extend>(parsed("extend", {{"seconds", -60}}))->seconds, -60);
  EXPECT_FALSE(run_as<run_action::Reorder>(parsed("reorder", {{"order", {1, "2"}}}))->order);
  EXPECT_FALSE(run_as<run_action::Reorder>(parsed("reorder", {{"order", 1}}))->order);
  EXPECT_EQ(run_as<run_action::Reorder>(parsed("reorder", {{"order", {2, 1}}}))->order,
            (std::vector<std::int64_t>{2, 1}));
  EXPECT_EQ(floor_as<floor_action::Ask>(parsed("ask", {{"text", 5}}))->text, "");
  EXPECT_FALSE(floor_as<floor_action::Give>(parsed("floor", json(nullptr)))->hand);
  EXPECT_FALSE(floor_as<floor_action::Premoderate>(parsed("premoderation", {{"on", 1}}))->on);
  EXPECT_EQ(floor_as<floor_action::Premoderate>(parsed("premoderation", {{"on", false}}))->on, false);
  EXPECT_EQ(floor_as<floor_action::Flag>(parsed("flag", {{"question", 4}}))->question, 4);
}

const Actor kAudience{1, false, false};
const Actor kModerator{2, true, false};
const Actor kOrganiser{3, true, true};
const Actor kNobody{};

TEST(SectionAdmit, TheRunIsTheModeratorsOfTheSection) {
  EXPECT_EQ(admit(kAudience, parsed("next")).code(), "not_moderator");
  EXPECT_EQ(admit(kNobody, parsed("start")).code(), "not_moderator");
  EXPECT_TRUE(admit(kModerator, parsed("next")));
  EXPECT_TRUE(admit(kOrganiser, parsed("close")));
}

TEST(SectionAdmit, OnlyAnOrganiserResetsARehearsal) {
  auto refused = admit(kModerator, parsed("reset"));
  EXPECT_EQ(refused.code(), "forbidden");
  EXPECT_EQ(refused.message(), "Сбросить репетицию может только организатор.");
  EXPECT_TRUE(admit(kOrganiser, parsed("reset")));
}

TEST(SectionAdmit, TheFloorWantsSomeoneSignedInAndItsModerationAModerator) {
  EXPECT_EQ(admit(kNobody, parsed("hand")).code(), "not_authenticated");
  EXPECT_EQ(admit(kNobody, parsed("approve")).code(), "not_authenticated");
  for (auto name : {"hand", "lower", "ask", "vote", "flag"}) EXPECT_TRUE(admit(kAudience, parsed(name))) << name;
  for (auto name : {"floor", "floor_done", "approve", "answer", "dismiss", "hide", "show", "premoderation"}) {
    EXPECT_EQ(admit(kAudience, parsed(name)).code(), "not_moderator") << name;
    EXPECT_TRUE(admit(kModerator, parsed(name))) << name;
  }
}

}  // namespace
}  // namespace praktika::sections
