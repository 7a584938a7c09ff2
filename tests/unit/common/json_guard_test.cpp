#include "common/json_guard.h"

#include <gtest/gtest.h>

namespace praktika {
namespace {

using namespace std::string_literals;

TEST(JsonGuard, AValidDocumentIsParsedWhole) {
  auto parsed = parse_json_guarded(R"({"a":[1,2,{"b":"c"}]})", 8);
  ASSERT_TRUE(parsed);
  EXPECT_EQ((*parsed)["a"][2]["b"], "c");
}

TEST(JsonGuard, ANulByteIsMalformedNotTheEndOfTheText) {
  // The parser underneath stops at a NUL as if the text ended there: each of these would have
  // been read as the object before it.
  for (const auto& text : {"{\"a\":1}\0garbage"s, "{\"a\":1}\0"s, "{\"a\":1} \0 {}"s, "\0{\"a\":1}"s}) {
    std::string problem;
    EXPECT_FALSE(parse_json_guarded(text, 8, &problem)) << text.size();
    EXPECT_EQ(problem, "not valid JSON");
  }
  // Inside a string a NUL must be escaped; the escape is text like any other.
  auto escaped = parse_json_guarded(R"({"a":"x\u0000y"})", 8);
  ASSERT_TRUE(escaped);
  EXPECT_EQ((*escaped)["a"].get<std::string>(), "x\0y"s);
  EXPECT_FALSE(parse_json_guarded("{\"a\":\"x\0y\"}"s, 8));
}

TEST(JsonGuard, NestingDeeperThanTheLimitIsRefusedBeforeParsing) {
  std::string problem;
  EXPECT_FALSE(parse_json_guarded(std::string(5, '[') + std::string(5, ']'), 4, &problem));
  EXPECT_EQ(problem, "nested deeper than 4 levels");
  EXPECT_TRUE(parse_json_guarded(std::string(4, '[') + std::string(4, ']'), 4));
  EXPECT_TRUE(parse_json_guarded(R"(["[[[[[[[["])", 2)) << "brackets in strings do not count";
}

TEST(JsonGuard, TrailingTextIsMalformed) {
  EXPECT_FALSE(parse_json_guarded(R"({"a":1} {"b":2})", 8));
  EXPECT_FALSE(parse_json_guarded(R"({"a":1}x)", 8));
  EXPECT_TRUE(parse_json_guarded("{\"a\":1} \r\n\t", 8));
}

}  // namespace
}  // namespace praktika
