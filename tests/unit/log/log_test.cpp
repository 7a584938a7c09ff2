#include "log/log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
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
