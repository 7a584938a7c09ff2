#include "api/http.h"

#include <gtest/gtest.h>

namespace praktika::api {
namespace {

using namespace std::string_literals;

net::Request request(net::Headers headers, std::string body = "") {
  net::Request r;
  r.method = "POST";
  r.path = "/api/auth/logout";
  r.headers = std::move(headers);
  r.body = std::move(body);
  return r;
}

TEST(JsonBody, ABodyWithANulByteIsInvalidJsonNotThePartBeforeIt) {
  auto cut = parse_json_object(request({}, "{\"a\":1}\0garbage"s));
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.status().code(), "invalid_json");
  EXPECT_EQ(cut.status().http_status(), 400);
  EXPECT_TRUE(parse_json_object(request({}, R"({"a":1})")));
}

TEST(SenderPage, OriginOfThisHostOrAnAllowedOneIsEnough) {
  const std::vector<std::string> extra = {"https://partner.example"};
  EXPECT_TRUE(sender_page_allowed(request({{"host", "site.ru"}, {"origin", "https://site.ru"}}), extra));
  EXPECT_TRUE(sender_page_allowed(request({{"host", "site.ru"}, {"origin", "https://partner.example"}}), extra));
  EXPECT_FALSE(sender_page_allowed(request({{"host", "site.ru"}, {"origin", "https://evil.example"}}), extra));
  // Origin decides when present, whatever Referer says.
  EXPECT_FALSE(sender_page_allowed(
      request({{"host", "site.ru"}, {"origin", "null"}, {"referer", "https://site.ru/events"}}), extra));
}

TEST(SenderPage, WithoutOriginTheRefererMustBeAPageOfThisSite) {
  const std::vector<std::string> none;
  EXPECT_TRUE(sender_page_allowed(request({{"host", "site.ru:8080"}, {"referer", "http://site.ru:8080/events/x?a=1"}}), none));
  EXPECT_TRUE(sender_page_allowed(request({{"host", "site.ru"}, {"referer", "https://site.ru"}}), none));
  for (const char* referer : {"https://evil.example/", "https://site.ru.evil.example/", "https://site.ru@evil.example/",
                              "/events/x", "ftp://site.ru/", "https://", ""})
    EXPECT_FALSE(sender_page_allowed(request({{"host", "site.ru"}, {"referer", referer}}), none)) << referer;
  EXPECT_FALSE(sender_page_allowed(request({{"host", "site.ru"}}), none)) << "no page named at all";
}

TEST(SenderPage, PlainOriginCheckStillLetsARequestWithoutOriginThrough) {
  EXPECT_TRUE(origin_allowed(request({{"host", "site.ru"}}), {}));
  EXPECT_FALSE(origin_allowed(request({{"host", "site.ru"}, {"origin", "https://evil.example"}}), {}));
}

}  // namespace
}  // namespace praktika::api
