#include "net/static_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <memory>
#include <string>

namespace praktika::net {
namespace {

namespace fs = std::filesystem;

fs::path test_root() { return fs::temp_directory_path() / ("praktika-static-" + std::to_string(::getpid())); }

std::string header_of(const Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return "";
}

class StaticFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(root_ / "web" / "assets");
    std::ofstream(root_ / "web" / "index.html") << "<!doctype html>";
    std::ofstream(root_ / "web" / "assets" / "app-1a2b.js") << "console.log(1)";
    std::ofstream(root_ / "secret.txt") << "secret";
  }
  void TearDown() override { fs::remove_all(root_); }

  static Request get_request(const std::string& path, Headers headers = {}) {
    Request r;
    r.method = "GET";
    r.path = path;
    r.headers = std::move(headers);
    return r;
  }
  std::optional<Response> get(const std::string& path, Headers headers = {}) {
    return web_.serve(get_request(path, std::move(headers)));
  }
  // The same file answered from disk, as every other file route answers.
  Response from_disk(const std::string& path) {
    return file_response(get_request(path), root_ / "web" / path.substr(1), "", "");
  }
  // A new file under the same name: another inode, as an editor or a rebuild leaves it.
  void replace(const fs::path& file, const std::string& content) {
    fs::path next = file;
    next += ".next";
    std::ofstream(next, std::ios::binary) << content;
    fs::rename(next, file);
  }

  const fs::path root_ = test_root();
  // Confirms every hit, so each test sees a change at once; the window has its own test.
  WebRoot web_{test_root() / "web", std::chrono::milliseconds(0)};
};

TEST_F(StaticFiles, TheRootIsTheIndexPage) {
  auto r = get("/");
  ASSERT_TRUE(r && r->shared_body);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(*r->shared_body, "<!doctype html>");
  EXPECT_EQ(header_of(*r, "Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(header_of(*r, "Cache-Control"), "no-cache");
  EXPECT_EQ(header_of(*get("/assets/app-1a2b.js"), "Cache-Control"), "public, max-age=31536000, immutable");
}

TEST(ContentTypes, TheWebAppManifestAndTheServiceWorkerHaveTheTypesBrowsersAsk) {
  EXPECT_EQ(content_type_for("manifest.webmanifest"), "application/manifest+json");
  EXPECT_EQ(content_type_for("sw.js"), "text/javascript; charset=utf-8");
}

TEST_F(StaticFiles, NothingOutsideTheRootIsServedBeforeOrAfterTheRootWasRead) {
  for (int pass = 0; pass < 2; ++pass) {
    EXPECT_FALSE(get("/../secret.txt"));
    EXPECT_FALSE(get("/assets/../../secret.txt"));
    EXPECT_FALSE(get("/assets\\..\\..\\secret.txt"));
    EXPECT_FALSE(get("relative"));
    EXPECT_FALSE(get("/assets"));
    ASSERT_TRUE(get("/index.html"));
  }
  Request post = get_request("/index.html");
  post.method = "POST";
  EXPECT_FALSE(web_.serve(post));
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

TEST_F(StaticFiles, ASmallFileComesFromMemoryWithTheSameValidatorsAsFromDisk) {
  Response disk = from_disk("/assets/app-1a2b.js");
  for (int i = 0; i < 2; ++i) {
    auto cached = get("/assets/app-1a2b.js");
    ASSERT_TRUE(cached && cached->shared_body);
    EXPECT_FALSE(cached->file);
    EXPECT_EQ(*cached->shared_body, "console.log(1)");
    for (const char* name : {"ETag", "Last-Modified", "Accept-Ranges"})
      EXPECT_EQ(header_of(*cached, name), header_of(disk, name)) << name;
  }
  EXPECT_EQ(get("/assets/app-1a2b.js", {{"if-none-match", header_of(disk, "ETag")}})->status, 304);
}

TEST_F(StaticFiles, AFileReplacedOnDiskIsServedAnewAndAVanishedOneIsNotFound) {
  ASSERT_EQ(*get("/index.html")->shared_body, "<!doctype html>");
  replace(root_ / "web" / "index.html", "<!doctype html><p>rebuilt");
  auto again = get("/index.html");
  ASSERT_TRUE(again && again->shared_body);
  EXPECT_EQ(*again->shared_body, "<!doctype html><p>rebuilt");
  EXPECT_EQ(header_of(*again, "ETag"), header_of(from_disk("/index.html"), "ETag"));
  fs::remove(root_ / "web" / "index.html");
  EXPECT_FALSE(get("/index.html"));
  EXPECT_FALSE(get("/"));
}

// Between confirmations a hit is answered from what was remembered, without a stat(); the first
// hit after the window sees the file rebuilt, and one removed.
TEST_F(StaticFiles, AReplacedFileIsSeenOnTheFirstHitAfterTheConfirmationWindow) {
  WebRoot web(root_ / "web", std::chrono::milliseconds(400));
  const auto body = [&web](const std::string& path) {
    auto r = web.serve(get_request(path));
    return r && r->shared_body ? *r->shared_body : std::string("(none)");
  };
  ASSERT_EQ(body("/index.html"), "<!doctype html>");
  replace(root_ / "web" / "index.html", "<!doctype html><p>rebuilt");
  EXPECT_EQ(body("/index.html"), "<!doctype html>");
  ::usleep(450'000);
  EXPECT_EQ(body("/index.html"), "<!doctype html><p>rebuilt");
  fs::remove(root_ / "web" / "index.html");
  EXPECT_EQ(body("/index.html"), "<!doctype html><p>rebuilt");
  ::usleep(450'000);
  EXPECT_EQ(body("/index.html"), "(none)");
}

TEST_F(StaticFiles, ALargeFileIsSentFromDisk) {
  std::string big(kSendfileFrom, 'x');
  std::ofstream(root_ / "web" / "big.bin", std::ios::binary) << big;
  for (int i = 0; i < 2; ++i) {
    auto r = get("/big.bin");
    ASSERT_TRUE(r && r->file);
    EXPECT_FALSE(r->shared_body);
    EXPECT_EQ(r->file->length, big.size());
  }
}

// A large file is kept open: the response carries the descriptor, whose bytes are the file's;
// a file put in its place (same size, another inode) is opened anew, never sent from the old one.
TEST_F(StaticFiles, ALargeFileIsKeptOpenAndAReplacedOneIsOpenedAnew) {
  const auto first_bytes = [](const Response& r) {
    std::string bytes(16, '\0');
    const ssize_t n = ::pread(r.file->open->fd(), bytes.data(), bytes.size(), 0);
    bytes.resize(static_cast<std::size_t>(std::max<ssize_t>(n, 0)));
    return bytes;
  };
  std::ofstream(root_ / "web" / "photo.jpg", std::ios::binary) << std::string(kSendfileFrom, 'x');
  auto before = get("/photo.jpg");
  ASSERT_TRUE(before && before->file && before->file->open);
  EXPECT_EQ(first_bytes(*before), std::string(16, 'x'));
  EXPECT_EQ(get("/photo.jpg")->file->open, before->file->open);  // kept, not opened per request
  replace(root_ / "web" / "photo.jpg", std::string(kSendfileFrom, 'y'));
  auto after = get("/photo.jpg");
  ASSERT_TRUE(after && after->file && after->file->open);
  EXPECT_NE(after->file->open, before->file->open);
  EXPECT_EQ(first_bytes(*after), std::string(16, 'y'));
}

std::string contents_of(const OpenFile& file) {
  std::string out;
  char buf[4096];
  for (off_t at = 0;;) {
    const ssize_t n = ::pread(file.fd(), buf, sizeof buf, at);
    if (n <= 0) return out;
    out.append(buf, static_cast<std::size_t>(n));
    at += n;
  }
}

TEST(BodyFiles, ABodyIsKeptInAFileOfTheSameBytesMadeOnceWhileTheBodyLives) {
  BodyFiles files;
  std::string bytes(100'000, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 7 % 251);
  auto body = std::make_shared<const std::string>(bytes);
  auto file = files.file_of(body);
  ASSERT_TRUE(file);
  EXPECT_EQ(contents_of(*file), bytes);
  EXPECT_EQ(files.file_of(body), file);
  auto other = std::make_shared<const std::string>("another body");
  auto other_file = files.file_of(other);
  ASSERT_TRUE(other_file);
  EXPECT_NE(other_file, file);
  EXPECT_EQ(contents_of(*other_file), "another body");
}

TEST(BodyFiles, ABodyMadeWhereAnEndedOneLivedGetsAFileOfItsOwnBytes) {
  BodyFiles files;
  std::weak_ptr<const OpenFile> first_file;
  const std::string* first_address = nullptr;
  {
    auto first = std::make_shared<const std::string>(std::string(40'000, 'a'));
    first_address = first.get();
    first_file = files.file_of(first);
  }
  // The allocator often hands the same block to the next body of that size: whether or not it
  // does here, the file must hold the new bytes, never the ended body's.
  auto second = std::make_shared<const std::string>(std::string(40'000, 'b'));
  auto file = files.file_of(second);
  ASSERT_TRUE(file);
  EXPECT_EQ(contents_of(*file), std::string(40'000, 'b'));
  if (second.get() == first_address) EXPECT_NE(file, first_file.lock());
  // Ended bodies' files are let go once enough entries are made.
  for (int i = 0; i < 40; ++i) files.file_of(std::make_shared<const std::string>(std::to_string(i)));
  EXPECT_FALSE(first_file.lock());
}

}  // namespace
}  // namespace praktika::net
