#include "log/log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <future>
#include <optional>
#include <thread>

#include <nlohmann/json.hpp>

namespace praktika::log {
namespace {

// What the records written while it lives put on stderr.
class CapturedStderr {
 public:
  CapturedStderr() {
    std::fflush(stderr);
    saved_ = ::dup(STDERR_FILENO);
    file_ = std::tmpfile();
    ::dup2(::fileno(file_), STDERR_FILENO);
  }
  ~CapturedStderr() {
    ::dup2(saved_, STDERR_FILENO);
    ::close(saved_);
    std::fclose(file_);
  }
  std::string text() {
    std::rewind(file_);
    std::string out;
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, file_)) out.append(buf, n);
    return out;
  }

 private:
  int saved_;
  std::FILE* file_;
};

TEST(Log, AJsonRecordIsOneObjectOnOneLineWithItsFieldsEscaped) {
  configure(Format::json, Level::info);
  CapturedStderr captured;
  info("http.request").str("route", "/api/events/{id}").num("status", 200).str("detail", "a \"quoted\"\nline");
  const std::string text = captured.text();
  ASSERT_EQ(std::count(text.begin(), text.end(), '\n'), 1);
  auto record = nlohmann::json::parse(text);
  EXPECT_EQ(record["event"], "http.request");
  EXPECT_EQ(record["level"], "info");
  EXPECT_EQ(record["status"], 200);
  EXPECT_EQ(record["detail"], "a \"quoted\"\nline");
  EXPECT_TRUE(record["ts"].get<std::string>().ends_with("Z"));
}

TEST(Log, WhileBatchingInfoRecordsLeaveTogetherAndAWarningTakesThemAlongInOrder) {
  configure(Format::json, Level::info);
  CapturedStderr captured;
  std::uint64_t writes = 0;
  {
    Batching batching;
    const std::uint64_t before = Batching::writes();
    for (int i = 0; i < 100; ++i) info("http.request").num("n", i);
    warn("mail.failed").num("n", 100);
    writes = Batching::writes() - before;
    const std::string text = captured.text();
    ASSERT_EQ(std::count(text.begin(), text.end(), '\n'), 101) << "a warning writes what waits before it";
    std::size_t at = 0;
    for (int i = 0; i <= 100; ++i) {
      at = text.find("\"n\":" + std::to_string(i) + "}", at);
      ASSERT_NE(at, std::string::npos) << "record " << i << " missing or out of order";
    }
    info("http.request").num("n", 101);
  }
  // One write per line would be 101; a batch leaves every kBatchInterval (100 ms), so only a test
  // thread held off the CPU for seconds could need many.
  EXPECT_LT(writes, 20u);
  EXPECT_NE(captured.text().find("\"n\":101}"), std::string::npos) << "the end of batching writes what waits";
}

TEST(Log, WhileBatchingALoneInfoRecordIsWrittenWithoutWaitingForAnother) {
  configure(Format::json, Level::info);
  CapturedStderr captured;
  Batching batching;
  info("ws.open").num("connection", 7);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (captured.text().find("\"connection\":7") == std::string::npos && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_NE(captured.text().find("\"connection\":7"), std::string::npos);
}

// A stderr that stops taking lines (a pipe nobody reads, as a stalled journal) must not stop the
// threads that make records: while batching, info lines wait up to kMostWaiting and are dropped
// beyond it, counted, and the count is written once stderr takes lines again.
TEST(Log, AStderrThatStopsTakingLinesNeverStopsTheRecordsMakers) {
  configure(Format::json, Level::info);
  std::fflush(stderr);
  const int saved = ::dup(STDERR_FILENO);
  int pipe_ends[2];
  ASSERT_EQ(::pipe(pipe_ends), 0);
  ::dup2(pipe_ends[1], STDERR_FILENO);
  ::close(pipe_ends[1]);
  const std::string padding(200, 'x');
  const int records = static_cast<int>(Batching::kMostWaiting / padding.size()) * 2;
  std::optional<Batching> batching;
  batching.emplace();
  auto made = std::async(std::launch::async, [&] {
    for (int i = 0; i < records; ++i) info("http.request").num("n", i).str("padding", padding);
  });
  // Twice what may wait, into a pipe of 64 KB that nobody reads: the maker finishes, or the
  // test reports it stuck (the old writer held the lines' lock while its write(2) waited).
  const bool finished = made.wait_for(std::chrono::seconds(60)) == std::future_status::ready;
  std::string text;
  auto drained = std::async(std::launch::async, [&] {
    char buf[65536];
    for (ssize_t n; (n = ::read(pipe_ends[0], buf, sizeof buf)) > 0;) text.append(buf, static_cast<std::size_t>(n));
  });
  made.wait();
  batching.reset();
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  drained.wait();
  ::close(pipe_ends[0]);
  EXPECT_TRUE(finished) << "making records waited for a stderr that takes nothing";
  std::int64_t kept = 0;
  std::int64_t dropped = 0;
  std::size_t at = 0;
  for (std::size_t end; (end = text.find('\n', at)) != std::string::npos; at = end + 1) {
    const auto record = nlohmann::json::parse(text.substr(at, end - at));
    if (record["event"] == "log.lines_dropped") {
      EXPECT_EQ(record["level"], "warn");
      dropped += record["lines"].get<std::int64_t>();
    } else {
      ++kept;
    }
  }
  EXPECT_GT(dropped, 0) << "twice what may wait was made while nothing was taken";
  EXPECT_EQ(kept + dropped, records) << "every record is written or counted";
}

TEST(Log, LogfmtQuotesAValueWithSpacesAndLeavesAWordBare) {
  configure(Format::logfmt, Level::info);
  CapturedStderr captured;
  warn("mail.failed").str("error", "smtp_error").str("reason", "send queue full");
  const std::string text = captured.text();
  EXPECT_NE(text.find(" level=warn event=mail.failed error=smtp_error reason=\"send queue full\"\n"), std::string::npos)
      << text;
}

TEST(Log, ControlCharactersAreEscapedInJsonAndBlankedInLogfmt) {
  const std::string value = std::string("plain a\x01") + "b\tc\x7f" + "d\\e\"f\ng end";
  {
    configure(Format::json, Level::info);
    CapturedStderr captured;
    info("http.request").str("detail", value);
    EXPECT_EQ(nlohmann::json::parse(captured.text())["detail"], value);
  }
  configure(Format::logfmt, Level::info);
  CapturedStderr captured;
  info("http.request").str("detail", value);
  EXPECT_NE(captured.text().find(" detail=\"plain a b c d\\\\e\\\"f\\ng end\"\n"), std::string::npos)
      << captured.text();
}

TEST(Log, ARecordBelowTheLevelIsNotWritten) {
  configure(Format::text, Level::warn);
  CapturedStderr captured;
  info("http.request").num("status", 200);
  error("store.error").str("sql", "COMMIT");
  const std::string text = captured.text();
  EXPECT_EQ(text.find("http.request"), std::string::npos);
  EXPECT_NE(text.find("ERROR store.error sql=COMMIT"), std::string::npos) << text;
  configure(Format::text, Level::info);
}

TEST(Log, RepeatedProblemsAreCountedOnceAndTheNewestComesFirst) {
  note_problem("test_smtp", "ev");
  note_problem("test_disk");
  note_problem("test_smtp", "ev");
  auto problems = recent_problems();
  ASSERT_GE(problems.size(), 2u);
  EXPECT_EQ(problems[0].code, "test_smtp");
  EXPECT_EQ(problems[0].event_id, "ev");
  EXPECT_EQ(problems[0].count, 2u);
  EXPECT_EQ(problems[1].code, "test_disk");
}

TEST(Log, TheUserIsNotedOnlyInsideARequestScope) {
  note_user(5);  // outside: nothing to note into
  RequestScope scope;
  EXPECT_EQ(scope.user_id(), 0);
  note_user(7);
  EXPECT_EQ(scope.user_id(), 7);
}

}  // namespace
}  // namespace praktika::log
