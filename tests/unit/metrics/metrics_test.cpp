#include "metrics/metrics.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace praktika::metrics {
namespace {

TEST(Metrics, AHistogramIsWrittenWithCumulativeBucketsEndingAtItsCount) {
  Histogram h({0.1, 1});
  h.observe(0.05);
  h.observe(0.1);  // on a bound: counted in that bucket (le means "less than or equal")
  h.observe(0.5);
  h.observe(7);
  Writer out;
  out.header("x_seconds", "histogram", "A test.");
  out.histogram("x_seconds", {{"route", "/a"}}, h);
  EXPECT_EQ(out.text(),
            "# HELP x_seconds A test.\n"
            "# TYPE x_seconds histogram\n"
            "x_seconds_bucket{route=\"/a\",le=\"0.1\"} 2\n"
            "x_seconds_bucket{route=\"/a\",le=\"1\"} 3\n"
            "x_seconds_bucket{route=\"/a\",le=\"+Inf\"} 4\n"
            "x_seconds_sum{route=\"/a\"} 7.65\n"
            "x_seconds_count{route=\"/a\"} 4\n");
}

TEST(Metrics, LabelValuesAreEscaped) {
  Writer out;
  out.sample("x_total", {{"v", "a\"b\\c\nd"}}, std::uint64_t{1});
  EXPECT_EQ(out.text(), "x_total{v=\"a\\\"b\\\\c\\nd\"} 1\n");
}

TEST(Metrics, AFamilyKeepsOneMemberPerLabelValuesAndWritesThemSorted) {
  Family<Counter> family({"route", "status"});
  family.at({"/b", "200"}).inc();
  family.at({"/a", "404"}).inc(2);
  family.at({"/b", "200"}).inc();
  Writer out;
  family.write(out, "r_total");
  EXPECT_EQ(out.text(), "r_total{route=\"/a\",status=\"404\"} 2\nr_total{route=\"/b\",status=\"200\"} 2\n");
}

TEST(Metrics, CountersAddUpFromManyThreads) {
  Counter c;
  Histogram h({1});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        c.inc();
        h.observe(0.5);
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(c.value(), 40000u);
  EXPECT_EQ(h.count(), 40000u);
  EXPECT_DOUBLE_EQ(h.sum(), 20000);
}

TEST(Metrics, TheAllowListTakesAddressesAndPrefixes) {
  auto parsed = AddressList::parse({"127.0.0.1", "10.1.0.0/16", "::1", "fd00::/8"});
  ASSERT_TRUE(std::holds_alternative<AddressList>(parsed));
  const auto& list = std::get<AddressList>(parsed);
  EXPECT_TRUE(list.contains("127.0.0.1"));
  EXPECT_FALSE(list.contains("127.0.0.2"));
  EXPECT_TRUE(list.contains("10.1.200.3"));
  EXPECT_FALSE(list.contains("10.2.0.1"));
  EXPECT_TRUE(list.contains("::1"));
  EXPECT_TRUE(list.contains("fd12::5"));
  EXPECT_FALSE(list.contains("fe80::1"));
  EXPECT_FALSE(list.contains("not an address"));
}

TEST(Metrics, TheAllowListRefusesWhatIsNeitherAnAddressNorAPrefix) {
  auto bad = AddressList::parse({"127.0.0.1", "localhost"});
  ASSERT_TRUE(std::holds_alternative<std::string>(bad));
  EXPECT_EQ(std::get<std::string>(bad), "localhost");
  EXPECT_TRUE(std::holds_alternative<std::string>(AddressList::parse({"10.0.0.0/33"})));
}

TEST(Metrics, ProcessFiguresAreWritten) {
  Writer out;
  write_process(out);
  EXPECT_NE(out.text().find("praktika_process_resident_memory_bytes "), std::string::npos);
  EXPECT_NE(out.text().find("praktika_process_open_fds "), std::string::npos);
  EXPECT_NE(out.text().find("praktika_process_threads "), std::string::npos);
}

}  // namespace
}  // namespace praktika::metrics
