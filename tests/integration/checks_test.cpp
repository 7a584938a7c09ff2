#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/client.h"
#include "support/docx_builder.h"
#include "support/media_fixtures.h"
#include "support/server_process.h"

namespace praktika::test {
namespace {

using nlohmann::json;
namespace docx = praktika::documents::testing;
namespace files = praktika::media::testing;

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string text(const docx::Bytes& b) { return std::string(b.begin(), b.end()); }

std::vector<std::string> rules(const json& verdict) {
  std::vector<std::string> out;
  for (const auto& f : verdict["findings"]) out.push_back(f["rule"]);
  return out;
}

class Checks : public ::testing::Test {
 protected:
  void SetUp() override {
    auto started = ServerProcess::start({.data_dir = data_.path()});
    ASSERT_TRUE(started) << started.status().message();
    server_ = std::move(*started);
  }
  HttpResult post_file(const std::string& target, const std::string& bytes) {
    HttpClient anonymous(server_->port());
    return anonymous.request("POST", target, bytes, {{"Content-Type", "application/octet-stream"}});
  }
  TempDir data_;
  files::TempDir work_;
  std::unique_ptr<ServerProcess> server_;
};

const std::string kDocument = "/api/events/irkutsk-2020/check/document";
const std::string kMedia = "/api/events/irkutsk-2020/check/media";

TEST_F(Checks, ACompliantDescriptionPassesAndEachBrokenRuleIsNamed) {
  auto good = post_file(kDocument + "?name=practice.docx", text(docx::Docx::compliant().bytes()));
  ASSERT_EQ(good.status, 200) << good.body;
  EXPECT_EQ(good.json()["ok"], true) << good.body;
  EXPECT_TRUE(good.json()["findings"].empty());

  auto arial = docx::Docx::compliant();
  arial.body[docx::kBody] = docx::para("Основной текст набран другим шрифтом.", "",
                                       "<w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\" w:cs=\"Arial\"/>");
  auto bad = post_file(kDocument, text(arial.bytes()));
  ASSERT_EQ(bad.status, 200);
  EXPECT_EQ(bad.json()["ok"], false);
  EXPECT_EQ(rules(bad.json()), std::vector<std::string>{"font"}) << bad.body;
  auto finding = bad.json()["findings"][0];
  EXPECT_FALSE(finding["where"].get<std::string>().empty());
  EXPECT_NE(finding["found"].get<std::string>().find("Arial"), std::string::npos);
}

TEST_F(Checks, AnOldWordFileIsAskedToBeResavedAndGarbageIsRefused) {
  std::string ole = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + std::string(4096, '\0');
  auto doc = post_file(kDocument + "?name=old.doc", ole);
  ASSERT_EQ(doc.status, 200) << doc.body;
  auto found = rules(doc.json());
  EXPECT_NE(std::find(found.begin(), found.end(), "format"), found.end()) << doc.body;
  auto junk = post_file(kDocument + "?name=practice.docx", "this is not a document at all");
  EXPECT_GE(junk.status, 200);
  EXPECT_EQ(junk.json()["ok"], false) << junk.body;
}

TEST_F(Checks, AFlashmobVideoIsMeasuredByItsRealDuration) {
  ASSERT_TRUE(files::make_cheap_video(work_ / "short.mp4", 4 * 60 + 59));
  ASSERT_TRUE(files::make_cheap_video(work_ / "long.mp4", 5 * 60 + 1));
  auto ok = post_file(kMedia + "?purpose=flashmob&name=dance.mp4", read(work_ / "short.mp4"));
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json()["ok"], true) << ok.body;
  EXPECT_EQ(ok.json()["kind"], "video");
  EXPECT_NEAR(ok.json()["duration_s"].get<double>(), 299, 1.5);
  auto long_one = post_file(kMedia + "?purpose=flashmob&name=dance.mp4", read(work_ / "long.mp4"));
  EXPECT_EQ(long_one.json()["ok"], false);
  EXPECT_EQ(rules(long_one.json()), std::vector<std::string>{"duration"}) << long_one.body;
}

TEST_F(Checks, PresentationsAreCountedAndLyingNamesAreCaught) {
  files::write_pptx(work_ / "ten.pptx", 10);
  files::write_pptx(work_ / "eleven.pptx", 11);
  EXPECT_EQ(post_file(kMedia + "?purpose=flashmob&name=ten.pptx", read(work_ / "ten.pptx")).json()["slides"], 10);
  auto eleven = post_file(kMedia + "?purpose=flashmob&name=eleven.pptx", read(work_ / "eleven.pptx"));
  EXPECT_EQ(eleven.json()["ok"], false);
  EXPECT_EQ(rules(eleven.json()), std::vector<std::string>{"slides"}) << eleven.body;

  ASSERT_TRUE(files::ffmpeg("-f lavfi -i testsrc=size=64x64 -frames:v 1", work_ / "picture.jpg"));
  auto lying = post_file(kMedia + "?purpose=flashmob&name=clip.mp4", read(work_ / "picture.jpg"));
  EXPECT_EQ(lying.json()["ok"], false);
  EXPECT_EQ(rules(lying.json()), std::vector<std::string>{"type"}) << lying.body;
}

TEST_F(Checks, UnknownPurposesAreRefused) {
  EXPECT_EQ(post_file(kMedia + "?purpose=poetry", "x").error_code(), "unknown_purpose");
  EXPECT_EQ(post_file(kMedia, "x").error_code(), "unknown_purpose");
  EXPECT_EQ(post_file("/api/events/nope/check/media?purpose=photo", "x").error_code(), "event_not_found");
}

}  // namespace
}  // namespace praktika::test
