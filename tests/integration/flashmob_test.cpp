// Stage 4, the flashmob, against the real binary: intake checks on real ffmpeg-made media, the
// conversion of a .wmv by ffmpeg, PDF slides, and the feed that every viewer sees in step.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "common/time.h"
#include "support/client.h"
#include "support/media_fixtures.h"
#include "support/scenario.h"
#include "support/server_process.h"

namespace praktika::test {
namespace {

using nlohmann::json;
namespace files = praktika::media::testing;

const std::string kApi = kEventApi + "/flashmob";
const std::string kTopic = "flashmob:" + kEventId;
const std::string kFeedStart = "2020-07-07T10:00:00+08:00";

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A browser-playable H.264/AAC MP4 of `seconds` (1 frame a second: quick to make).
bool make_h264(const std::filesystem::path& out, int seconds) {
  return files::ffmpeg("-f lavfi -i testsrc=duration=" + std::to_string(seconds) +
                           ":size=160x120:rate=1 -f lavfi -i sine=frequency=440:sample_rate=8000:duration=" +
                           std::to_string(seconds) + " -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -shortest",
                       out);
}

double instant_seconds(const json& text) {
  auto t = parse_instant(text.get<std::string>());
  EXPECT_TRUE(t) << text;
  return t ? static_cast<double>(t->time_since_epoch().count()) / 1000.0 : 0;
}

class Flashmob : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(create_organiser(data_.path())); }

  void start(const std::string& clock, double speed = 0) {
    server_.reset();
    auto started = ServerProcess::start({.data_dir = data_.path(), .clock = clock, .clock_speed = speed});
    ASSERT_TRUE(started) << started.status().message();
    server_ = std::move(*started);
    if (people_) people_->reconnect(server_->port());
    else people_ = std::make_unique<People>(server_->port());
  }

  // A tus upload of purpose "flashmob" in one PATCH: the PATCH's answer and the upload's id.
  std::pair<HttpResult, std::string> upload(HttpClient& http, const std::filesystem::path& file,
                                            const std::string& name) {
    std::string bytes = read(file);
    std::string encoded;
    {
      static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
      size_t i = 0;
      for (; i + 2 < name.size(); i += 3) {
        unsigned v = (unsigned char)name[i] << 16 | (unsigned char)name[i + 1] << 8 | (unsigned char)name[i + 2];
        encoded += {k[v >> 18], k[(v >> 12) & 63], k[(v >> 6) & 63], k[v & 63]};
      }
      if (i + 1 == name.size()) {
        unsigned v = (unsigned char)name[i] << 16;
        encoded += {k[v >> 18], k[(v >> 12) & 63], '=', '='};
      } else if (i + 2 == name.size()) {
        unsigned v = (unsigned char)name[i] << 16 | (unsigned char)name[i + 1] << 8;
        encoded += {k[v >> 18], k[(v >> 12) & 63], k[(v >> 6) & 63], '='};
      }
    }
    auto created = http.request("POST", kEventApi + "/uploads?purpose=flashmob", "",
                                {{"Tus-Resumable", "1.0.0"},
                                 {"Upload-Length", std::to_string(bytes.size())},
                                 {"Upload-Metadata", "filename " + encoded}});
    EXPECT_EQ(created.status, 201) << created.body;
    auto done = http.request("PATCH", created.headers["location"], bytes,
                             {{"Tus-Resumable", "1.0.0"},
                              {"Content-Type", "application/offset+octet-stream"},
                              {"Upload-Offset", "0"}});
    return {done, created.json().value("id", std::string())};
  }

  json submit(HttpClient& http, const std::string& upload_id, const std::string& title = "Весенний вальс") {
    auto r = http.post(kApi + "/items", {{"upload", upload_id},
                                         {"work_kind", "dance"},
                                         {"title", title},
                                         {"institution", "ОГБУСО «Центр помощи детям»"}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }

  // Conversions run in the background: wait (bounded) until the item leaves the job queue.
  // Conversions run nicer than the server (convert::kConverterNice): on a machine busy with other
  // tests they take several times as long, hence three minutes before giving up.
  json wait_converted(HttpClient& http, std::int64_t id) {
    json item;
    for (int i = 0; i < 1800; ++i) {
      item = http.get(kApi + "/items/" + std::to_string(id)).json();
      std::string state = item["play"].value("state", "");
      if (state != "queued" && state != "converting") return item;
      std::this_thread::sleep_for(100ms);
    }
    ADD_FAILURE() << "conversion did not finish: " << item.dump();
    return item;
  }

  // Waits until item `id`'s adaptive stream is made (or failed): its completion pushes now_playing
  // again, so a test that counts the feed's pushes waits for it first.
  json wait_hls(HttpClient& http, std::int64_t id) {
    json item;
    for (int i = 0; i < 3600; ++i) {
      item = http.get(kApi + "/items/" + std::to_string(id)).json();
      std::string state = item["hls"]["state"].is_string() ? item["hls"]["state"].get<std::string>() : "";
      if (state == "ready" || state == "failed") return item;
      std::this_thread::sleep_for(50ms);
    }
    ADD_FAILURE() << "the stream was not made: " << item.dump();
    return item;
  }

  // An approved, ready item made from an H.264 video of `seconds`.
  std::int64_t approved_video(HttpClient& author, int seconds, const std::string& title) {
    auto file = work_ / (title + ".mp4");
    EXPECT_TRUE(make_h264(file, seconds));
    auto [done, id] = upload(author, file, title + ".mp4");
    EXPECT_EQ(done.status, 204) << done.body;
    auto item = submit(author, id, title);
    std::int64_t item_id = item["id"];
    EXPECT_EQ(wait_converted(author, item_id)["play"]["state"], "ready");
    auto decided = people_->organiser().post(kApi + "/items/" + std::to_string(item_id) + "/decision",
                                             {{"decision", "approve"}});
    EXPECT_EQ(decided.status, 200) << decided.body;
    return item_id;
  }

  TempDir data_;
  files::TempDir work_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<People> people_;
};

TEST_F(Flashmob, AVideoOfFiveMinutesAndOneSecondIsRefusedAndOneOfFourFiftyNineIsAccepted) {
  start(kDuringIntake);
  auto& anna = people_->person("anna@dom.ru");
  ASSERT_TRUE(files::make_cheap_video(work_ / "long.mp4", 301));
  ASSERT_TRUE(files::make_cheap_video(work_ / "fits.mp4", 299));

  auto [refused, refused_id] = upload(anna, work_ / "long.mp4", "long.mp4");
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.error_code(), "file_rejected");
  EXPECT_EQ(refused.json()["error"]["details"]["findings"][0]["rule"], "duration");
  auto on_refused = anna.post(kApi + "/items", {{"upload", refused_id}, {"work_kind", "dance"}, {"title", "Т"},
                                                {"institution", "Ц"}});
  EXPECT_NE(on_refused.status, 201) << on_refused.body;

  auto [accepted, id] = upload(anna, work_ / "fits.mp4", "fits.mp4");
  ASSERT_EQ(accepted.status, 204) << accepted.body;

  // The kind of creative work and the title are required; the kind is one of the agenda's.
  auto missing = anna.post(kApi + "/items", {{"upload", id}, {"institution", "Центр"}});
  EXPECT_EQ(missing.status, 422);
  EXPECT_EQ(missing.error_code(), "invalid_fields");
  std::set<std::string> paths;
  auto problems = missing.json();
  for (const auto& d : problems["error"]["details"]) paths.insert(d["path"]);
  EXPECT_EQ(paths, (std::set<std::string>{"work_kind", "title"}));
  auto unknown = anna.post(kApi + "/items", {{"upload", id}, {"work_kind", "opera"}, {"title", "Т"},
                                             {"institution", "Центр"}});
  EXPECT_EQ(unknown.json()["error"]["details"][0]["code"], "not_an_option");

  auto item = submit(anna, id);
  EXPECT_EQ(item["media_kind"], "video");
  EXPECT_EQ(item["work_kind_title"], "Танцевальные номера");
  EXPECT_NEAR(item["measured"]["duration_s"].get<double>(), 299, 1);
  EXPECT_EQ(item["measured"]["video"]["video_codec"], "mpeg4");
  EXPECT_EQ(item["review"], "pending");
  // The same file twice is one item.
  auto again = anna.post(kApi + "/items", {{"upload", id}, {"work_kind", "dance"}, {"title", "Т"},
                                           {"institution", "Центр"}});
  EXPECT_EQ(again.error_code(), "upload_used");
  // Its words need no stage name: another event's show is not a «флешмоб».
  EXPECT_EQ(again.json()["error"]["message"], "Этот файл уже отправлен.");
  auto mine = anna.get(kApi + "/items/mine").json();
  ASSERT_EQ(mine["items"].size(), 1u);
  // Someone else's item does not exist for them.
  auto& boris = people_->person("boris@dom.ru");
  auto hidden = boris.get(kApi + "/items/" + std::to_string(item["id"].get<int>()));
  EXPECT_EQ(hidden.status, 404);
  EXPECT_EQ(hidden.json()["error"]["message"], "Работа не найдена.");
  // The same answer for a number that is no number at all.
  EXPECT_EQ(boris.get(kApi + "/items/x").json()["error"]["message"], "Работа не найдена.");
}

// A file uploaded in time but sent as a work after the intake closed: refused in the agenda's words for
// the files, and nothing is stored.
TEST_F(Flashmob, AWorkSentAfterTheIntakeClosedIsRefusedInTheFilesOwnWords) {
  start(kDuringIntake);
  auto& anna = people_->person("anna@dom.ru");
  ASSERT_TRUE(files::make_cheap_video(work_ / "late.mp4", 20));
  auto [done, id] = upload(anna, work_ / "late.mp4", "late.mp4");
  ASSERT_EQ(done.status, 204) << done.body;

  start(kDuringReview);
  auto& again = people_->person("anna@dom.ru");
  auto late = again.post(kApi + "/items", {{"upload", id}, {"work_kind", "dance"}, {"title", "Поздний вальс"},
                                          {"institution", "Центр"}});
  EXPECT_EQ(late.status, 409) << late.body;
  EXPECT_EQ(late.error_code(), "deadline_passed");
  EXPECT_EQ(late.json()["error"]["message"], "Сейчас файлы «Материалы для флешмоба» не принимаются.");
  EXPECT_TRUE(again.get(kApi + "/items/mine").json()["items"].empty());
}

TEST_F(Flashmob, AnElevenSlidePresentationIsRefusedAndAPdfBecomesSlideImages) {
  start(kDuringIntake);
  auto& anna = people_->person("anna@dom.ru");
  files::write_pdf(work_ / "eleven.pdf", 11);
  files::write_pdf(work_ / "three.pdf", 3);
  auto [refused, _] = upload(anna, work_ / "eleven.pdf", "eleven.pdf");
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.json()["error"]["details"]["findings"][0]["rule"], "slides");

  auto [accepted, id] = upload(anna, work_ / "three.pdf", "three.pdf");
  ASSERT_EQ(accepted.status, 204) << accepted.body;
  auto item = submit(anna, id, "Рисунки");
  EXPECT_EQ(item["media_kind"], "presentation");
  EXPECT_EQ(item["measured"]["slides"], 3);
  auto ready = wait_converted(anna, item["id"]);
  ASSERT_EQ(ready["play"]["state"], "ready") << ready.dump();
  EXPECT_EQ(ready["slides"], 3);
  EXPECT_EQ(ready["duration_s"], 3 * 8);  // seconds_per_slide in the agenda
  ASSERT_EQ(ready["slide_urls"].size(), 3u);
  auto png = anna.get(ready["slide_urls"][2]);
  EXPECT_EQ(png.status, 200);
  EXPECT_EQ(png.headers["content-type"], "image/png");
  EXPECT_EQ(png.body.substr(0, 4), "\x89PNG");
  // Not public before the feed: an anonymous viewer does not see it.
  HttpClient anonymous(server_->port());
  EXPECT_EQ(anonymous.get(ready["slide_urls"][0]).status, 404);
}

TEST_F(Flashmob, AWmvIsConvertedByFfmpegWithProgressToItsOwnerAndServedWithRange) {
  start(kDuringIntake);
  auto& anna = people_->person("anna@dom.ru");
  ASSERT_TRUE(files::ffmpeg("-f lavfi -i testsrc=duration=20:size=320x240:rate=25 -f lavfi -i "
                            "sine=frequency=440:duration=20 -c:v wmv2 -c:a wmav2 -shortest",
                            work_ / "dance.wmv"));
  auto [done, upload_id] = upload(anna, work_ / "dance.wmv", "Танец.wmv");
  ASSERT_EQ(done.status, 204) << done.body;

  auto ws = WsClient::connect(server_->port(), {.cookie = anna.cookie_header()});
  ASSERT_TRUE(ws);
  auto item = submit(anna, upload_id);
  std::int64_t id = item["id"];
  EXPECT_EQ(item["measured"]["video"]["playable"], false);
  std::string topic = "flashmob-item:" + kEventId + ":" + std::to_string(id);
  auto sub = ws->call({{"op", "subscribe"}, {"topic", topic}});
  ASSERT_EQ(sub["ok"], true) << sub.dump();

  // Nobody else may follow it.
  auto& boris = people_->person("boris@dom.ru");
  auto other = WsClient::connect(server_->port(), {.cookie = boris.cookie_header()});
  EXPECT_EQ(other->call({{"op", "subscribe"}, {"topic", topic}})["error"]["code"], "item_not_found");

  // Unless the conversion was already over when we subscribed, its end is pushed.
  if (sub["data"]["item"]["play"]["state"] != "ready") {
    bool ready = false;
    while (auto e = ws->next_event(topic, "item", 60s)) {
      if ((*e)["data"]["play"]["state"] == "ready") {
        ready = true;
        break;
      }
      EXPECT_NE((*e)["data"]["play"]["state"], "failed") << e->dump();
    }
    EXPECT_TRUE(ready);
  }
  auto converted = wait_converted(anna, id);
  ASSERT_EQ(converted["play"]["state"], "ready") << converted.dump();
  EXPECT_NEAR(converted["duration_s"].get<double>(), 20, 0.5);
  EXPECT_EQ(converted["play"]["attempts"], 1);

  std::string url = converted["media_url"];
  auto whole = anna.get(url);
  ASSERT_EQ(whole.status, 200);
  EXPECT_EQ(whole.headers["content-type"], "video/mp4");
  EXPECT_EQ(whole.body.substr(4, 4), "ftyp");
  auto part = anna.request("GET", url, "", {{"Range", "bytes=100-199"}});
  EXPECT_EQ(part.status, 206);
  EXPECT_EQ(part.body, whole.body.substr(100, 100));
  EXPECT_EQ(part.headers["content-range"], "bytes 100-199/" + std::to_string(whole.body.size()));
  // The converted file is H.264 with AAC: a browser plays it.
  std::ofstream(work_ / "out.mp4", std::ios::binary) << whole.body;
  ASSERT_TRUE(files::ffmpeg("-i " + (work_ / "out.mp4").string() + " -c copy", work_ / "copy.mp4"));
}

// The ASF data object's GUID: what follows it is the packets, which a damaged file has lost.
constexpr unsigned char kAsfData[] = {0x36, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11,
                                      0xA6, 0xD9, 0x00, 0xAA, 0x00, 0x62, 0xCE, 0x6C};

// A .wmv whose header (streams, codecs, duration) is intact and whose packets are zeros: it passes
// the checks, which read the header, and ffmpeg decodes nothing from it.
bool make_damaged_wmv(const std::filesystem::path& out) {
  auto whole = out.parent_path() / "whole.wmv";
  if (!files::ffmpeg("-f lavfi -i testsrc=duration=20:size=320x240:rate=25 -f lavfi -i sine=frequency=440:duration=20 "
                     "-c:v wmv2 -c:a wmav2 -shortest",
                     whole))
    return false;
  std::string bytes = read(whole);
  auto at = bytes.find(std::string(reinterpret_cast<const char*>(kAsfData), sizeof kAsfData));
  constexpr size_t kDataHeader = 50;  // GUID, size, file id, packet count, reserved
  if (at == std::string::npos || at + kDataHeader >= bytes.size()) return false;
  std::fill(bytes.begin() + static_cast<std::ptrdiff_t>(at + kDataHeader), bytes.end(), '\0');
  files::write_bytes(out, bytes);
  return true;
}

TEST_F(Flashmob, AVideoThatPassesTheChecksButCannotBeConvertedFailsWithItsReasonAndNothingElseIsAffected) {
  start(kDuringIntake);
  auto& anna = people_->person("anna@dom.ru");
  auto& boris = people_->person("boris@dom.ru");
  std::int64_t playing = approved_video(anna, 30, "Хоровод");
  ASSERT_TRUE(make_damaged_wmv(work_ / "damaged.wmv"));
  ASSERT_TRUE(files::ffmpeg("-f lavfi -i testsrc=duration=5:size=320x240:rate=25 -c:v wmv2", work_ / "fine.wmv"));

  auto [damaged_upload, damaged_id] = upload(anna, work_ / "damaged.wmv", "Танец.wmv");
  ASSERT_EQ(damaged_upload.status, 204) << damaged_upload.body;  // its header says a 20-second WMV
  auto ws = WsClient::connect(server_->port(), {.cookie = anna.cookie_header()});
  ASSERT_TRUE(ws);
  auto damaged = submit(anna, damaged_id, "Танец");
  std::int64_t id = damaged["id"];
  EXPECT_NEAR(damaged["measured"]["duration_s"].get<double>(), 20, 0.5);
  auto [fine_upload, fine_id] = upload(boris, work_ / "fine.wmv", "Песня.wmv");
  ASSERT_EQ(fine_upload.status, 204) << fine_upload.body;
  std::int64_t fine = submit(boris, fine_id, "Песня")["id"];

  // The author learns the outcome over the WebSocket, with the reason.
  std::string topic = "flashmob-item:" + kEventId + ":" + std::to_string(id);
  auto sub = ws->call({{"op", "subscribe"}, {"topic", topic}});
  ASSERT_EQ(sub["ok"], true) << sub.dump();
  json pushed = sub["data"]["item"];
  while (pushed["play"]["state"] != "failed") {
    ASSERT_NE(pushed["play"]["state"], "ready") << pushed.dump();
    auto e = ws->next_event(topic, "item", 60s);
    ASSERT_TRUE(e) << "no end of the conversion was pushed";
    pushed = (*e)["data"];
  }
  std::string reason = pushed["play"]["failure"];
  EXPECT_NE(reason.find("повреждён"), std::string::npos) << reason;
  EXPECT_EQ(pushed["media_url"], nullptr);

  // And by GET, the same; the file itself is not playable and the upload stays as it was.
  auto got = anna.get(kApi + "/items/" + std::to_string(id)).json();
  EXPECT_EQ(got["play"]["state"], "failed");
  EXPECT_EQ(got["play"]["failure"], reason);
  EXPECT_EQ(got["play"]["attempts"], 1);
  EXPECT_EQ(anna.get(kApi + "/items/" + std::to_string(id) + "/media").error_code(), "not_playable_yet");
  EXPECT_EQ(anna.get("/api/uploads/" + damaged_id).json()["state"], "complete");

  // Nothing else is affected: the next job converts, the approved item stays ready and first.
  auto converted = wait_converted(boris, fine);
  EXPECT_EQ(converted["play"]["state"], "ready") << converted.dump();
  EXPECT_NEAR(converted["duration_s"].get<double>(), 5, 0.5);
  auto queue = people_->organiser().get(kApi + "/queue").json();
  ASSERT_GE(queue["items"].size(), 3u);
  EXPECT_EQ(queue["items"][0]["id"], playing);
  EXPECT_EQ(queue["items"][0]["play"]["state"], "ready");
  bool listed = false;
  for (const auto& item : queue["items"])
    if (item["id"] == id) {
      listed = true;
      EXPECT_EQ(item["play"]["failure"], reason);  // the organiser sees why, too
    }
  EXPECT_TRUE(listed);
}

// True when `program` is an executable in a folder of PATH.
bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::stringstream folders(path ? path : "");
  for (std::string dir; std::getline(folders, dir, ':');)
    if (!dir.empty() && ::access((std::filesystem::path(dir) / program).c_str(), X_OK) == 0) return true;
  return false;
}

// The PNG's width from its IHDR chunk.
std::uint32_t png_width(const std::string& png) {
  if (png.size() < 24 || png.compare(0, 4, "\x89PNG") != 0) return 0;
  auto b = [&](size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(png[i])); };
  return b(16) << 24 | b(17) << 16 | b(18) << 8 | b(19);
}

TEST_F(Flashmob, APptxBecomesSlideImagesThroughLibreOffice) {
  if (!on_path("soffice")) GTEST_SKIP() << "LibreOffice (soffice) is not installed";
  start(kDuringIntake);
  auto& anna = people_->person("anna@dom.ru");
  files::write_real_pptx(work_ / "show.pptx", {"Мастерская «Умелые руки»", "Роспись по дереву", "Спасибо!"});
  auto [pptx_done, pptx_upload] = upload(anna, work_ / "show.pptx", "Поделки.pptx");
  ASSERT_EQ(pptx_done.status, 204) << pptx_done.body;
  auto pptx = submit(anna, pptx_upload, "Поделки");
  EXPECT_EQ(pptx["media_kind"], "presentation");
  EXPECT_EQ(pptx["measured"]["slides"], 3);
  EXPECT_NE(pptx["play"]["state"], "needs_pdf") << pptx.dump();

  auto ready = wait_converted(anna, pptx["id"]);
  ASSERT_EQ(ready["play"]["state"], "ready") << ready.dump();
  EXPECT_EQ(ready["slides"], 3);
  EXPECT_EQ(ready["duration_s"], 3 * 8);  // seconds_per_slide in the agenda
  ASSERT_EQ(ready["slide_urls"].size(), 3u);
  std::set<std::string> images;
  for (const auto& url : ready["slide_urls"]) {
    auto png = anna.get(url.get<std::string>());
    ASSERT_EQ(png.status, 200);
    EXPECT_EQ(png.headers["content-type"], "image/png");
    EXPECT_EQ(png_width(png.body), 1280u);  // slide_width_px in the agenda
    images.insert(png.body);
  }
  EXPECT_EQ(images.size(), 3u) << "each slide's own text makes its own image";
}

TEST_F(Flashmob, AConversionCutOffByACrashRunsAgainAfterTheRestart) {
  start(kDuringIntake);
  auto& anna = people_->person("anna@dom.ru");
  // Long enough that the conversion is still running when the server is killed.
  ASSERT_TRUE(files::ffmpeg("-f lavfi -i testsrc=duration=240:size=480x360:rate=25 -c:v wmv2 -q:v 20",
                            work_ / "long.wmv"));
  auto [done, upload_id] = upload(anna, work_ / "long.wmv", "long.wmv");
  ASSERT_EQ(done.status, 204) << done.body;
  auto ws = WsClient::connect(server_->port(), {.cookie = anna.cookie_header()});
  auto item = submit(anna, upload_id);
  std::int64_t id = item["id"];
  std::string topic = "flashmob-item:" + kEventId + ":" + std::to_string(id);
  ASSERT_EQ(ws->call({{"op", "subscribe"}, {"topic", topic}})["ok"], true);
  // ffmpeg's progress reaches the owner.
  auto progress = ws->next_event(topic, "progress", 60s);
  ASSERT_TRUE(progress);
  EXPECT_GE((*progress)["data"]["progress"].get<double>(), 0);
  EXPECT_LT((*progress)["data"]["progress"].get<double>(), 1);
  ws.reset();
  server_->kill();

  start(kDuringIntake);
  auto& again = people_->person("anna@dom.ru");
  auto converted = wait_converted(again, id);
  ASSERT_EQ(converted["play"]["state"], "ready") << converted.dump();
  EXPECT_EQ(converted["play"]["attempts"], 2);
  EXPECT_NEAR(converted["duration_s"].get<double>(), 240, 1);
}

TEST_F(Flashmob, TwoViewersJoiningThirtySecondsApartPlayTheSameItemAtTheirJoinTime) {
  start(kDuringIntake);
  auto& anna = people_->person("anna@dom.ru");
  std::int64_t id = approved_video(anna, 120, "Хоровод");
  HttpClient early(server_->port());
  EXPECT_EQ(early.get(kApi + "/items/" + std::to_string(id) + "/media").status, 404);
  EXPECT_EQ(early.get(kApi + "/now").json()["state"], "waiting");

  start("2020-07-07T10:00:10+08:00");
  HttpClient first(server_->port());
  auto a = first.get(kApi + "/now").json();
  start("2020-07-07T10:00:40+08:00");
  HttpClient second(server_->port());
  auto b = second.get(kApi + "/now").json();

  ASSERT_EQ(a["state"], "playing") << a.dump();
  ASSERT_EQ(b["state"], "playing") << b.dump();
  EXPECT_EQ(a["item"]["id"], id);
  EXPECT_EQ(b["item"]["id"], id);
  EXPECT_EQ(a["started_at"], kFeedStart);
  EXPECT_EQ(b["started_at"], kFeedStart);
  // Position is the server's now minus the start, for each viewer.
  double join_gap = instant_seconds(b["now"]) - instant_seconds(a["now"]);
  // Each server's clock began at its --clock instant and only moves on.
  EXPECT_GE(a["position"].get<double>(), 10);
  EXPECT_GE(b["position"].get<double>(), 40);
  EXPECT_NEAR(a["position"].get<double>(), instant_seconds(a["now"]) - instant_seconds(a["started_at"]), 0.001);
  EXPECT_NEAR(b["position"].get<double>() - a["position"].get<double>(), join_gap, 0.001);

  // Once the feed has begun the work is public, with Range, and listed in the gallery.
  auto range = second.request("GET", b["item"]["media_url"], "", {{"Range", "bytes=0-9"}});
  EXPECT_EQ(range.status, 206);
  EXPECT_EQ(range.body.size(), 10u);
  auto gallery = second.get(kApi + "/gallery").json();
  EXPECT_EQ(gallery["open"], true);
  ASSERT_EQ(gallery["items"].size(), 1u);
  EXPECT_EQ(gallery["items"][0]["title"], "Хоровод");
}

TEST_F(Flashmob, TheFeedStartsAtTheAgendasDaytimeInstantNotAtMidnight) {
  start(kDuringIntake);
  auto& anna = people_->person("anna@dom.ru");
  std::int64_t id = approved_video(anna, 60, "Утренний танец");

  // 7 July, after midnight: the flashmob stage is open, but the feed starts at 10:00 local.
  start("2020-07-07T09:59:50+08:00");
  HttpClient before(server_->port());
  auto waiting = before.get(kApi + "/now").json();
  EXPECT_EQ(waiting["state"], "waiting") << waiting.dump();
  EXPECT_EQ(waiting["feed_starts"], kFeedStart);
  EXPECT_TRUE(waiting["item"].is_null());
  EXPECT_EQ(before.get(kApi + "/gallery").json()["open"], false);
  EXPECT_EQ(before.get(kApi + "/items/" + std::to_string(id) + "/media").status, 404);

  start("2020-07-07T10:00:05+08:00");
  HttpClient after(server_->port());
  auto playing = after.get(kApi + "/now").json();
  ASSERT_EQ(playing["state"], "playing") << playing.dump();
  EXPECT_EQ(playing["item"]["id"], id);
  EXPECT_EQ(playing["started_at"], kFeedStart);
  EXPECT_GE(playing["position"].get<double>(), 5);
  EXPECT_LT(playing["position"].get<double>(), 60);
}

TEST_F(Flashmob, PauseReorderAndSkipReachEverySubscriberAtOnce) {
  start(kDuringIntake);
  auto& anna = people_->person("anna@dom.ru");
  std::int64_t one = approved_video(anna, 60, "Первый");
  std::int64_t two = approved_video(anna, 60, "Второй");
  std::int64_t three = approved_video(anna, 60, "Третий");
  for (auto id : {one, two, three}) wait_hls(anna, id);

  start("2020-07-07T10:00:10+08:00");
  auto x = WsClient::connect(server_->port());
  auto y = WsClient::connect(server_->port());
  auto sx = x->call({{"op", "subscribe"}, {"topic", kTopic}});
  auto sy = y->call({{"op", "subscribe"}, {"topic", kTopic}});
  ASSERT_EQ(sx["data"]["item"]["id"], one) << sx.dump();
  EXPECT_EQ(sy["data"]["started_at"], sx["data"]["started_at"]);
  EXPECT_EQ(sx["data"]["up_next"][0]["id"], two);
  EXPECT_TRUE(x->wait_presence(kTopic, 2));

  auto& org = people_->organiser();
  auto paused = org.post(kApi + "/control", {{"action", "pause"}});
  ASSERT_EQ(paused.status, 200) << paused.body;
  for (auto* ws : {x.get(), y.get()}) {
    auto e = ws->next_event(kTopic, "now_playing");
    ASSERT_TRUE(e);
    EXPECT_EQ((*e)["data"]["state"], "paused");
    EXPECT_EQ((*e)["data"]["item"]["id"], one);
  }

  auto mismatch = org.request("PUT", kApi + "/order", json{{"items", {three, one}}}.dump());
  EXPECT_EQ(mismatch.error_code(), "order_mismatch");
  auto reordered = org.request("PUT", kApi + "/order", json{{"items", {one, three, two}}}.dump());
  ASSERT_EQ(reordered.status, 200) << reordered.body;
  for (auto* ws : {x.get(), y.get()}) {
    auto e = ws->next_event(kTopic, "now_playing");
    ASSERT_TRUE(e);
    EXPECT_EQ((*e)["data"]["item"]["id"], one);
    EXPECT_EQ((*e)["data"]["up_next"][0]["id"], three);
  }

  ASSERT_EQ(org.post(kApi + "/control", {{"action", "resume"}}).status, 200);
  ASSERT_EQ(org.post(kApi + "/control", {{"action", "skip"}}).status, 200);
  for (auto* ws : {x.get(), y.get()}) {
    auto resumed = ws->next_event(kTopic, "now_playing");
    ASSERT_TRUE(resumed);
    EXPECT_EQ((*resumed)["data"]["state"], "playing");
    auto skipped = ws->next_event(kTopic, "now_playing");
    ASSERT_TRUE(skipped);
    EXPECT_EQ((*skipped)["data"]["item"]["id"], three);
    EXPECT_EQ((*skipped)["data"]["position"], 0);
  }
  // What the GET answers is what was pushed.
  EXPECT_EQ(HttpClient(server_->port()).get(kApi + "/now").json()["item"]["id"], three);
  // Only the organiser controls the feed.
  EXPECT_EQ(people_->person("anna@dom.ru").post(kApi + "/control", {{"action", "pause"}}).status, 403);
}

TEST_F(Flashmob, TheFeedMovesToTheNextItemByItselfUnderASpedUpClock) {
  start(kDuringIntake);
  auto& anna = people_->person("anna@dom.ru");
  std::int64_t one = approved_video(anna, 30, "Короткий");
  // The second item long enough to still be playing when a slow (sanitized, loaded) server answers.
  std::int64_t two = approved_video(anna, 240, "Следующий");
  // 20× faster: the first item's 30 s end 1.5 s after the start, the second's 240 s 12 s after that.
  start("2020-07-07T10:00:00+08:00", 20);
  auto ws = WsClient::connect(server_->port());
  auto sub = ws->call({{"op", "subscribe"}, {"topic", kTopic}});
  ASSERT_EQ(sub["ok"], true);
  std::int64_t now_id = sub["data"]["item"].is_null() ? 0 : sub["data"]["item"]["id"].get<std::int64_t>();
  if (now_id != two) {
    EXPECT_EQ(now_id, one);
    // A stream finished for the item now playing is pushed too (the same item): the boundary is
    // the push that names another.
    auto e = ws->next_event(kTopic, "now_playing", 30s);
    while (e && (*e)["data"]["item"].is_object() && (*e)["data"]["item"]["id"] == one)
      e = ws->next_event(kTopic, "now_playing", 30s);
    ASSERT_TRUE(e);
    EXPECT_EQ((*e)["data"]["item"]["id"], two);
  }
}

TEST_F(Flashmob, OnlyTheWidgetPageMayBeFramedAndOnlyByThePartnerSite) {
  start(kDuringIntake);
  HttpClient http(server_->port());
  auto widget = http.get("/events/irkutsk-2020/flashmob/widget");
  EXPECT_NE(widget.headers["content-security-policy"].find("frame-ancestors 'self' https://flashmob.example.org"),
            std::string::npos)
      << widget.headers["content-security-policy"];
  auto feed = http.get("/events/irkutsk-2020/flashmob");
  EXPECT_NE(feed.headers["content-security-policy"].find("frame-ancestors 'none'"), std::string::npos);
}

// ---- The adaptive stream (HLS) and subtitles ---------------------------------------------------


// A video of `seconds` at `size` ("1920x1080"), few frames and a low bitrate: its label (the
// height) is what the ladder follows, and it costs little CPU to make and to convert.
bool make_sized(const std::filesystem::path& out, const std::string& size, int seconds, int rate = 5) {
  return files::ffmpeg("-f lavfi -i testsrc=duration=" + std::to_string(seconds) + ":size=" + size +
                           ":rate=" + std::to_string(rate) + " -f lavfi -i sine=frequency=440:sample_rate=22050:duration=" +
                           std::to_string(seconds) +
                           " -c:v libx264 -preset ultrafast -b:v 150k -pix_fmt yuv420p -c:a aac -b:a 32k -shortest",
                       out);
}

std::vector<std::string> names_of(const json& renditions) {
  std::vector<std::string> out;
  for (const auto& r : renditions) out.push_back(r.value("name", ""));
  return out;
}


class FlashmobHls : public Flashmob {
 protected:
  // An item whose upload plays as it is, submitted by anna: its id.
  std::int64_t sized_item(HttpClient& author, const std::string& size, int seconds, int rate = 5) {
    auto file = work_ / (size + ".mp4");
    EXPECT_TRUE(make_sized(file, size, seconds, rate));
    auto [done, upload_id] = upload(author, file, size + ".mp4");
    EXPECT_EQ(done.status, 204) << done.body;
    auto item = submit(author, upload_id, "Видео " + size);
    EXPECT_EQ(item["play"]["state"], "ready") << item.dump();
    // Its stream is queued (or already being made: the worker is woken by the submission).
    EXPECT_TRUE(item["hls"]["state"] == "queued" || item["hls"]["state"] == "converting") << item.dump();
    return item["id"];
  }
};

TEST_F(FlashmobHls, AFullHdSourceGetsTheWholeLadderWithPlaylistsSegmentsAndAPoster) {
  start(kDuringIntake);
  auto& anna = people_->person("anna@dom.ru");
  std::int64_t id = sized_item(anna, "1920x1080", 2);
  auto item = wait_hls(anna, id);
  ASSERT_EQ(item["hls"]["state"], "ready") << item.dump();
  EXPECT_EQ(names_of(item["hls"]["renditions"]), (std::vector<std::string>{"240p", "360p", "480p", "720p"}));
  ASSERT_TRUE(item["hls_url"].is_string()) << item.dump();
  EXPECT_EQ(item["media_url"], kApi + "/items/" + std::to_string(id) + "/media") << "the MP4 stays for download";

  auto master = anna.get(item["hls_url"]);
  ASSERT_EQ(master.status, 200) << master.body;
  EXPECT_EQ(master.headers["content-type"], "application/vnd.apple.mpegurl");
  EXPECT_EQ(master.headers["cache-control"], "private, no-cache") << "not public before the feed";
  EXPECT_NE(master.body.find("RESOLUTION=1280x720"), std::string::npos) << master.body;
  EXPECT_NE(master.body.find("RESOLUTION=426x240"), std::string::npos) << master.body;
  std::string base = item["hls_url"].get<std::string>();
  base = base.substr(0, base.rfind('/') + 1);
  for (int level = 0; level < 4; ++level) {
    auto playlist = anna.get(base + "v" + std::to_string(level) + ".m3u8");
    ASSERT_EQ(playlist.status, 200);
    EXPECT_NE(playlist.body.find("#EXT-X-ENDLIST"), std::string::npos) << playlist.body;
    EXPECT_NE(playlist.body.find("#EXT-X-TARGETDURATION:"), std::string::npos);
    auto segment = anna.get(base + "v" + std::to_string(level) + "_00000.ts");
    ASSERT_EQ(segment.status, 200);
    ASSERT_FALSE(segment.body.empty());
    EXPECT_EQ(segment.body[0], 0x47) << "an MPEG-TS packet begins with its sync byte";
    EXPECT_EQ(segment.headers["content-type"], "video/mp2t");
  }
  auto poster = anna.get(base + "poster.jpg");
  ASSERT_EQ(poster.status, 200);
  EXPECT_EQ(poster.body.substr(0, 2), "\xFF\xD8");
  // Nothing else in the directory is let out, and nobody else sees the stream before the feed.
  EXPECT_EQ(anna.get(base + "v9.m3u8").status, 404);
  EXPECT_EQ(anna.get(base + "..%2F..%2Fpraktika.sqlite3").status, 404);
  HttpClient stranger(server_->port());
  EXPECT_EQ(stranger.get(item["hls_url"]).status, 404);

  // Approved, the feed begun: public, segments cached for long and playlists briefly.
  ASSERT_EQ(people_->organiser().post(kApi + "/items/" + std::to_string(id) + "/decision", {{"decision", "approve"}}).status, 200);
  start("2020-07-07T10:00:01+08:00");
  HttpClient viewer(server_->port());
  auto gallery = viewer.get(kApi + "/gallery").json();
  ASSERT_EQ(gallery["items"].size(), 1u) << gallery.dump();
  EXPECT_EQ(gallery["items"][0]["hls_url"], item["hls_url"]);
  EXPECT_TRUE(gallery["items"][0]["poster_url"].is_string());
  auto public_master = viewer.get(gallery["items"][0]["hls_url"]);
  EXPECT_EQ(public_master.status, 200);
  EXPECT_EQ(public_master.headers["cache-control"], "public, max-age=60");
  auto public_segment = viewer.get(base + "v0_00000.ts");
  EXPECT_EQ(public_segment.headers["cache-control"], "public, max-age=31536000, immutable");
  // What nginx's auth_request asks: HEAD, no body.
  auto head = viewer.request("HEAD", base + "v0_00000.ts");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
}

TEST_F(FlashmobHls, A360pSourceGetsFewerRenditions) {
  start(kDuringIntake);
  auto& anna = people_->person("anna@dom.ru");
  std::int64_t id = sized_item(anna, "640x360", 2);
  auto item = wait_hls(anna, id);
  ASSERT_EQ(item["hls"]["state"], "ready") << item.dump();
  EXPECT_EQ(names_of(item["hls"]["renditions"]), (std::vector<std::string>{"240p", "360p"}));
  auto master = anna.get(item["hls_url"]);
  EXPECT_EQ(master.body.find("v2.m3u8"), std::string::npos) << master.body;
  EXPECT_NE(master.body.find("v1.m3u8"), std::string::npos) << master.body;
}

TEST_F(FlashmobHls, AStreamCutOffByACrashIsMadeAgainAfterTheRestart) {
  start(kDuringIntake);
  auto& anna = people_->person("anna@dom.ru");
  // Long enough (10 s of 720p at 15 frames a second, four renditions) to be caught converting.
  std::int64_t id = sized_item(anna, "1280x720", 10, 15);
  // Killed once ffmpeg has begun writing the attempt's partial directory.
  auto partial = [&] {
    std::error_code ec;
    for (auto it = std::filesystem::directory_iterator(data_.path() / "flashmob" / "hls", ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
      if (it->path().filename().string().find(".converting") != std::string::npos &&
          !std::filesystem::is_empty(it->path(), ec))
        return true;
    return false;
  };
  json item;
  bool converting = false;
  for (int i = 0; i < 3000 && !converting; ++i) {
    item = anna.get(kApi + "/items/" + std::to_string(id)).json();
    converting = item["hls"]["state"] == "converting" && partial();
    if (!converting) std::this_thread::sleep_for(10ms);
  }
  ASSERT_TRUE(converting) << item.dump();
  server_->kill();

  start(kDuringIntake);
  auto& again = people_->person("anna@dom.ru");
  item = wait_hls(again, id);
  ASSERT_EQ(item["hls"]["state"], "ready") << item.dump();
  EXPECT_EQ(item["hls"]["attempts"], 2);
  EXPECT_EQ(names_of(item["hls"]["renditions"]), (std::vector<std::string>{"240p", "360p", "480p", "720p"}));
  for (const auto& entry : std::filesystem::directory_iterator(data_.path() / "flashmob" / "hls"))
    EXPECT_EQ(entry.path().filename().string().find(".converting"), std::string::npos) << entry.path();
  EXPECT_EQ(again.get(item["hls_url"]).status, 200);
}

TEST_F(FlashmobHls, SubtitlesAreAcceptedOrRefusedByTheirBytesAndServedAsWebVtt) {
  start(kDuringIntake);
  auto& anna = people_->person("anna@dom.ru");
  std::int64_t id = sized_item(anna, "320x240", 2);
  const std::string path = kApi + "/items/" + std::to_string(id) + "/captions";
  const std::map<std::string, std::string> bytes = {{"Content-Type", "application/octet-stream"}};

  // Named anything: the bytes decide.
  auto png = anna.request("PUT", path, std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), bytes);
  EXPECT_EQ(png.status, 422);
  EXPECT_EQ(png.error_code(), "captions_not_text");
  auto prose = anna.request("PUT", path, "Это просто текст,\nа не субтитры.\n", bytes);
  EXPECT_EQ(prose.error_code(), "captions_unrecognised");
  auto late = anna.request("PUT", path, "1\n00:00:30,000 --> 00:00:31,000\nПосле конца ролика\n", bytes);
  EXPECT_EQ(late.error_code(), "captions_bad_time");
  auto huge = anna.request("PUT", path, std::string(300 * 1024, 'a'), bytes);
  EXPECT_EQ(huge.status, 413);
  auto& boris = people_->person("boris@dom.ru");
  EXPECT_EQ(boris.request("PUT", path, "1\n00:00:00,500 --> 00:00:01,500\nЧужие\n", bytes).status, 404);

  auto srt = anna.request("PUT", path, "1\r\n00:00:00,500 --> 00:00:01,500\r\nЗдравствуйте!\r\n", bytes);
  ASSERT_EQ(srt.status, 200) << srt.body;
  auto captions = srt.json()["captions"];
  ASSERT_TRUE(captions.is_object()) << srt.body;
  EXPECT_EQ(captions["label"], "Субтитры (русский)") << "the agenda's words";
  EXPECT_EQ(captions["language"], "ru");
  auto vtt = anna.get(captions["url"]);
  ASSERT_EQ(vtt.status, 200);
  EXPECT_EQ(vtt.headers["content-type"], "text/vtt; charset=utf-8");
  EXPECT_EQ(vtt.body, "WEBVTT\n\n00:00:00.500 --> 00:00:01.500\nЗдравствуйте!\n");
  HttpClient stranger(server_->port());
  EXPECT_EQ(stranger.get(captions["url"]).status, 404) << "not public before the feed";

  auto removed = anna.request("DELETE", path);
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_TRUE(removed.json()["captions"].is_null());
  EXPECT_EQ(anna.get(path).error_code(), "captions_not_found");
}

}  // namespace
}  // namespace praktika::test
