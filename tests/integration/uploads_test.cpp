#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include "support/bytes.h"
#include "support/client.h"
#include "support/docx_builder.h"
#include "support/media_fixtures.h"
#include "support/server_process.h"

namespace praktika::test {
namespace {

using nlohmann::json;
namespace files = praktika::media::testing;
namespace docx = praktika::documents::testing;

const std::string kOpen = "2020-06-20T10:00:00+08:00";
const std::string kCreate = "/api/events/irkutsk-2020/uploads";

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Sends a PATCH whose header announces all of `bytes` but closes after `sent` of them: a
// connection that broke mid-upload.
void patch_cut_off(int port, const std::string& cookie, const std::string& location, std::uint64_t offset,
                   const std::string& bytes, std::size_t sent) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
  const std::string site = "127.0.0.1:" + std::to_string(port);
  std::string head = "PATCH " + location + " HTTP/1.1\r\nHost: " + site + "\r\nOrigin: http://" + site +
                     "\r\nCookie: " + cookie +
                     "\r\nTus-Resumable: 1.0.0\r\nContent-Type: application/offset+octet-stream\r\nUpload-Offset: " +
                     std::to_string(offset) + "\r\nContent-Length: " + std::to_string(bytes.size()) + "\r\n\r\n";
  boost::asio::write(socket, boost::asio::buffer(head));
  boost::asio::write(socket, boost::asio::buffer(bytes.data(), sent));
  socket.close();
}

class Uploads : public ::testing::Test {
 protected:
  void start(const std::string& clock = kOpen) {
    server_.reset();
    auto started = ServerProcess::start({.data_dir = data_.path(), .clock = clock});
    ASSERT_TRUE(started) << started.status().message();
    server_ = std::move(*started);
  }
  void SetUp() override { start(); }
  std::unique_ptr<HttpClient> user(const std::string& email) {
    auto http = std::make_unique<HttpClient>(server_->port());
    http->post("/api/auth/register", {{"email", email}, {"password", "пароль участника"}, {"full_name", email}});
    return http;
  }
  HttpResult create(HttpClient& http, const std::string& purpose, std::size_t length, const std::string& name) {
    return http.request("POST", kCreate + "?purpose=" + purpose, "",
                        {{"Tus-Resumable", "1.0.0"},
                         {"Upload-Length", std::to_string(length)},
                         {"Upload-Metadata", "filename " + base64(name) + ",filetype " + base64("video/mp4")}});
  }
  // The upload of a payment scan `scan` made (nothing sent yet); its location, or empty on a failure.
  std::string created_scan(HttpClient& http, const std::string& scan) {
    auto created = http.request("POST", kCreate + "?purpose=payment", "",
                                {{"Tus-Resumable", "1.0.0"},
                                 {"Upload-Length", std::to_string(scan.size())},
                                 {"Upload-Metadata", "filename " + base64("scan.jpg")}});
    EXPECT_EQ(created.status, 201) << created.body;
    return created.status == 201 ? created.headers["location"] : "";
  }
  HttpResult patch(HttpClient& http, const std::string& location, std::uint64_t offset, const std::string& bytes) {
    return http.request("PATCH", location, bytes,
                        {{"Tus-Resumable", "1.0.0"},
                         {"Content-Type", "application/offset+octet-stream"},
                         {"Upload-Offset", std::to_string(offset)}});
  }
  std::uint64_t offset_of(HttpClient& http, const std::string& location) {
    auto head = http.request("HEAD", location, "", {{"Tus-Resumable", "1.0.0"}});
    return std::stoull(head.headers["upload-offset"]);
  }

  TempDir data_;
  files::TempDir work_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(Uploads, AVideoArrivesInPiecesAndIsKeptByteForByte) {
  ASSERT_TRUE(files::make_cheap_video(work_ / "dance.mp4", 20));
  std::string video = read(work_ / "dance.mp4");
  auto anna = user("anna@dom.ru");
  auto created = create(*anna, "flashmob", video.size(), "Танец.mp4");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.headers["tus-resumable"], "1.0.0");
  std::string location = created.headers["location"];
  ASSERT_EQ(location.rfind("/api/uploads/", 0), 0u);

  size_t half = video.size() / 2;
  auto first = patch(*anna, location, 0, video.substr(0, half));
  ASSERT_EQ(first.status, 204) << first.body;
  EXPECT_EQ(first.headers["upload-offset"], std::to_string(half));
  EXPECT_EQ(offset_of(*anna, location), half);
  auto last = patch(*anna, location, half, video.substr(half));
  ASSERT_EQ(last.status, 204) << last.body;
  auto info = anna->get(location).json();
  EXPECT_EQ(info["state"], "complete");
  EXPECT_EQ(info["verdict"]["kind"], "video");
  EXPECT_EQ(info["file_name"], "Танец.mp4");
  EXPECT_EQ(read(data_.path() / "files" / info["id"].get<std::string>()), video);

  auto slice = anna->request("GET", location + "/file", "", {{"Range", "bytes=100-199"}});
  EXPECT_EQ(slice.status, 206);
  EXPECT_EQ(slice.headers["content-type"], "video/mp4");
  EXPECT_EQ(slice.body, video.substr(100, 100));
  auto eve = user("eve@dom.ru");
  EXPECT_EQ(eve->get(location + "/file").status, 404);
}

// The page cache's own account of a file (cachestat(2), Linux 6.5): its pages still dirty or being
// written. Empty when the kernel cannot tell (older kernels, tmpfs, where nothing is written back).
struct PagesNotOnDisk {
  std::uint64_t dirty = 0;
  std::uint64_t writeback = 0;
};
std::optional<PagesNotOnDisk> pages_not_on_disk(const std::filesystem::path& file) {
  struct statfs fs {};
  if (::statfs(file.c_str(), &fs) != 0 || fs.f_type == TMPFS_MAGIC) return std::nullopt;
  struct Range {
    std::uint64_t off = 0, len = 0;  // len 0: to the end of the file
  } range;
  struct Stat {
    std::uint64_t cache, dirty, writeback, evicted, recently_evicted;
  } stat{};
  constexpr long kCachestat = 451;  // the same number on every architecture
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  const long rc = ::syscall(kCachestat, fd, &range, &stat, 0);
  ::close(fd);
  if (rc != 0) return std::nullopt;
  return PagesNotOnDisk{stat.dirty, stat.writeback};
}

// The server starts the disk's writes every 8 MB of a body (sync_file_range) and flushes the file
// before it answers the last PATCH, so a power cut after the answer cannot lose the author's video;
// and neither changes a byte of what is being appended.
TEST_F(Uploads, ALargeVideoInOneRequestIsOnTheDiskByteForByteWhenAnswered) {
  ASSERT_TRUE(files::make_cheap_video(work_ / "clip.mp4", 2));
  std::string video = read(work_ / "clip.mp4");
  const std::uint32_t box = 20u << 20;  // an MP4 `free` box: any reader skips it
  video += {static_cast<char>(box >> 24), static_cast<char>(box >> 16), static_cast<char>(box >> 8),
            static_cast<char>(box)};
  video += "free";
  for (std::uint32_t i = 8; i < box; ++i) video += static_cast<char>((i * 2654435761u) >> 24);
  auto anna = user("anna@dom.ru");
  auto created = create(*anna, "flashmob", video.size(), "Большой танец.mp4");
  ASSERT_EQ(created.status, 201) << created.body;
  auto whole = patch(*anna, created.headers["location"], 0, video);
  ASSERT_EQ(whole.status, 204) << whole.body;
  auto info = anna->get(created.headers["location"]).json();
  EXPECT_EQ(info["state"], "complete") << info.dump();
  const std::string stored = read(data_.path() / "files" / info["id"].get<std::string>());
  EXPECT_EQ(stored.size(), video.size());
  EXPECT_TRUE(stored == video) << "the stored file differs from the body sent";
  auto pending = pages_not_on_disk(data_.path() / "files" / info["id"].get<std::string>());
  if (!pending) GTEST_SKIP() << "this kernel or filesystem cannot tell a file's dirty pages (cachestat)";
  EXPECT_EQ(pending->dirty, 0u) << "pages of the answered upload were still only in memory";
  EXPECT_EQ(pending->writeback, 0u) << "pages of the answered upload were still being written";
}

TEST_F(Uploads, FilesSentForAPracticeAreListedWithIt) {
  auto anna = user("anna@dom.ru");
  auto practice = anna->post("/api/events/irkutsk-2020/practices", {{"section", 2}, {"type", "pilot"}}).json();
  std::string id = std::to_string(practice["id"].get<int>());
  files::write_pptx(work_ / "show.pptx", 5);
  std::string show = read(work_ / "show.pptx");
  auto created = anna->request("POST", kCreate + "?purpose=flashmob", "",
                               {{"Tus-Resumable", "1.0.0"},
                                {"Upload-Length", std::to_string(show.size())},
                                {"Upload-Metadata", "filename " + base64("show.pptx") + ",practice " + base64(id)}});
  ASSERT_EQ(created.status, 201);
  ASSERT_EQ(patch(*anna, created.headers["location"], 0, show).status, 204);
  auto files_of = anna->get("/api/events/irkutsk-2020/practices/" + id).json()["files"];
  ASSERT_EQ(files_of.size(), 1u);
  EXPECT_EQ(files_of[0]["file_name"], "show.pptx");
  EXPECT_EQ(files_of[0]["verdict"]["slides"], 5);
}

TEST_F(Uploads, APracticeDocumentCarriesItsFormattingFindingsWhenComplete) {
  auto anna = user("anna@dom.ru");
  auto arial = docx::Docx::compliant();
  arial.body[docx::kBody] = docx::para("Основной текст набран другим шрифтом.", "",
                                       "<w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\" w:cs=\"Arial\"/>");
  auto bytes = arial.bytes();
  std::string file(bytes.begin(), bytes.end());
  auto created = create(*anna, "document", file.size(), "Описание.docx");
  ASSERT_EQ(created.status, 201) << created.body;
  auto done = patch(*anna, created.headers["location"], 0, file);
  ASSERT_EQ(done.status, 204) << done.body;
  auto verdict = anna->get(created.headers["location"]).json()["verdict"];
  // The file itself is fine (a Word file within its size) and kept; its formatting is reported.
  EXPECT_EQ(verdict["ok"], true) << verdict.dump();
  ASSERT_TRUE(verdict["formatting"].is_object()) << verdict.dump();
  EXPECT_EQ(verdict["formatting"]["ok"], false);
  ASSERT_FALSE(verdict["formatting"]["findings"].empty());
  auto finding = verdict["formatting"]["findings"][0];
  EXPECT_EQ(finding["rule"], "font");
  EXPECT_FALSE(finding["where"].get<std::string>().empty());

  auto good = docx::Docx::compliant().bytes();
  std::string compliant(good.begin(), good.end());
  auto second = create(*anna, "document", compliant.size(), "Описание.docx");
  ASSERT_EQ(patch(*anna, second.headers["location"], 0, compliant).status, 204);
  EXPECT_EQ(anna->get(second.headers["location"]).json()["verdict"]["formatting"]["ok"], true);

  // Other purposes are not read as documents.
  files::write_pdf(work_ / "scan.pdf", 1);
  std::string pdf = read(work_ / "scan.pdf");
  auto scan = create(*anna, "payment", pdf.size(), "чек.pdf");
  ASSERT_EQ(patch(*anna, scan.headers["location"], 0, pdf).status, 204);
  EXPECT_FALSE(anna->get(scan.headers["location"]).json()["verdict"].contains("formatting"));
}

TEST_F(Uploads, AnUploadCutAtSixtyPercentResumesAfterAServerRestart) {
  ASSERT_TRUE(files::make_cheap_video(work_ / "song.mp4", 40));
  std::string video = read(work_ / "song.mp4");
  auto anna = user("anna@dom.ru");
  auto created = create(*anna, "flashmob", video.size(), "song.mp4");
  ASSERT_EQ(created.status, 201);
  std::string location = created.headers["location"];
  std::size_t cut = video.size() * 6 / 10;
  patch_cut_off(server_->port(), anna->cookie_header(), location, 0, video, cut);
  // The server keeps what arrived; give it a moment to write the last chunk.
  for (int i = 0; i < 50 && offset_of(*anna, location) < cut; ++i) std::this_thread::sleep_for(50ms);

  server_->kill();
  start();
  HttpClient resumed(server_->port());
  std::string cookie = anna->cookie_header();
  auto head = resumed.request("HEAD", location, "", {{"Cookie", cookie}, {"Tus-Resumable", "1.0.0"}});
  ASSERT_EQ(head.status, 200);
  std::uint64_t offset = std::stoull(head.headers["upload-offset"]);
  EXPECT_EQ(offset, cut);
  auto rest = resumed.request("PATCH", location, video.substr(offset),
                              {{"Cookie", cookie},
                               {"Tus-Resumable", "1.0.0"},
                               {"Content-Type", "application/offset+octet-stream"},
                               {"Upload-Offset", std::to_string(offset)}});
  ASSERT_EQ(rest.status, 204) << rest.body;
  auto info = resumed.request("GET", location, "", {{"Cookie", cookie}}).json();
  EXPECT_EQ(info["state"], "complete");
  EXPECT_EQ(read(data_.path() / "files" / info["id"].get<std::string>()), video);
}

TEST_F(Uploads, WrongOffsetsTypesAndStrangersAreRefusedWithoutTouchingTheFile) {
  auto anna = user("anna@dom.ru");
  auto created = create(*anna, "flashmob", 1000, "a.mp4");
  std::string location = created.headers["location"];
  ASSERT_EQ(patch(*anna, location, 0, std::string(100, 'a')).status, 204);
  auto wrong = patch(*anna, location, 50, std::string(10, 'b'));
  EXPECT_EQ(wrong.status, 409);
  EXPECT_EQ(wrong.error_code(), "offset_mismatch");
  auto type = anna->request("PATCH", location, "x",
                            {{"Content-Type", "text/plain"}, {"Upload-Offset", "100"}, {"Tus-Resumable", "1.0.0"}});
  EXPECT_EQ(type.status, 415);
  auto eve = user("eve@dom.ru");
  EXPECT_EQ(patch(*eve, location, 100, "zzz").status, 404);
  EXPECT_EQ(eve->get(location).status, 404);
  HttpClient anonymous(server_->port());
  EXPECT_EQ(patch(anonymous, location, 100, "zzz").status, 401);
  EXPECT_EQ(offset_of(*anna, location), 100u);
  auto too_much = patch(*anna, location, 100, std::string(901, 'c'));
  EXPECT_EQ(too_much.status, 413);
  EXPECT_EQ(offset_of(*anna, location), 100u);
}

TEST_F(Uploads, CreationChecksPurposeSizeAndQuota) {
  auto anna = user("anna@dom.ru");
  EXPECT_EQ(create(*anna, "poetry", 10, "x").error_code(), "unknown_purpose");
  EXPECT_EQ(create(*anna, "photo", 6 << 20, "x.jpg").error_code(), "file_too_large");
  auto no_length = anna->request("POST", kCreate + "?purpose=photo", "", {{"Tus-Resumable", "1.0.0"}});
  EXPECT_EQ(no_length.error_code(), "upload_length");
  auto bad_meta = anna->request("POST", kCreate + "?purpose=photo", "",
                                {{"Upload-Length", "10"}, {"Upload-Metadata", "filename %%%not-base64"}});
  EXPECT_EQ(bad_meta.error_code(), "upload_metadata");
  // Three flashmob videos of 1000 MB each fill the 3 GB quota; the fourth is refused.
  for (int i = 0; i < 3; ++i) ASSERT_EQ(create(*anna, "flashmob", 1000ULL << 20, "v.mp4").status, 201);
  EXPECT_EQ(create(*anna, "flashmob", 200ULL << 20, "v.mp4").error_code(), "quota_exceeded");
}

TEST_F(Uploads, AFileThatBreaksItsRuleIsRejectedNamingTheRuleAndIsNotKept) {
  ASSERT_TRUE(files::ffmpeg("-f lavfi -i testsrc=size=320x240 -frames:v 1", work_ / "small.jpg"));
  std::string photo = read(work_ / "small.jpg");
  auto anna = user("anna@dom.ru");
  auto created = create(*anna, "photo", photo.size(), "фото.jpg");
  ASSERT_EQ(created.status, 201);
  auto last = patch(*anna, created.headers["location"], 0, photo);
  EXPECT_EQ(last.status, 422);
  EXPECT_EQ(last.error_code(), "file_rejected");
  EXPECT_EQ(last.json()["error"]["details"]["findings"][0]["rule"], "size") << last.body;
  EXPECT_EQ(anna->get(created.headers["location"]).json()["state"], "rejected");
  EXPECT_TRUE(std::filesystem::is_empty(data_.path() / "files"));
}

// The form closes at the end of 28 June; clause 5.5 takes materials until the end of 29 June
// (files.flashmob.accepted_until), and one under way may be finished within the grace after that.
TEST_F(Uploads, NewUploadsStopAtTheClosingInstantButOneUnderWayMayFinish) {
  auto anna = user("anna@dom.ru");
  ASSERT_TRUE(files::make_cheap_video(work_ / "late.mp4", 10));
  std::string video = read(work_ / "late.mp4");
  auto created = create(*anna, "flashmob", video.size(), "late.mp4");
  ASSERT_EQ(created.status, 201);
  std::string location = created.headers["location"];
  ASSERT_EQ(patch(*anna, location, 0, video.substr(0, 100)).status, 204);
  std::string cookie = anna->cookie_header();

  start("2020-06-29T12:00:00+08:00");
  HttpClient next_day(server_->port());
  auto taken = next_day.request("POST", kCreate + "?purpose=flashmob", "",
                                {{"Cookie", cookie}, {"Upload-Length", "10"}, {"Tus-Resumable", "1.0.0"}});
  EXPECT_EQ(taken.status, 201) << "materials are taken on 29 June: " << taken.body;
  auto document = next_day.request("POST", kCreate + "?purpose=document", "",
                                  {{"Cookie", cookie}, {"Upload-Length", "10"}, {"Tus-Resumable", "1.0.0"}});
  EXPECT_EQ(document.status, 201) << "so is the Word document: " << document.body;

  start("2020-06-30T00:00:01+08:00");
  HttpClient late(server_->port());
  auto refused = late.request("POST", kCreate + "?purpose=flashmob", "",
                              {{"Cookie", cookie}, {"Upload-Length", "10"}, {"Tus-Resumable", "1.0.0"}});
  EXPECT_EQ(refused.error_code(), "deadline_passed");
  auto finished = late.request("PATCH", location, video.substr(100),
                               {{"Cookie", cookie},
                                {"Tus-Resumable", "1.0.0"},
                                {"Content-Type", "application/offset+octet-stream"},
                                {"Upload-Offset", "100"}});
  EXPECT_EQ(finished.status, 204) << finished.body;
}

TEST_F(Uploads, OneUnderWayIsRefusedOnceTheAgendasGraceAfterTheCloseHasPassed) {
  // Photos are taken until 30 June at 00:00 (+08:00: accepted_until, clause 5.5);
  // files.photo.finish_within_hours is 24.
  auto anna = user("anna@dom.ru");
  auto created = create(*anna, "photo", 4000, "scan.jpg");
  ASSERT_EQ(created.status, 201);
  const std::string location = created.headers["location"];
  ASSERT_EQ(patch(*anna, location, 0, std::string(1000, 'x')).status, 204);
  const std::string cookie = anna->cookie_header();
  const std::map<std::string, std::string> headers = {{"Cookie", cookie},
                                                      {"Tus-Resumable", "1.0.0"},
                                                      {"Content-Type", "application/offset+octet-stream"},
                                                      {"Upload-Offset", "1000"}};

  start("2020-07-01T00:00:01+08:00");
  HttpClient late(server_->port());
  auto refused = late.request("PATCH", location, std::string(1000, 'y'), headers);
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(refused.error_code(), "deadline_passed");
  EXPECT_EQ(refused.json()["error"]["details"]["until"], "2020-07-01T00:00:00+08:00") << refused.body;
  // «Обратитесь к организатору» says how: the organiser's address from the agenda.
  EXPECT_NE(refused.json()["error"]["message"].get<std::string>().find("обратитесь к организатору: attestovan38@mail.ru."),
            std::string::npos)
      << refused.body;
  // What had arrived is kept: the organiser may still ask for it.
  auto head = late.request("HEAD", location, "", {{"Cookie", cookie}, {"Tus-Resumable", "1.0.0"}});
  EXPECT_EQ(head.headers["upload-offset"], "1000");
}

TEST_F(Uploads, OptionsAdvertiseTheProtocol) {
  HttpClient http(server_->port());
  auto r = http.request("OPTIONS", "/api/uploads");
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.headers["tus-version"], "1.0.0");
  EXPECT_EQ(r.headers["tus-extension"], "creation,termination");
}

// A deletion removes an upload's bytes before its row, so on a full disk the row may outlive them.
// Such an upload stands for nothing: it is absent to every upload route, and a repeated DELETE
// removes the row.
TEST_F(Uploads, AnUploadWhoseBytesAreGoneIsAbsentUntilADeletionRemovesItsRow) {
  auto anna = user("anna@dom.ru");
  const std::string scan = docx::jpeg(100 << 10);
  const std::string location = created_scan(*anna, scan);
  ASSERT_FALSE(location.empty());
  ASSERT_EQ(patch(*anna, location, 0, scan).status, 204);
  const std::string id = anna->get(location).json()["id"];

  std::filesystem::remove(data_.path() / "files" / id);
  EXPECT_EQ(anna->get(location).status, 404);
  EXPECT_EQ(anna->get(location + "/file").status, 404);
  EXPECT_EQ(patch(*anna, location, scan.size(), "x").status, 404);
  EXPECT_EQ(anna->request("DELETE", location, "", {{"Tus-Resumable", "1.0.0"}}).status, 204);
  EXPECT_EQ(anna->request("DELETE", location, "", {{"Tus-Resumable", "1.0.0"}}).status, 404) << "the row is gone";
}

// Files others make from an upload (the gallery's page previews) are kept beside it as
// "<id>.<suffix>" and go with it.
TEST_F(Uploads, DeletingAnUploadRemovesTheFilesMadeFromIt) {
  auto anna = user("anna@dom.ru");
  const std::string scan = docx::jpeg(100 << 10);
  const std::string location = created_scan(*anna, scan);
  ASSERT_FALSE(location.empty());
  ASSERT_EQ(patch(*anna, location, 0, scan).status, 204);
  const std::string id = anna->get(location).json()["id"];
  const auto files = data_.path() / "files";
  std::filesystem::create_directories(files / (id + ".preview"));
  std::ofstream(files / (id + ".preview") / "1.png") << "page";

  EXPECT_EQ(anna->request("DELETE", location, "", {{"Tus-Resumable", "1.0.0"}}).status, 204);
  EXPECT_FALSE(std::filesystem::exists(files / id));
  EXPECT_FALSE(std::filesystem::exists(files / (id + ".preview")));
}

// Several instances may share one data directory. The lock on an upload is the part file's flock,
// not a set in one process's memory: a PATCH sent to the second instance while the first is
// appending is refused and appends nothing, so the file holds the body once.
TEST_F(Uploads, APatchToAnotherInstanceWhileOneIsAppendingIsRefusedAndAppendsNothing) {
  auto second = ServerProcess::start({.data_dir = data_.path(), .clock = kOpen});
  ASSERT_TRUE(second) << second.status().message();
  auto anna = user("anna@dom.ru");
  const std::string scan = docx::jpeg(600 << 10);
  const std::string location = created_scan(*anna, scan);
  ASSERT_FALSE(location.empty());
  auto headers = [&](std::uint64_t offset) {
    return std::map<std::string, std::string>{{"Cookie", anna->cookie_header()},
                                              {"Tus-Resumable", "1.0.0"},
                                              {"Content-Type", "application/offset+octet-stream"},
                                              {"Upload-Offset", std::to_string(offset)}};
  };

  // The first instance receives the start of the body and waits for the rest.
  const std::size_t first = 100 << 10;
  HeldRequest slow(server_->port(), "PATCH", location, scan.size(), headers(0));
  ASSERT_TRUE(slow.send(scan.substr(0, first)));
  for (int i = 0; i < 1000 && offset_of(*anna, location) < first; ++i) std::this_thread::sleep_for(10ms);
  ASSERT_EQ(offset_of(*anna, location), first);

  // The second sees the same offset on disk and is asked for the rest.
  HttpClient there((*second)->port());
  auto refused = there.request("PATCH", location, scan.substr(first), headers(first));
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(refused.error_code(), "upload_busy") << refused.body;

  ASSERT_TRUE(slow.send(scan.substr(first)));
  auto done = slow.answer();
  EXPECT_EQ(done.status, 204) << done.body;
  auto info = anna->get(location).json();
  EXPECT_EQ(info["state"], "complete");
  const std::string stored = read(data_.path() / "files" / info["id"].get<std::string>());
  EXPECT_EQ(stored.size(), scan.size()) << "the file must hold the body once";
  EXPECT_TRUE(stored == scan) << "the file must hold the body once";
}

// A video whose header comes first (MP4 with moov before the media data) declares its length in
// its first kilobytes: one that runs too long is refused while its bytes are still arriving.
TEST_F(Uploads, AVideoTooLongByItsHeaderIsRefusedBeforeHalfOfItArrives) {
  ASSERT_TRUE(files::ffmpeg("-f lavfi -i testsrc=size=320x240:rate=2 -t 301 -c:v mpeg4 -q:v 4 -movflags +faststart",
                            work_ / "long.mp4"));
  std::string video = read(work_ / "long.mp4");
  ASSERT_GT(video.size(), 1u << 20);
  ASSERT_EQ(video.substr(4, 4), "ftyp");
  auto anna = user("anna@dom.ru");
  auto created = create(*anna, "flashmob", video.size(), "Долгий танец.mp4");
  ASSERT_EQ(created.status, 201) << created.body;
  std::string location = created.headers["location"];

  HeldRequest held(server_->port(), "PATCH", location, video.size(),
                   {{"Cookie", anna->cookie_header()},
                    {"Tus-Resumable", "1.0.0"},
                    {"Content-Type", "application/offset+octet-stream"},
                    {"Upload-Offset", "0"}});
  const std::size_t quarter = video.size() / 4;
  ASSERT_TRUE(held.send(video.substr(0, quarter)));
  auto refused = held.answer();
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.error_code(), "file_rejected") << refused.body;
  auto findings = refused.json()["error"]["details"]["findings"];
  ASSERT_EQ(findings.size(), 1u) << refused.body;
  EXPECT_EQ(findings[0]["rule"], "duration");
  EXPECT_EQ(findings[0]["found"], "5:01");
  EXPECT_EQ(findings[0]["expected"], "не более 5:00");

  auto upload = anna->get(location).json();
  EXPECT_EQ(upload["state"], "rejected");
  auto more = patch(*anna, location, quarter, video.substr(quarter));
  EXPECT_EQ(more.error_code(), "upload_finished") << more.body;
}

TEST_F(Uploads, AVideoTooLongByItsHeaderIsRefusedAtTheEndOfAnEarlyPiece) {
  ASSERT_TRUE(files::ffmpeg("-f lavfi -i testsrc=size=160x120:rate=1 -t 301 -c:v mpeg4 -q:v 31 -movflags +faststart",
                            work_ / "long.mp4"));
  std::string video = read(work_ / "long.mp4");
  auto anna = user("anna@dom.ru");
  auto created = create(*anna, "flashmob", video.size(), "Долгий танец.mp4");
  ASSERT_EQ(created.status, 201) << created.body;
  auto first = patch(*anna, created.headers["location"], 0, video.substr(0, video.size() / 4));
  EXPECT_EQ(first.status, 422) << first.body;
  EXPECT_EQ(first.error_code(), "file_rejected") << first.body;
}

TEST_F(Uploads, AVideoWithinTheLimitWithItsHeaderFirstArrivesWhole) {
  ASSERT_TRUE(files::ffmpeg("-f lavfi -i testsrc=size=320x240:rate=2 -t 299 -c:v mpeg4 -q:v 4 -movflags +faststart",
                            work_ / "fits.mp4"));
  std::string video = read(work_ / "fits.mp4");
  auto anna = user("anna@dom.ru");
  auto created = create(*anna, "flashmob", video.size(), "Танец.mp4");
  ASSERT_EQ(created.status, 201) << created.body;
  auto whole = patch(*anna, created.headers["location"], 0, video);
  EXPECT_EQ(whole.status, 204) << whole.body;
  EXPECT_EQ(anna->get(created.headers["location"]).json()["state"], "complete");
}

}  // namespace
}  // namespace praktika::test
