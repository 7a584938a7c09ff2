#include "convert/child_process.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <string>

#include "support/server_process.h"

namespace praktika::convert {
namespace {

TEST(ProgressSeconds, ReadsMicrosecondsOfEitherKey) {
  EXPECT_DOUBLE_EQ(*progress_seconds("out_time_us=1500000"), 1.5);
  EXPECT_DOUBLE_EQ(*progress_seconds("out_time_ms=2000000"), 2.0);
  EXPECT_FALSE(progress_seconds("out_time_us=N/A"));
  EXPECT_FALSE(progress_seconds("frame=12"));
  EXPECT_FALSE(progress_seconds("progress=end"));
}

TEST(RunChild, ReadsStdoutLinesAndKeepsTheTailOfStderr) {
  test::TempDir dir;
  std::vector<std::string> lines;
  ChildOptions o;
  o.argv = {"sh", "-c", "echo one; echo two; echo broken >&2; exit 3"};
  o.stderr_file = dir / "err.log";
  o.on_line = [&](std::string_view l) { lines.emplace_back(l); };
  auto r = run_child(o);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_EQ(lines, (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(r->stderr_tail, "broken");
}

TEST(RunChild, AConverterRunsNicerThanTheServer) {
  test::TempDir dir;
  std::vector<std::string> lines;
  ChildOptions o;
  // `nice` prints the niceness it runs at; the pause lets the parent's setpriority land first.
  o.argv = {"sh", "-c", "sleep 0.5; nice"};
  o.stderr_file = dir / "err.log";
  o.on_line = [&](std::string_view l) { lines.emplace_back(l); };
  auto r = run_child(o);
  ASSERT_TRUE(r);
  ASSERT_EQ(lines.size(), 1u);
  errno = 0;
  const int own = ::getpriority(PRIO_PROCESS, 0);
  ASSERT_EQ(errno, 0);
  EXPECT_EQ(std::stoi(lines[0]), std::min(own + kConverterNice, 19));
}

TEST(RunChild, ACancelledChildIsKilled) {
  test::TempDir dir;
  ChildOptions o;
  o.argv = {"sleep", "60"};
  o.stderr_file = dir / "err.log";
  o.cancelled = [] { return true; };
  auto r = run_child(o);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->cancelled);
  EXPECT_EQ(r->exit_code, -1);
}

TEST(RunChild, AProgramMissingFromPathIsReported) {
  test::TempDir dir;
  ChildOptions o;
  o.argv = {"no-such-converter-here"};
  o.stderr_file = dir / "err.log";
  auto r = run_child(o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), "spawn_failed");
  EXPECT_FALSE(on_path("no-such-converter-here"));
  EXPECT_TRUE(on_path("sh"));
}

}  // namespace
}  // namespace praktika::convert
