#include "histogram.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace praktika::bench {
namespace {

TEST(Histogram, SmallValuesAreExact) {
  Histogram h;
  for (std::uint64_t v = 1; v <= 100; ++v) h.record(v);
  EXPECT_EQ(h.percentile(50), 50u);
  EXPECT_EQ(h.percentile(99), 99u);
  EXPECT_EQ(h.percentile(100), 100u);
  EXPECT_EQ(h.min(), 1u);
  EXPECT_EQ(h.max(), 100u);
  EXPECT_DOUBLE_EQ(h.mean(), 50.5);
}

TEST(Histogram, LargeValuesAreWithinOneSixtyFourth) {
  Histogram h;
  for (std::uint64_t v = 1000; v <= 1'000'000; v += 1000) h.record(v);
  std::uint64_t p99 = h.percentile(99);
  EXPECT_GE(p99, 990'000u);
  EXPECT_LE(p99, 990'000u + 990'000u / 64);
  std::uint64_t p50 = h.percentile(50);
  EXPECT_GE(p50, 500'000u);
  EXPECT_LE(p50, 500'000u + 500'000u / 64);
}

TEST(Histogram, BucketsAreContiguousAndEdgesContainTheirValues) {
  std::size_t previous = 0;
  for (std::uint64_t v = 1; v < (1u << 20); v = v + 1 + v / 97) {
    std::size_t index = Histogram::index_of(v);
    EXPECT_GE(index, previous);
    EXPECT_LE(index, previous + 1 + v / 64);
    EXPECT_GE(Histogram::upper_edge(index), v);
    if (index > 0) {
      EXPECT_LT(Histogram::upper_edge(index - 1), v);
    }
    previous = index;
  }
}

TEST(Histogram, OneSlowValueInAHundredStaysAboveP99) {
  Histogram h;
  for (int i = 0; i < 99; ++i) h.record(1000);
  h.record(5'000'000);
  EXPECT_LE(h.percentile(98), 1000u + 1000u / 64);
  EXPECT_LE(h.percentile(99), 1000u + 1000u / 64);
  EXPECT_GE(h.percentile(99.5), 5'000'000u);
}

TEST(Histogram, HugeValuesAreClampedNotLost) {
  Histogram h;
  h.record(~std::uint64_t{0});
  EXPECT_EQ(h.count(), 1u);
  EXPECT_EQ(h.percentile(50), (std::uint64_t{1} << Histogram::kMaxBits) - 1);
}

TEST(Histogram, MergeAddsCounts) {
  Histogram a, b;
  a.record(10);
  b.record(20);
  b.record(30);
  a.merge(b);
  EXPECT_EQ(a.count(), 3u);
  EXPECT_EQ(a.percentile(50), 20u);
  EXPECT_EQ(a.max(), 30u);
  EXPECT_EQ(a.min(), 10u);
}

TEST(Histogram, EmptyReportsZero) {
  Histogram h;
  EXPECT_EQ(h.percentile(99), 0u);
  EXPECT_EQ(h.max(), 0u);
  EXPECT_EQ(h.min(), 0u);
}

}  // namespace
}  // namespace praktika::bench
