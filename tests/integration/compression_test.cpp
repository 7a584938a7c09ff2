#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <regex>

#include "support/bytes.h"
#include "support/client.h"
#include "support/gzip.h"
#include "support/server_process.h"

namespace praktika::test {
namespace {

// Brotli is decoded by node's zlib (node builds the front end, so it is here): the test needs no
// brotli library of its own.
std::string unbrotli(const std::string& bytes, const std::filesystem::path& dir) {
  const auto in = dir / "body.br", out = dir / "body";
  std::ofstream(in, std::ios::binary) << bytes;
  const std::string command = "node -e \"const z=require('zlib'),f=require('fs');f.writeFileSync('" + out.string() +
                              "',z.brotliDecompressSync(f.readFileSync('" + in.string() + "')))\" 2>/dev/null";
  if (std::system(command.c_str()) != 0) return "<not brotli>";
  return read_file(out);
}

// The front end's script as index.html names it.
std::string main_script() {
  std::smatch found;
  const std::string index = read_file(source_dir() / "web/dist/index.html");
  return std::regex_search(index, found, std::regex(R"(src="(/assets/index-[^"]+\.js)\")")) ? found[1].str() : "";
}

class Compression : public ::testing::Test {
 protected:
  void SetUp() override {
    script_ = main_script();
    ASSERT_FALSE(script_.empty()) << "build the web front end first (npm run build in web/)";
    script_bytes_ = read_file(source_dir() / "web/dist" / script_.substr(1));
    auto started = ServerProcess::start({.data_dir = data_.path()});
    ASSERT_TRUE(started);
    server_ = std::move(*started);
  }
  HttpResult get(const std::string& target, const std::string& accept_encoding,
                 std::map<std::string, std::string> headers = {}) {
    headers["Accept-Encoding"] = accept_encoding;
    return HttpClient(server_->port()).request("GET", target, "", headers);
  }
  TempDir data_;
  TempDir scratch_;
  std::string script_;
  std::string script_bytes_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(Compression, TheFrontEndsScriptIsSentInTheBestCodingTheClientAccepts) {
  auto br = get(script_, "gzip, deflate, br");
  auto gzip = get(script_, "gzip, deflate");
  auto identity = get(script_, "");
  for (const auto* r : {&br, &gzip, &identity}) {
    ASSERT_EQ(r->status, 200);
    EXPECT_EQ(r->headers.at("vary"), "Accept-Encoding");
    EXPECT_EQ(r->headers.at("content-length"), std::to_string(r->body.size()));
    EXPECT_EQ(r->headers.at("content-type"), "text/javascript; charset=utf-8");
  }
  EXPECT_EQ(br.headers["content-encoding"], "br");
  EXPECT_EQ(unbrotli(br.body, scratch_.path()), script_bytes_);
  EXPECT_EQ(gzip.headers["content-encoding"], "gzip");
  EXPECT_EQ(gunzip(gzip.body), script_bytes_);
  EXPECT_EQ(identity.headers.count("content-encoding"), 0u);
  EXPECT_EQ(identity.body, script_bytes_);
  EXPECT_LT(br.body.size(), gzip.body.size());
  EXPECT_LT(gzip.body.size(), script_bytes_.size() / 2);
  EXPECT_NE(br.headers["etag"], gzip.headers["etag"]);
  EXPECT_NE(gzip.headers["etag"], identity.headers["etag"]);
}

TEST_F(Compression, ACodingRefusedWithQualityZeroIsNotSent) {
  EXPECT_EQ(get(script_, "br;q=0, gzip").headers["content-encoding"], "gzip");
  auto none = get(script_, "br;q=0, gzip;q=0");
  EXPECT_EQ(none.headers.count("content-encoding"), 0u);
  EXPECT_EQ(none.body, script_bytes_);
}

TEST_F(Compression, EachCodingIsRevalidatedByItsOwnEtag) {
  auto br = get(script_, "br");
  auto again = get(script_, "br", {{"If-None-Match", br.headers["etag"]}});
  EXPECT_EQ(again.status, 304);
  EXPECT_EQ(again.headers["vary"], "Accept-Encoding");
  // The brotli copy's ETag does not validate the gzip one a client without brotli gets.
  EXPECT_EQ(get(script_, "gzip", {{"If-None-Match", br.headers["etag"]}}).status, 200);
}

TEST_F(Compression, TheSinglePageOfAClientRouteIsCompressedToo) {
  auto page = get("/events/irkutsk-2020", "gzip");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.headers["content-encoding"], "gzip");
  EXPECT_EQ(gunzip(page.body), read_file(source_dir() / "web/dist/index.html"));
}

TEST_F(Compression, ABigJsonAnswerIsGzippedAndASmallOneIsNot) {
  auto plain = get("/api/events/irkutsk-2020", "");
  auto gzipped = get("/api/events/irkutsk-2020", "gzip, br");
  ASSERT_EQ(plain.status, 200);
  ASSERT_GT(plain.body.size(), 10'000u);
  EXPECT_EQ(plain.headers.count("content-encoding"), 0u);
  EXPECT_EQ(plain.headers["vary"], "Accept-Encoding");
  EXPECT_EQ(gzipped.headers["content-encoding"], "gzip");
  EXPECT_EQ(gzipped.headers["vary"], "Accept-Encoding");
  EXPECT_EQ(gzipped.headers["content-length"], std::to_string(gzipped.body.size()));
  EXPECT_LT(gzipped.body.size(), plain.body.size() / 3);
  EXPECT_EQ(gunzip(gzipped.body), plain.body);
  auto health = get("/api/health", "gzip, br");
  ASSERT_EQ(health.status, 200);
  ASSERT_LT(health.body.size(), 1024u);
  EXPECT_EQ(health.headers.count("content-encoding"), 0u);
  EXPECT_FALSE(health.json().is_null());
}

TEST_F(Compression, TheGzippedEventIsRevalidatedByItsEtag) {
  auto first = get("/api/events/irkutsk-2020", "gzip");
  ASSERT_EQ(first.headers["content-encoding"], "gzip");
  auto again = get("/api/events/irkutsk-2020", "gzip", {{"If-None-Match", first.headers["etag"]}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
}

// A compressed copy left by an earlier build, older than the file beside it, is never sent.
class CompressedCopies : public ::testing::Test {
 protected:
  void SetUp() override {
    script_ = "console.log('" + std::string(4000, 'n') + "');";
    write("app.js.gz", "stale bytes, not even gzip");
    write("app.js", script_);
    std::filesystem::last_write_time(web_.path() / "app.js.gz",
                                     std::filesystem::last_write_time(web_.path() / "app.js") - std::chrono::hours(1));
    write("index.html", "<!doctype html>");
    auto started = ServerProcess::start({.data_dir = data_.path(), .extra_args = {"--web", web_.path().string()}});
    ASSERT_TRUE(started);
    server_ = std::move(*started);
  }
  void write(const std::string& name, const std::string& content) {
    std::ofstream(web_.path() / name, std::ios::binary) << content;
  }
  TempDir data_;
  TempDir web_;
  std::string script_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(CompressedCopies, ACopyOlderThanItsFileIsIgnored) {
  auto r = HttpClient(server_->port()).request("GET", "/app.js", "", {{"Accept-Encoding", "gzip"}});
  ASSERT_EQ(r.status, 200);
  // Without a usable copy the file is gzipped as any answer from memory is.
  EXPECT_EQ(r.headers["content-encoding"], "gzip");
  EXPECT_EQ(gunzip(r.body), script_);
}

}  // namespace
}  // namespace praktika::test
