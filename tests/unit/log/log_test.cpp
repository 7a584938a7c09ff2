#include "log/log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

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

TEST(Log, LogfmtQuotesAValueWithSpacesAndLeavesAWordBare) {
  configure(Format::logfmt, Level::info);
  CapturedStderr captured;
  warn("mail.failed").str("error", "smtp_error").str("reason", "send queue full");
  const std::string text = captured.text();
  EXPECT_NE(text.find(" level=warn event=mail.failed error=smtp_error reason=\"send queue full\"\n"), std::string::npos)
      << text;
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
