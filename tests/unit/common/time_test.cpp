#include "common/time.h"

#include <gtest/gtest.h>

namespace praktika {
namespace {

TEST(Instant, ParsesOffsetAndFormatsBackInTheSameZone) {
  auto t = parse_instant("2020-06-29T00:00:00+08:00");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_instant(*t), "2020-06-28T16:00:00Z");
  EXPECT_EQ(format_instant(*t, 8 * 60), "2020-06-29T00:00:00+08:00");
}

TEST(Instant, AcceptsMinutesOnlyAndMilliseconds) {
  auto a = parse_instant("2020-07-08T10:00+08:00");
  auto b = parse_instant("2020-07-08T02:00:00.250Z");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*b - *a, Millis(250));
  EXPECT_EQ(format_instant(*b), "2020-07-08T02:00:00.250Z");
}

TEST(Instant, RefusesMissingOffsetAndImpossibleDates) {
  EXPECT_FALSE(parse_instant("2020-07-08T10:00:00"));
  EXPECT_FALSE(parse_instant("2020-02-30T10:00:00Z"));
  EXPECT_FALSE(parse_instant("2020-07-08 10:00:00Z"));
  EXPECT_FALSE(parse_instant("2020-07-08T24:00:00Z"));
  EXPECT_FALSE(parse_instant(""));
}

TEST(UtcOffset, ParsesSignedHoursAndMinutes) {
  EXPECT_EQ(parse_utc_offset("+08:00"), 480);
  EXPECT_EQ(parse_utc_offset("-03:30"), -210);
  EXPECT_EQ(parse_utc_offset("Z"), 0);
  EXPECT_FALSE(parse_utc_offset("+8"));
}

}  // namespace
}  // namespace praktika
