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

Request from(std::string peer, std::vector<std::string> forwarded = {}) {
  Request r;
  r.remote_address = std::move(peer);
  for (auto& f : forwarded) r.headers.emplace_back("x-forwarded-for", std::move(f));
  return r;
}

TEST(CanonicalAddress, WritesEachAddressOneWayAndRefusesEverythingElse) {
  EXPECT_EQ(canonical_address("10.0.0.1"), "10.0.0.1");
  EXPECT_EQ(canonical_address("::ffff:10.0.0.1"), "10.0.0.1");
  EXPECT_EQ(canonical_address("2001:DB8:0::1"), "2001:db8::1");
  for (const char* bad : {"", "localhost", "10.0.0.1:8080", "[::1]", "10.0.0.0/8", " 10.0.0.1", "10.0.0.256"})
    EXPECT_FALSE(canonical_address(bad)) << bad;
}

TEST(ResolveClientAddress, WithoutTrustedProxiesTheForwardedHeaderIsIgnored) {
  EXPECT_EQ(resolve_client_address(from("203.0.113.7", {"198.51.100.1"}), {}), "203.0.113.7");
  EXPECT_EQ(resolve_client_address(from("203.0.113.7", {"198.51.100.1"}), {"10.0.0.1"}), "203.0.113.7");
}

TEST(ResolveClientAddress, ATrustedPeerIsBelievedForTheAddressItAppended) {
  const std::vector<std::string> trusted = {"10.0.0.1"};
  EXPECT_EQ(resolve_client_address(from("10.0.0.1", {"198.51.100.1"}), trusted), "198.51.100.1");
  // What the client itself put in the header (left of the proxy's entry) is never believed.
  EXPECT_EQ(resolve_client_address(from("10.0.0.1", {"1.2.3.4, 198.51.100.1"}), trusted), "198.51.100.1");
  // Several headers are one list, in order.
  EXPECT_EQ(resolve_client_address(from("10.0.0.1", {"1.2.3.4", "198.51.100.1"}), trusted), "198.51.100.1");
  // Without the header, the proxy itself is all we know.
  EXPECT_EQ(resolve_client_address(from("10.0.0.1"), trusted), "10.0.0.1");
  // The peer as an IPv4-mapped IPv6 address (a dual-stack listener) is the same proxy.
  EXPECT_EQ(resolve_client_address(from("::ffff:10.0.0.1", {"198.51.100.1"}), trusted), "198.51.100.1");
}

TEST(ResolveClientAddress, AChainOfTrustedProxiesIsWalkedFromTheRight) {
  const std::vector<std::string> trusted = {"10.0.0.1", "10.0.0.2"};
  EXPECT_EQ(resolve_client_address(from("10.0.0.1", {"6.6.6.6, 198.51.100.1, 10.0.0.2"}), trusted), "198.51.100.1");
}

TEST(ResolveClientAddress, AnEntryThatIsNoAddressStopsAtTheLastTrustedHop) {
  const std::vector<std::string> trusted = {"10.0.0.1", "10.0.0.2"};
  EXPECT_EQ(resolve_client_address(from("10.0.0.1", {"1.2.3.4, unknown, 10.0.0.2"}), trusted), "10.0.0.2");
  EXPECT_EQ(resolve_client_address(from("10.0.0.1", {"198.51.100.1:5555"}), trusted), "10.0.0.1");
}

}  // namespace
TEST(ContentDisposition, KeepsAnAsciiNameAsItIs) {
  EXPECT_EQ(content_disposition("attachment", "practices-2020.csv"),
            "attachment; filename=\"practices-2020.csv\"; filename*=UTF-8''practices-2020.csv");
}

TEST(ContentDisposition, GivesACyrillicNameAnUnderscoreFallbackAndTheExactNameEncoded) {
  // «Мой файл.pdf»: three Cyrillic letters, a space, four more, then the extension.
  EXPECT_EQ(content_disposition("inline", "\xD0\x9C\xD0\xBE\xD0\xB9 \xD1\x84\xD0\xB0\xD0\xB9\xD0\xBB.pdf"),
            "inline; filename=\"________.pdf\"; "
            "filename*=UTF-8''%D0%9C%D0%BE%D0%B9%20%D1%84%D0%B0%D0%B9%D0%BB.pdf");
}

TEST(ContentDisposition, NeverLetsAQuoteOrASemicolonOfTheNameIntoTheHeader) {
  std::string header = content_disposition("attachment", "a\";b\r\nX: y.txt");
  EXPECT_EQ(header, "attachment; filename=\"a__b__X__y.txt\"; filename*=UTF-8''a%22%3Bb%0D%0AX%3A%20y.txt");
}

}  // namespace praktika::net
