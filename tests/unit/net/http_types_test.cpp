#include "net/http_types.h"

#include <gtest/gtest.h>

namespace praktika::net {
namespace {

TEST(PercentDecode, DecodesEscapesAndRefusesBrokenOnes) {
  EXPECT_EQ(percent_decode("/a%20b", false), "/a b");
  EXPECT_EQ(percent_decode("%D0%B0", false), "\xD0\xB0");
  EXPECT_EQ(percent_decode("a+b", true), "a b");
  EXPECT_EQ(percent_decode("a+b", false), "a+b");
  EXPECT_FALSE(percent_decode("%", false));
  EXPECT_FALSE(percent_decode("%4", false));
  EXPECT_FALSE(percent_decode("%zz", false));
  EXPECT_FALSE(percent_decode("a%00b", false));
}

TEST(Request, ReadsCookiesAmongOthers) {
  Request r;
  r.headers = {{"cookie", "theme=dark; praktika_session=abc123 ;other=1"}};
  EXPECT_EQ(r.cookie("praktika_session"), "abc123");
  EXPECT_EQ(r.cookie("other"), "1");
  EXPECT_FALSE(r.cookie("praktika"));
}

TEST(Request, ReadsQueryParameters) {
  Request r;
  r.query = "q=%D1%81%D0%B5%D0%BC%D1%8C%D1%8F&section=2&flag&bad=%zz";
  EXPECT_EQ(r.query_param("q"), "семья");
  EXPECT_EQ(r.query_param("section"), "2");
  EXPECT_EQ(r.query_param("flag"), "");
  EXPECT_FALSE(r.query_param("bad"));
  EXPECT_FALSE(r.query_param("absent"));
}

TEST(Response, SetHeaderReplacesTheSameName) {
  Response r;
  r.set_header("Content-Type", "text/plain");
  r.set_header("Content-Type", "application/json");
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].second, "application/json");
}

}  // namespace
}  // namespace praktika::net
