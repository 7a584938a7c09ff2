#include "net/static_files.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

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

  static Request get_request(const std::string& path, Headers headers) {
    Request r;
    r.method = "GET";
    r.path = path;
    r.headers = std::move(headers);
    return r;
  }
  std::optional<Response> get(const std::string& path, Headers headers = {}) {
    return serve_static(get_request(path, std::move(headers)), root_ / "web");
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

std::string header_of(const Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return "";
}

class WebRootCache : public StaticFiles {
 protected:
  std::optional<Response> get_cached(const std::string& path, Headers headers = {}) {
    return web_.serve(get_request(path, std::move(headers)));
  }
  // A new file under the same name: another inode, as an editor or a rebuild leaves it.
  void replace(const fs::path& file, const std::string& content) {
    fs::path next = file;
    next += ".next";
    std::ofstream(next, std::ios::binary) << content;
    fs::rename(next, file);
  }
  WebRoot web_{fs::temp_directory_path() / ("praktika-static-" + std::to_string(::getpid())) / "web"};
};

TEST_F(WebRootCache, ASmallFileComesFromMemoryWithTheSameValidatorsAsFromDisk) {
  auto from_disk = get("/assets/app-1a2b.js");
  for (int i = 0; i < 2; ++i) {
    auto cached = get_cached("/assets/app-1a2b.js");
    ASSERT_TRUE(cached && cached->shared_body);
    EXPECT_FALSE(cached->file);
    EXPECT_EQ(*cached->shared_body, "console.log(1)");
    for (const char* name : {"ETag", "Last-Modified", "Cache-Control", "Content-Type", "Accept-Ranges"})
      EXPECT_EQ(header_of(*cached, name), header_of(*from_disk, name)) << name;
  }
  EXPECT_EQ(get_cached("/assets/app-1a2b.js", {{"if-none-match", header_of(*from_disk, "ETag")}})->status, 304);
}

TEST_F(WebRootCache, AFileReplacedOnDiskIsServedAnewAndAVanishedOneIsNotFound) {
  ASSERT_EQ(*get_cached("/index.html")->shared_body, "<!doctype html>");
  replace(root_ / "web" / "index.html", "<!doctype html><p>rebuilt");
  auto again = get_cached("/index.html");
  ASSERT_TRUE(again && again->shared_body);
  EXPECT_EQ(*again->shared_body, "<!doctype html><p>rebuilt");
  EXPECT_EQ(header_of(*again, "ETag"), header_of(*get("/index.html"), "ETag"));
  fs::remove(root_ / "web" / "index.html");
  EXPECT_FALSE(get_cached("/index.html"));
  EXPECT_FALSE(get_cached("/"));
}

TEST_F(WebRootCache, ALargeFileIsSentFromDiskAndRangesAreAnsweredThere) {
  std::string big(WebRoot::kKeptFileBytes + 1, 'x');
  std::ofstream(root_ / "web" / "big.bin", std::ios::binary) << big;
  for (int i = 0; i < 2; ++i) {
    auto r = get_cached("/big.bin");
    ASSERT_TRUE(r && r->file);
    EXPECT_FALSE(r->shared_body);
    EXPECT_EQ(r->file->length, big.size());
  }
  auto part = get_cached("/assets/app-1a2b.js", {{"range", "bytes=2-4"}});
  ASSERT_TRUE(part && part->file);
  EXPECT_EQ(part->status, 206);
  EXPECT_EQ(part->file->offset, 2u);
  EXPECT_EQ(part->file->length, 3u);
}

TEST_F(WebRootCache, NothingOutsideTheRootIsServedEvenAfterTheRootWasRead) {
  ASSERT_TRUE(get_cached("/index.html"));
  EXPECT_FALSE(get_cached("/../secret.txt"));
  EXPECT_FALSE(get_cached("/assets/../../secret.txt"));
  EXPECT_FALSE(get_cached("/assets"));
  Request post;
  post.method = "POST";
  post.path = "/index.html";
  EXPECT_FALSE(web_.serve(post));
}

}  // namespace
}  // namespace praktika::net
