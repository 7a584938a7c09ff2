#include "net/static_files.h"

#include <gtest/gtest.h>

#include <fstream>

namespace praktika::net {
namespace {

namespace fs = std::filesystem;

class StaticFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("praktika-static-" + std::to_string(::getpid()));
    fs::create_directories(root_ / "web" / "assets");
    std::ofstream(root_ / "web" / "index.html") << "<!doctype html>";
    std::ofstream(root_ / "web" / "assets" / "app-1a2b.js") << "console.log(1)";
    std::ofstream(root_ / "secret.txt") << "secret";
  }
  void TearDown() override { fs::remove_all(root_); }

  std::optional<Response> get(const std::string& path, Headers headers = {}) {
    Request r;
    r.method = "GET";
    r.path = path;
    r.headers = std::move(headers);
    return serve_static(r, root_ / "web");
  }

  fs::path root_;
};

TEST_F(StaticFiles, TheRootIsTheIndexPage) {
  auto r = get("/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  ASSERT_TRUE(r->file);
  EXPECT_EQ(r->file->length, 15u);
}

TEST_F(StaticFiles, NothingOutsideTheRootIsServed) {
  EXPECT_FALSE(get("/../secret.txt"));
  EXPECT_FALSE(get("/assets/../../secret.txt"));
  EXPECT_FALSE(get("/assets\\..\\..\\secret.txt"));
  EXPECT_FALSE(get("relative"));
  EXPECT_FALSE(get("/assets"));
}

TEST_F(StaticFiles, RangesAreClampedAndUnsatisfiableOnesAnswer416) {
  auto part = get("/assets/app-1a2b.js", {{"range", "bytes=2-100"}});
  ASSERT_TRUE(part && part->file);
  EXPECT_EQ(part->status, 206);
  EXPECT_EQ(part->file->offset, 2u);
  EXPECT_EQ(part->file->length, 12u);
  auto none = get("/assets/app-1a2b.js", {{"range", "bytes=14-"}});
  EXPECT_EQ(none->status, 416);
  auto several = get("/assets/app-1a2b.js", {{"range", "bytes=0-1,3-4"}});
  EXPECT_EQ(several->status, 200);  // not supported: the whole file
  auto reversed = get("/assets/app-1a2b.js", {{"range", "bytes=5-2"}});
  EXPECT_EQ(reversed->status, 200);
}

TEST_F(StaticFiles, TheEtagRevalidates) {
  auto first = get("/index.html");
  std::string etag;
  for (const auto& [k, v] : first->headers)
    if (k == "ETag") etag = v;
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(get("/index.html", {{"if-none-match", etag}})->status, 304);
}

}  // namespace
}  // namespace praktika::net
