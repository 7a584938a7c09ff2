// The presenters' bandwidth check: GET /api/speedtest?bytes=N and POST /api/speedtest, their caps,
// their refusals of bad input and their per-address budget.
#include <set>

#include <gtest/gtest.h>

#include "support/client.h"
#include "support/server_process.h"

namespace praktika::test {
namespace {

constexpr std::uint64_t kMaxDownload = 32ull << 20;
constexpr std::uint64_t kMaxUpload = 8ull << 20;

std::string message_of(const HttpResult& r) { return r.json()["error"].value("message", ""); }

class Speedtest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto started = ServerProcess::start({.data_dir = data_.path()});
    ASSERT_TRUE(started);
    server_ = std::move(*started);
  }
  HttpClient http() { return HttpClient(server_->port()); }

  TempDir data_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(Speedtest, ADownloadIsExactlyTheBytesAskedForAndNeverCached) {
  auto http = this->http();
  auto r = http.get("/api/speedtest?bytes=100000");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body.size(), 100000u);
  EXPECT_EQ(r.headers["content-type"], "application/octet-stream");
  EXPECT_EQ(r.headers["cache-control"], "no-store");
  // Bytes a compressing proxy could not shrink: nearly every byte value occurs.
  std::set<char> values(r.body.begin(), r.body.end());
  EXPECT_GT(values.size(), 250u);
}

TEST_F(Speedtest, ADownloadAtTheCapIsServedAndOneByteMoreIsRefused) {
  auto http = this->http();
  auto at_cap = http.get("/api/speedtest?bytes=" + std::to_string(kMaxDownload));
  ASSERT_EQ(at_cap.status, 200);
  EXPECT_EQ(at_cap.body.size(), kMaxDownload);
  auto over = http.get("/api/speedtest?bytes=" + std::to_string(kMaxDownload + 1));
  EXPECT_EQ(over.status, 413);
  EXPECT_EQ(over.error_code(), "speedtest_too_large");
  EXPECT_NE(message_of(over).find("32 МБ"), std::string::npos) << message_of(over);
  EXPECT_EQ(http.get("/api/speedtest?bytes=99999999999999999999999").error_code(), "speedtest_too_large");
}

TEST_F(Speedtest, ASizeThatIsNoPositiveWholeNumberIsRefusedInRussian) {
  auto http = this->http();
  for (std::string query : {"", "?bytes=", "?bytes=0", "?bytes=-5", "?bytes=abc", "?bytes=1.5", "?bytes=12kb", "?size=10"}) {
    auto r = http.get("/api/speedtest" + query);
    EXPECT_EQ(r.status, 400) << query;
    EXPECT_EQ(r.error_code(), "speedtest_bad_size") << query;
    EXPECT_NE(message_of(r).find("целое число"), std::string::npos) << message_of(r);
  }
}

TEST_F(Speedtest, AnUploadIsAnsweredWithItsSize) {
  auto http = this->http();
  auto r = http.request("POST", "/api/speedtest", std::string(100000, 'x'), {{"Content-Type", "application/octet-stream"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["bytes"], 100000);
  EXPECT_EQ(r.headers["cache-control"], "no-store");
}

TEST_F(Speedtest, AnUploadOverTheCapIsRefusedBeforeItsBodyIsRead) {
  HeldRequest held(server_->port(), "POST", "/api/speedtest", kMaxUpload + 1, {{"Content-Type", "application/octet-stream"}});
  auto r = held.answer();
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.error_code(), "speedtest_too_large");
  EXPECT_NE(message_of(r).find("8 МБ"), std::string::npos) << message_of(r);
}

TEST_F(Speedtest, OneAddressGetsTwentyChecksAMinuteThenIsToldHowLongToWait) {
  auto http = this->http();
  for (int i = 0; i < 20; ++i) ASSERT_EQ(http.get("/api/speedtest?bytes=10").status, 200) << i;
  auto refused = http.get("/api/speedtest?bytes=10");
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(refused.error_code(), "speedtest_too_often");
  EXPECT_NE(message_of(refused).find("Повторите через"), std::string::npos) << message_of(refused);
  EXPECT_FALSE(refused.headers["retry-after"].empty());
  auto upload = http.request("POST", "/api/speedtest", "abc", {{"Content-Type", "application/octet-stream"}});
  EXPECT_EQ(upload.status, 429);
  EXPECT_EQ(upload.error_code(), "speedtest_too_often");
}

TEST_F(Speedtest, OneAddressMovesAtMost256MegabytesAMinute) {
  auto http = this->http();
  for (int i = 0; i < 8; ++i)
    ASSERT_EQ(http.get("/api/speedtest?bytes=" + std::to_string(kMaxDownload)).status, 200) << i;
  auto refused = http.get("/api/speedtest?bytes=1");
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(refused.error_code(), "speedtest_too_often");
}

}  // namespace
}  // namespace praktika::test
