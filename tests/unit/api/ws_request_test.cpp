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

}  // namespace
}  // namespace praktika::api
