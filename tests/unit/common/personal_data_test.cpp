#include "common/personal_data.h"

#include <gtest/gtest.h>

namespace praktika {
namespace {

Withdrawal maria() {
  Withdrawal w;
  w.user_id = 7;
  w.email = "maria.ivanova@dom.ru";
  w.anonymous_name = "Участник удалил свои данные";
  w.anonymous_email = "withdrawn-7@praktika.invalid";
  w.traces = {"Иванова Мария", "Иванова Мария Петровна"};
  w.own_traces = {"+7 902 111-22-33", "ab"};
  return w;
}

TEST(Withdrawal, ReplacesTheLongestTraceFirstAndTheEmailByTheAnonymousOne) {
  auto w = maria();
  EXPECT_EQ(w.scrub("Контакт: Иванова Мария Петровна, Maria.Ivanova@DOM.ru"),
            "Контакт: Участник удалил свои данные, withdrawn-7@praktika.invalid");
  EXPECT_EQ(w.scrub("Иванова Мария и Иванова Мария"), "Участник удалил свои данные и Участник удалил свои данные");
}

TEST(Withdrawal, SharedTracesOnlyInThePersonsOwnRecords) {
  auto w = maria();
  EXPECT_EQ(w.scrub("тел. +7 902 111-22-33"), "тел. +7 902 111-22-33");
  EXPECT_EQ(w.scrub("тел. +7 902 111-22-33", Withdrawal::Scope::own), "тел. Участник удалил свои данные");
  EXPECT_FALSE(w.traced("тел. +7 902 111-22-33"));
  EXPECT_TRUE(w.traced("тел. +7 902 111-22-33", Withdrawal::Scope::own));
}

TEST(Withdrawal, TracesShorterThanThreeBytesAreLeftAlone) {
  auto w = maria();
  EXPECT_EQ(w.scrub("about", Withdrawal::Scope::own), "about");
}

TEST(Withdrawal, ScrubsEveryStringInsideJsonAndKeepsKeysAndNumbers) {
  auto w = maria();
  nlohmann::json in = {{"Иванова Мария", "Иванова Мария"}, {"year", 2020}, {"list", {"x", "Иванова Мария"}}};
  auto out = w.scrub_json(in);
  EXPECT_TRUE(out.contains("Иванова Мария"));
  EXPECT_EQ(out["Иванова Мария"], "Участник удалил свои данные");
  EXPECT_EQ(out["year"], 2020);
  EXPECT_EQ(out["list"][1], "Участник удалил свои данные");
}

TEST(Withdrawal, JsonTextIsScrubbedAsJsonWhenItParsesAndAsTextWhenNot) {
  auto w = maria();
  EXPECT_EQ(w.scrub_json_text(R"({"name":"Иванова Мария","n":1})"), R"({"n":1,"name":"Участник удалил свои данные"})");
  EXPECT_EQ(w.scrub_json_text("{Иванова Мария"), "{Участник удалил свои данные");
}

TEST(Withdrawal, RewriteUsesTheOwnScopeOnlyForThePersonsOwnRows) {
  auto w = maria();
  const auto rewrite = w.rewrite();
  EXPECT_EQ(rewrite("тел. +7 902 111-22-33", false), "тел. +7 902 111-22-33");
  EXPECT_EQ(rewrite("тел. +7 902 111-22-33", true), "тел. Участник удалил свои данные");
  const auto rewrite_json = w.rewrite_json();
  EXPECT_EQ(rewrite_json(R"(["+7 902 111-22-33"])", false), R"(["+7 902 111-22-33"])");
  EXPECT_EQ(rewrite_json(R"(["+7 902 111-22-33"])", true), R"(["Участник удалил свои данные"])");
}

}  // namespace
}  // namespace praktika
