#include "api/ws_request.h"

#include <gtest/gtest.h>

namespace praktika::api {
namespace {

TEST(WsRequest, AnOpWithAnIdIsParsedAndTheIdIsEchoed) {
  auto r = parse_ws_request(R"({"op":"subscribe","id":7,"topic":"timeline:irkutsk-2020"})");
  ASSERT_TRUE(r.problem.is_ok());
  EXPECT_EQ(r.op, "subscribe");
  EXPECT_EQ(r.re, 7);
  auto topic = topic_of(r.message);
  ASSERT_TRUE(topic.ok());
  EXPECT_EQ(split_topic(*topic), (std::vector<std::string>{"timeline", "irkutsk-2020"}));
  EXPECT_EQ(parse_ws_request(R"({"op":"ping","id":"a"})").re, "a");
  EXPECT_TRUE(parse_ws_request(R"({"op":"ping","id":1.5})").re.is_null());
}

TEST(WsRequest, WhatIsNoObjectOrHasNoOpIsRefusedWithTheIdWhenKnown) {
  for (const char* text : {"", "[]", "1", "{", "\"op\"", "{\"op\":\"ping\"} trailing"}) {
    auto r = parse_ws_request(text);
    EXPECT_EQ(r.problem.code(), "invalid_json") << text;
    EXPECT_TRUE(r.re.is_null());
  }
  // Read to its end: a NUL byte does not end the message early.
  auto cut = parse_ws_request(std::string(R"({"op":"ping","id":1})") + std::string(1, '\0') + "garbage");
  EXPECT_EQ(cut.problem.code(), "invalid_json");
  auto no_op = parse_ws_request(R"({"id":3,"op":5})");
  EXPECT_EQ(no_op.problem.code(), "invalid_op");
  EXPECT_EQ(no_op.re, 3);
  auto reply = ws_error(no_op.problem, no_op.re);
  EXPECT_EQ(reply["re"], 3);
  EXPECT_EQ(reply["error"]["code"], "invalid_op");
}

TEST(WsRequest, NestingIsBoundedBeforeTheParserRecurses) {
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_EQ(parse_ws_request(deep).problem.code(), "invalid_json");
  std::string ok = "{\"op\":\"x\",\"d\":" + std::string(kMaxMessageDepth - 1, '[') +
                   std::string(kMaxMessageDepth - 1, ']') + "}";
  EXPECT_TRUE(parse_ws_request(ok).problem.is_ok());
}

TEST(WsRequest, TopicsAreStringsOfBoundedLengthSplitAtEveryColon) {
  EXPECT_EQ(topic_of(nlohmann::json{{"topic", 5}}).status().code(), "invalid_topic");
  EXPECT_EQ(topic_of(nlohmann::json::object()).status().code(), "invalid_topic");
  EXPECT_EQ(topic_of(nlohmann::json{{"topic", std::string(kMaxTopicBytes + 1, 'a')}}).status().code(),
            "invalid_topic");
  EXPECT_EQ(split_topic(""), (std::vector<std::string>{""}));
  EXPECT_EQ(split_topic("a::b:"), (std::vector<std::string>{"a", "", "b", ""}));
}

TEST(WsRequest, SubscribesInTheUpgradesQueryBecomeTheOpsTheyStandFor) {
  auto subs =
      subscribes_in_query("x=1&subscribe=1,timeline:irkutsk-2020&subscribe=2%2Csection%3Airkutsk-2020%3A3%2C41");
  ASSERT_EQ(subs.size(), 2u);
  EXPECT_TRUE(subs[0].problem.is_ok());
  EXPECT_EQ(subs[0].op, "subscribe");
  EXPECT_EQ(subs[0].re, 1);
  EXPECT_EQ(subs[0].message, (nlohmann::json{{"op", "subscribe"}, {"id", 1}, {"topic", "timeline:irkutsk-2020"}}));
  EXPECT_EQ(topic_of(subs[1].message).value(), "section:irkutsk-2020:3");
  EXPECT_EQ(subs[1].message["since"], 41);
  EXPECT_EQ(subs[1].re, 2);
  EXPECT_TRUE(subscribes_in_query("").empty());
  EXPECT_TRUE(subscribes_in_query("subscribed=1,a&subscribe").empty());
}

TEST(WsRequest, AMalformedSubscribeInTheQueryIsRefusedWithItsIdWhenReadable) {
  for (const char* query : {"subscribe=", "subscribe=1", "subscribe=1,", "subscribe=x,a", "subscribe=-1,a",
                            "subscribe=1,a,", "subscribe=1,a,b", "subscribe=1,a,-2", "subscribe=%zz",
                            "subscribe=1234567890123456,a"}) {
    auto subs = subscribes_in_query(query);
    ASSERT_EQ(subs.size(), 1u) << query;
    EXPECT_EQ(subs[0].problem.code(), "invalid_subscribe") << query;
    EXPECT_TRUE(subs[0].op.empty()) << query;
  }
  EXPECT_EQ(subscribes_in_query("subscribe=7,").front().re, 7);
  EXPECT_EQ(subscribes_in_query("subscribe=7,a,b").front().re, 7);
  EXPECT_TRUE(subscribes_in_query("subscribe=x,a").front().re.is_null());
}

TEST(WsRequest, SubscribesInTheQueryAreBounded) {
  std::string query;
  for (std::size_t i = 0; i < kMaxQuerySubscribes + 5; ++i)
    query += "&subscribe=" + std::to_string(i) + ",t:" + std::to_string(i);
  auto subs = subscribes_in_query(query);
  ASSERT_EQ(subs.size(), kMaxQuerySubscribes + 1);
  EXPECT_TRUE(subs[kMaxQuerySubscribes - 1].problem.is_ok());
  EXPECT_EQ(subs.back().problem.code(), "too_many_topics");
}

}  // namespace
}  // namespace praktika::api
