#include "uploads/tus_headers.h"

#include <gtest/gtest.h>

namespace praktika::uploads {
namespace {

TEST(TusHeaders, NumbersAreDecimalDigitsThatFitSixtyFourBits) {
  EXPECT_EQ(parse_tus_number("0"), 0u);
  EXPECT_EQ(parse_tus_number("18446744073709551615"), 18446744073709551615ull);
  for (const char* bad : {"", "-1", " 1", "1 ", "+1", "0x10", "18446744073709551616", "1e3"})
    EXPECT_FALSE(parse_tus_number(bad)) << bad;
}

TEST(TusHeaders, MetadataDecodesBase64ValuesAndKeysWithoutValues) {
  auto m = parse_tus_metadata("filename c2hvdy5wcHR4, purpose Zmxhc2htb2I=,is_confidential");
  ASSERT_TRUE(m);
  EXPECT_EQ((*m)["filename"], "show.pptx");
  EXPECT_EQ((*m)["purpose"], "flashmob");
  EXPECT_EQ((*m)["is_confidential"], "");
  EXPECT_TRUE(parse_tus_metadata("")->empty());
}

TEST(TusHeaders, MalformedMetadataIsRefusedWhole) {
  EXPECT_FALSE(parse_tus_metadata("filename ***"));
  EXPECT_FALSE(parse_tus_metadata(std::string(101, 'k') + " YQ=="));
  EXPECT_FALSE(parse_tus_metadata("filename " + std::string(4100, 'Q')));
  EXPECT_FALSE(parse_tus_metadata("filename //7Arw==")) << "bytes that are not UTF-8";
}

TEST(TusHeaders, DecodedNamesKeepEveryByteForTheCallerToShowSafely) {
  // "\x1b[31m\r\n‮" in base64: control characters and a bidi override survive decoding as data.
  auto m = parse_tus_metadata("filename G1szMW0NCuKArg==");
  ASSERT_TRUE(m);
  EXPECT_EQ((*m)["filename"], "\x1b[31m\r\n\xE2\x80\xAE");
}

}  // namespace
}  // namespace praktika::uploads
