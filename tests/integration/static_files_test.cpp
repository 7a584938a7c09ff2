#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "net/static_files.h"
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

// Sends `requests` as they are on one connection and returns everything the server wrote until
// it closed the connection (or 5 s passed).
std::string exchange_raw(int port, const std::string& requests) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  std::string received;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      ::send(fd, requests.data(), requests.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(requests.size())) {
    char chunk[16384];
    for (ssize_t n; (n = ::recv(fd, chunk, sizeof chunk, 0)) > 0;)
      received.append(chunk, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return received;
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The web root's files are kept in memory after the first read: a file replaced on disk must
// still be served new at once, and the response heads written without Beast must keep HTTP/1.0
// and HTTP/1.1 keep-alive as clients expect.
class WebRootFromMemory : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(web_.path());
    write("index.html", "<!doctype html><title>one</title>");
    photo_ = std::string(10 * 1024, 'a');
    write("photo.jpg", photo_);
    auto started = ServerProcess::start({.data_dir = data_.path(), .extra_args = {"--web", web_.path().string()}});
    ASSERT_TRUE(started);
    server_ = std::move(*started);
  }
  void write(const std::string& name, const std::string& content) {
    auto next = web_.path() / (name + ".next");
    std::ofstream(next, std::ios::binary) << content;
    std::filesystem::rename(next, web_.path() / name);  // a new inode, as a rebuild leaves it
  }
  TempDir data_;
  TempDir web_;
  std::string photo_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(WebRootFromMemory, AFileReplacedOnDiskIsServedAnewOnceConfirmed) {
  HttpClient http(server_->port());
  for (int i = 0; i < 3; ++i) {
    auto r = http.get("/photo.jpg");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.body, photo_);
    EXPECT_EQ(r.headers["content-type"], "image/jpeg");
    EXPECT_EQ(r.headers["x-content-type-options"], "nosniff");
  }
  std::string etag = http.get("/photo.jpg").headers["etag"];
  EXPECT_EQ(http.request("GET", "/photo.jpg", "", {{"If-None-Match", etag}}).status, 304);
  write("photo.jpg", std::string(10 * 1024, 'b'));
  std::this_thread::sleep_for(net::WebRoot::kConfirmEvery + 100ms);  // until the server looks again
  auto after = http.get("/photo.jpg");
  EXPECT_EQ(after.body, std::string(10 * 1024, 'b'));
  EXPECT_NE(after.headers["etag"], etag);
  auto head = http.request("HEAD", "/photo.jpg");
  EXPECT_EQ(head.headers["content-length"], std::to_string(10 * 1024));
  EXPECT_TRUE(head.body.empty());
  std::filesystem::remove(web_.path() / "photo.jpg");
  std::this_thread::sleep_for(net::WebRoot::kConfirmEvery + 100ms);
  EXPECT_EQ(http.get("/photo.jpg").status, 404);
  EXPECT_EQ(http.get("/").body, "<!doctype html><title>one</title>");
}

// A file over one 64 KB segment leaves corked (head and file held until the last byte): on a kept
// connection the answers after it, a range of it and a small file from memory, come whole, in order.
TEST_F(WebRootFromMemory, AFileOverOneSegmentAndTheAnswersAfterItArriveWholeInOrder) {
  std::string big(200 * 1024, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>((i * 2654435761u) >> 24);
  write("big.bin", big);
  std::string got = exchange_raw(server_->port(),
                                 "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n"
                                 "GET /big.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=70000-139999\r\n\r\n"
                                 "GET /photo.jpg HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const auto first = got.find("\r\n\r\n");
  ASSERT_NE(first, std::string::npos) << got.substr(0, 200);
  EXPECT_TRUE(got.starts_with("HTTP/1.1 200 OK\r\n")) << got.substr(0, 200);
  EXPECT_EQ(got.substr(first + 4, big.size()), big);
  const std::string rest = got.substr(first + 4 + big.size());
  ASSERT_TRUE(rest.starts_with("HTTP/1.1 206 Partial Content\r\n")) << rest.substr(0, 200);
  const auto second = rest.find("\r\n\r\n");
  EXPECT_EQ(rest.substr(second + 4, 70000), big.substr(70000, 70000));
  const std::string last = rest.substr(second + 4 + 70000);
  EXPECT_TRUE(last.starts_with("HTTP/1.1 200 OK\r\n")) << last.substr(0, 200);
  EXPECT_TRUE(last.ends_with(photo_));
}

TEST_F(WebRootFromMemory, KeepAliveFollowsTheHttpVersionAndTheConnectionHeader) {
  // HTTP/1.0 keeps the connection only when asked, and says so; the second request did not ask.
  std::string one_zero = exchange_raw(server_->port(),
                                      "GET /photo.jpg HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                                      "GET /photo.jpg HTTP/1.0\r\n\r\n");
  EXPECT_EQ(count_of(one_zero, "HTTP/1.0 200 OK\r\n"), 2u) << one_zero.substr(0, 400);
  EXPECT_EQ(count_of(one_zero, "\r\nConnection: keep-alive\r\n"), 1u);
  EXPECT_EQ(count_of(one_zero, "\r\nContent-Length: 10240\r\n"), 2u);
  EXPECT_EQ(count_of(one_zero, photo_), 2u);
  // HTTP/1.1 keeps it unless told otherwise; "Connection: close" is answered in kind.
  std::string one_one = exchange_raw(server_->port(),
                                     "GET /photo.jpg HTTP/1.1\r\nHost: x\r\n\r\n"
                                     "GET /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                                     "GET /photo.jpg HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(count_of(one_one, "HTTP/1.1 200 OK\r\n"), 2u) << one_one.substr(0, 400);
  EXPECT_EQ(count_of(one_one, "\r\nConnection: close\r\n"), 1u);
  EXPECT_EQ(count_of(one_one, photo_), 1u);
  EXPECT_TRUE(one_one.ends_with("<!doctype html><title>one</title>"));
  // A 304 has no body and no Content-Length. The last response was the page's.
  std::string etag_line = one_one.substr(one_one.rfind("ETag: "));
  std::string etag = etag_line.substr(6, etag_line.find("\r\n") - 6);
  std::string not_modified =
      exchange_raw(server_->port(), "GET /index.html HTTP/1.1\r\nHost: x\r\nIf-None-Match: " + etag +
                                        "\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(not_modified.starts_with("HTTP/1.1 304 Not Modified\r\n")) << not_modified;
  EXPECT_EQ(not_modified.find("Content-Length"), std::string::npos);
  EXPECT_TRUE(not_modified.ends_with("\r\n\r\n"));
}

}  // namespace
}  // namespace praktika::test
