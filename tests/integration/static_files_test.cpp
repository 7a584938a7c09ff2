#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/bytes.h"
#include "support/client.h"
#include "support/server_process.h"

namespace praktika::test {
namespace {

class StaticFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    index_ = read_file(source_dir() / "web/dist/index.html");
    ASSERT_FALSE(index_.empty()) << "build the web front end first (npm run build in web/)";
    auto started = ServerProcess::start({.data_dir = data_.path()});
    ASSERT_TRUE(started);
    server_ = std::move(*started);
  }
  TempDir data_;
  std::string index_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(StaticFiles, ServesTheFirstPageWithSecurityHeaders) {
  HttpClient http(server_->port());
  auto page = http.get("/");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.body, index_);
  EXPECT_EQ(page.headers["content-type"], "text/html; charset=utf-8");
  EXPECT_NE(page.headers["content-security-policy"].find("default-src 'self'"), std::string::npos);
  EXPECT_EQ(page.headers["x-content-type-options"], "nosniff");
  EXPECT_EQ(page.headers["cache-control"], "no-cache");
}

TEST_F(StaticFiles, AnswersRangesHeadAndConditionalRequests) {
  HttpClient http(server_->port());
  auto range = http.request("GET", "/index.html", "", {{"Range", "bytes=5-14"}});
  EXPECT_EQ(range.status, 206);
  EXPECT_EQ(range.body, index_.substr(5, 10));
  EXPECT_EQ(range.headers["content-range"], "bytes 5-14/" + std::to_string(index_.size()));
  auto tail = http.request("GET", "/index.html", "", {{"Range", "bytes=-4"}});
  EXPECT_EQ(tail.body, index_.substr(index_.size() - 4));
  auto beyond = http.request("GET", "/index.html", "", {{"Range", "bytes=999999-"}});
  EXPECT_EQ(beyond.status, 416);
  auto head = http.request("HEAD", "/index.html");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.headers["content-length"], std::to_string(index_.size()));
  EXPECT_TRUE(head.body.empty());
  auto again = http.request("GET", "/index.html", "", {{"If-None-Match", head.headers["etag"]}});
  EXPECT_EQ(again.status, 304);
}

TEST_F(StaticFiles, HashedAssetsAreCachedForever) {
  std::string asset;
  for (const auto& entry : std::filesystem::directory_iterator(source_dir() / "web/dist/assets")) {
    asset = entry.path().filename().string();
    break;
  }
  ASSERT_FALSE(asset.empty());
  HttpClient http(server_->port());
  auto r = http.get("/assets/" + asset);
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.headers["cache-control"].find("immutable"), std::string::npos);
}

TEST_F(StaticFiles, PathsOutsideTheWebRootAreNotFound) {
  HttpClient http(server_->port());
  for (const char* path : {"/../CMakeLists.txt", "/%2e%2e/CMakeLists.txt", "/assets/../../README.md",
                           "/..%2f..%2fetc/passwd", "/%00", "/missing.js"}) {
    auto r = http.get(path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.body.find("cmake_minimum_required"), std::string::npos) << path;
  }
}

TEST_F(StaticFiles, UnknownApiPathsAndMethodsAnswerJsonErrors) {
  HttpClient http(server_->port());
  auto missing = http.get("/api/nothing");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.error_code(), "not_found");
  auto wrong = http.request("DELETE", "/api/health");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.headers["allow"], "GET");
}

TEST_F(StaticFiles, AnOversizedBodyIsRefusedWith413) {
  HttpClient http(server_->port());
  auto r = http.request("POST", "/api/auth/login", std::string(2 << 20, 'x'));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.error_code(), "payload_too_large");
}

}  // namespace
}  // namespace praktika::test
