#include "net/encoding.h"

#include <gtest/gtest.h>

#include <string>

#include "support/gzip.h"

namespace praktika::net {
namespace {

using test::gunzip;

Request accepting(std::string accept_encoding) {
  Request request;
  request.method = "GET";
  if (!accept_encoding.empty()) request.headers.emplace_back("accept-encoding", std::move(accept_encoding));
  return request;
}

Response json_of(std::size_t length) {
  Response response;
  response.set_header("Content-Type", "application/json; charset=utf-8");
  response.body = "[" + std::string(length - 2, '1') + "]";
  return response;
}

std::string header(const Response& response, const std::string& name) {
  for (const auto& [key, value] : response.headers)
    if (key == name) return value;
  return "";
}

TEST(PreferredCoding, BrotliBeforeGzipBeforeIdentity) {
  EXPECT_EQ(preferred_coding("gzip, deflate, br, zstd", true, true), Coding::br);
  EXPECT_EQ(preferred_coding("gzip, deflate, br", true, false), Coding::gzip);
  EXPECT_EQ(preferred_coding("gzip, br", false, false), Coding::identity);
  EXPECT_EQ(preferred_coding("", true, true), Coding::identity);
  EXPECT_EQ(preferred_coding("deflate", true, true), Coding::identity);
}

TEST(PreferredCoding, AZeroQualityIsNeverChosen) {
  EXPECT_EQ(preferred_coding("br;q=0, gzip", true, true), Coding::gzip);
  EXPECT_EQ(preferred_coding("br;q=0, gzip;q=0", true, true), Coding::identity);
  EXPECT_EQ(preferred_coding("*;q=0", true, true), Coding::identity);
  EXPECT_EQ(preferred_coding("*", true, true), Coding::br);
  EXPECT_EQ(preferred_coding("*, br;q=0", true, true), Coding::gzip);
}

TEST(PreferredCoding, TheHigherQualityWins) {
  EXPECT_EQ(preferred_coding("br;q=0.5, gzip;q=0.8", true, true), Coding::gzip);
  EXPECT_EQ(preferred_coding("BR;Q=1.0, x-gzip", true, true), Coding::br);
  EXPECT_EQ(preferred_coding("gzip;q=0.2, identity", true, true), Coding::identity);
  EXPECT_EQ(preferred_coding("gzip;q=nonsense", true, true), Coding::identity);
}

TEST(CodedEtag, NamesTheCodingInsideTheQuotes) {
  EXPECT_EQ(coded_etag("\"12-34\"", Coding::gzip), "\"12-34-gzip\"");
  EXPECT_EQ(coded_etag("\"12-34\"", Coding::br), "\"12-34-br\"");
  EXPECT_EQ(coded_etag("\"12-34\"", Coding::identity), "\"12-34\"");
}

TEST(CompressAnswer, ABigJsonAnswerIsGzippedForAClientThatAcceptsIt) {
  Response response = json_of(5000);
  const std::string plain = response.body;
  compress_answer(accepting("gzip, br"), response);
  EXPECT_EQ(header(response, "Content-Encoding"), "gzip");
  EXPECT_EQ(header(response, "Vary"), "Accept-Encoding");
  EXPECT_LT(response.body.size(), plain.size());
  EXPECT_EQ(gunzip(response.body), plain);
}

TEST(CompressAnswer, ASharedBodyIsGzippedOnceAndKeptIntact) {
  auto shared = std::make_shared<const std::string>("{\"x\":\"" + std::string(4000, 'y') + "\"}");
  Response first;
  first.set_header("Content-Type", "application/json");
  first.shared_body = shared;
  Response second = first;
  compress_answer(accepting("gzip"), first);
  compress_answer(accepting("gzip"), second);
  ASSERT_TRUE(first.shared_body && second.shared_body);
  EXPECT_EQ(first.shared_body, second.shared_body);
  EXPECT_EQ(gunzip(*first.shared_body), *shared);
  EXPECT_EQ(shared->size(), 4008u);
}

TEST(CompressAnswer, IdentityWhenGzipIsNotAcceptedButVaryIsSaid) {
  Response response = json_of(5000);
  const std::string plain = response.body;
  compress_answer(accepting(""), response);
  EXPECT_EQ(response.body, plain);
  EXPECT_EQ(header(response, "Content-Encoding"), "");
  EXPECT_EQ(header(response, "Vary"), "Accept-Encoding");
  Response refused = json_of(5000);
  compress_answer(accepting("gzip;q=0"), refused);
  EXPECT_EQ(refused.body, plain);
}

TEST(CompressAnswer, SmallAnswersAndCompressedTypesAreLeftAlone) {
  Response small = json_of(kCompressFromBytes - 1);
  compress_answer(accepting("gzip"), small);
  EXPECT_EQ(header(small, "Content-Encoding"), "");
  EXPECT_EQ(header(small, "Vary"), "");
  Response image;
  image.set_header("Content-Type", "image/jpeg");
  image.body = std::string(50000, 'a');
  compress_answer(accepting("gzip"), image);
  EXPECT_EQ(image.body.size(), 50000u);
  EXPECT_EQ(header(image, "Content-Encoding"), "");
}

TEST(CompressAnswer, TheGzipEtagOfTheClientGivesA304) {
  Response response = json_of(5000);
  response.set_header("ETag", "\"v7\"");
  Request request = accepting("gzip");
  compress_answer(request, response);
  EXPECT_EQ(header(response, "ETag"), "\"v7-gzip\"");
  request.headers.emplace_back("if-none-match", "\"v7-gzip\"");
  Response again = json_of(5000);
  again.set_header("ETag", "\"v7\"");
  compress_answer(request, again);
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(header(again, "ETag"), "\"v7-gzip\"");
}

}  // namespace
}  // namespace praktika::net
