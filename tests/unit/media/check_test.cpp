#include "media/media.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <random>

#include "support/media_fixtures.h"

namespace praktika::media {
namespace {

using testing::purpose;
using testing::TempDir;

std::vector<std::string> rules(const Verdict& v) {
  std::vector<std::string> out;
  for (const Finding& f : v.findings) out.push_back(f.rule);
  return out;
}

using Rules = std::vector<std::string>;

TEST(CheckFile, AcceptsAFlashmobVideoOfFourFiftyNine) {
  TempDir dir;
  ASSERT_TRUE(testing::make_cheap_video(dir / "dance.mp4", 4 * 60 + 59));
  const Verdict v = check_file(dir / "dance.mp4", purpose("flashmob"));
  EXPECT_TRUE(v.ok) << v.to_json().dump();
  EXPECT_EQ(v.kind, "video");
  ASSERT_TRUE(v.duration_s.has_value());
  EXPECT_NEAR(*v.duration_s, 299, 1);
  ASSERT_TRUE(v.video.has_value());
  EXPECT_EQ(v.video->video_codec, "mpeg4");
  EXPECT_FALSE(v.video->playable);  // accepted all the same: the feed converts it
}

TEST(CheckFile, RefusesAFlashmobVideoOfFiveOhOne) {
  TempDir dir;
  ASSERT_TRUE(testing::make_cheap_video(dir / "dance.mp4", 5 * 60 + 1));
  const Verdict v = check_file(dir / "dance.mp4", purpose("flashmob"));
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.kind, "video");
  ASSERT_EQ(rules(v), Rules{"duration"});
  EXPECT_EQ(v.findings[0].found, "5:01");
  EXPECT_EQ(v.findings[0].expected, "не более 5:00");
}

TEST(CheckFile, AVideoWhoseHeaderClaimsYearsIsRefusedInWordsNotAnOverflow) {
  // Found by the media fuzz target: a header claiming some 3.7e9 seconds overflowed the minutes.
  const std::filesystem::path file =
      std::filesystem::path(PRAKTIKA_SOURCE_DIR) / "tests/fuzz/corpus/media_fuzz/regression-huge-duration";
  const Verdict v = check_file(file, purpose("flashmob"), "clip.mp4");
  EXPECT_FALSE(v.ok);
  auto duration = std::find_if(v.findings.begin(), v.findings.end(), [](const Finding& f) { return f.rule == "duration"; });
  ASSERT_NE(duration, v.findings.end()) << v.to_json().dump();
  EXPECT_EQ(duration->found, "более 10 суток");
}

TEST(CheckFile, AcceptsAWmvForTheFlashmobAndSaysItNeedsConversion) {
  TempDir dir;
  ASSERT_TRUE(testing::ffmpeg("-f lavfi -i testsrc=size=160x120:rate=10 -f lavfi -i sine -t 3 -c:v wmv2 -c:a wmav2",
                              dir / "song.wmv"));
  const Verdict v = check_file(dir / "song.wmv", purpose("flashmob"));
  EXPECT_TRUE(v.ok) << v.to_json().dump();
  EXPECT_EQ(v.kind, "video");
  ASSERT_TRUE(v.video.has_value());
  EXPECT_FALSE(v.video->playable);
  EXPECT_EQ(v.to_json()["video"]["playable"], false);
}

TEST(CheckFile, AcceptsAFlashmobPptxOfTenSlidesAndRefusesEleven) {
  TempDir dir;
  testing::write_pptx(dir / "ten.pptx", 10);
  testing::write_pptx(dir / "eleven.pptx", 11);
  const Verdict ten = check_file(dir / "ten.pptx", purpose("flashmob"));
  const Verdict eleven = check_file(dir / "eleven.pptx", purpose("flashmob"));
  EXPECT_TRUE(ten.ok) << ten.to_json().dump();
  EXPECT_EQ(ten.kind, "presentation");
  EXPECT_EQ(ten.slides, 10);
  EXPECT_FALSE(eleven.ok);
  EXPECT_EQ(eleven.slides, 11);
  ASSERT_EQ(rules(eleven), Rules{"slides"});
  EXPECT_EQ(eleven.findings[0].found, "11 слайдов");
  EXPECT_EQ(eleven.findings[0].expected, "не более 10 слайдов");
}

TEST(CheckFile, RefusesAFlashmobPdfOfElevenPages) {
  TempDir dir;
  testing::write_pdf(dir / "show.pdf", 11);
  const Verdict v = check_file(dir / "show.pdf", purpose("flashmob"));
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.kind, "presentation");
  EXPECT_EQ(v.slides, 11);
  EXPECT_EQ(rules(v), Rules{"slides"});
}

TEST(CheckFile, RefusesAJpegRenamedMp4ForTheFlashmob) {
  TempDir dir;
  ASSERT_TRUE(testing::ffmpeg("-f lavfi -i testsrc=size=320x240 -frames:v 1", dir / "dance.jpg"));
  std::filesystem::rename(dir / "dance.jpg", dir / "dance.mp4");
  const Verdict v = check_file(dir / "dance.mp4", purpose("flashmob"));
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.kind, "");
  ASSERT_EQ(rules(v), Rules{"type"});
  EXPECT_EQ(v.findings[0].found, "изображение JPEG");
  EXPECT_NE(v.findings[0].expected.find("mp4"), std::string::npos);
}

TEST(CheckFile, RefusesAPhotoWhoseNameContradictsItsBytes) {
  TempDir dir;
  ASSERT_TRUE(testing::ffmpeg("-f lavfi -i testsrc=size=320x240 -frames:v 1", dir / "photo.jpg"));
  std::filesystem::rename(dir / "photo.jpg", dir / "upload.tmp");  // uploads land under a temporary name
  testing::pad_to(dir / "upload.tmp", 2u << 20);
  const Verdict named_mp4 = check_file(dir / "upload.tmp", purpose("photo"), "Фото.MP4");
  EXPECT_FALSE(named_mp4.ok);
  EXPECT_EQ(named_mp4.kind, "jpeg");  // decided by the bytes
  ASSERT_EQ(rules(named_mp4), Rules{"type"});
  EXPECT_EQ(named_mp4.findings[0].found, "изображение JPEG, но имя файла оканчивается на .mp4");

  const Verdict named_jpeg = check_file(dir / "upload.tmp", purpose("photo"), "Фото.JPEG");
  EXPECT_TRUE(named_jpeg.ok) << named_jpeg.to_json().dump();
}

TEST(CheckFile, RefusesAPhotoOfHalfAMegabyteAndAcceptsTwo) {
  TempDir dir;
  ASSERT_TRUE(testing::ffmpeg("-f lavfi -i testsrc=size=2000x2000 -frames:v 1 -q:v 31", dir / "small.jpg"));
  ASSERT_LT(std::filesystem::file_size(dir / "small.jpg"), 512u << 10);
  std::filesystem::copy_file(dir / "small.jpg", dir / "fine.jpg");
  testing::pad_to(dir / "small.jpg", 512u << 10);
  testing::pad_to(dir / "fine.jpg", 2u << 20);

  const Verdict small = check_file(dir / "small.jpg", purpose("photo"));
  EXPECT_FALSE(small.ok);
  EXPECT_EQ(small.kind, "jpeg");
  EXPECT_EQ(small.bytes, 512u << 10);
  ASSERT_EQ(rules(small), Rules{"size"});
  EXPECT_EQ(small.findings[0].found, "512 КБ");
  EXPECT_EQ(small.findings[0].expected, "от 1 МБ до 5 МБ");

  const Verdict fine = check_file(dir / "fine.jpg", purpose("photo"));
  EXPECT_TRUE(fine.ok) << fine.to_json().dump();
}

TEST(CheckFile, RefusesAPhotoOverFiveMegabytes) {
  TempDir dir;
  ASSERT_TRUE(testing::ffmpeg("-f lavfi -i testsrc=size=320x240 -frames:v 1", dir / "big.jpg"));
  testing::pad_to(dir / "big.jpg", (5u << 20) + 1);
  const Verdict v = check_file(dir / "big.jpg", purpose("photo"));
  EXPECT_EQ(rules(v), Rules{"size"});
  EXPECT_EQ(v.findings[0].found, "5 МБ (5242881 Б)");
}

TEST(CheckFile, CallsATruncatedVideoUnreadableWithoutCrashing) {
  TempDir dir;
  ASSERT_TRUE(testing::make_cheap_video(dir / "whole.mp4", 30));
  std::filesystem::resize_file(dir / "whole.mp4", std::filesystem::file_size(dir / "whole.mp4") / 2);
  const Verdict v = check_file(dir / "whole.mp4", purpose("flashmob"));
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.kind, "video");
  EXPECT_EQ(rules(v), Rules{"unreadable"});
  EXPECT_FALSE(v.duration_s.has_value());
}

TEST(CheckFile, RefusesAZipBombPptxWithBoundedMemory) {
  TempDir dir;
  testing::write_zip_bomb_pptx(dir / "bomb.pptx", 256ull << 20);
  rusage before{};
  getrusage(RUSAGE_SELF, &before);
  const Verdict v = check_file(dir / "bomb.pptx", purpose("flashmob"));
  rusage after{};
  getrusage(RUSAGE_SELF, &after);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.kind, "presentation");
  EXPECT_EQ(rules(v), Rules{"unreadable"});
  EXPECT_LT(after.ru_maxrss - before.ru_maxrss, 64 * 1024) << "KiB of peak memory grew";
}

TEST(CheckFile, RefusesAPlainArchiveWhereArchivesAreNotAllowed) {
  TempDir dir;
  testing::write_zip(dir / "practice.docx", {{"practice.docx", "not really"}});
  const Verdict v = check_file(dir / "practice.docx", purpose("document"));
  EXPECT_FALSE(v.ok);
  ASSERT_EQ(rules(v), Rules{"archive"});
  EXPECT_EQ(v.findings[0].found, "архив ZIP");
}

TEST(CheckFile, MatchesThePresentationDayKindsByBytes) {
  TempDir dir;
  testing::write_pdf(dir / "talk.pdf", 40);  // no slide limit on 8 July
  ASSERT_TRUE(testing::ffmpeg("-f lavfi -i testsrc=size=64x48 -frames:v 1", dir / "chart.png"));
  const Verdict pdf = check_file(dir / "talk.pdf", purpose("presentation"));
  const Verdict png = check_file(dir / "chart.png", purpose("presentation"));
  EXPECT_TRUE(pdf.ok) << pdf.to_json().dump();
  EXPECT_EQ(pdf.kind, "document");
  EXPECT_FALSE(pdf.slides.has_value());
  EXPECT_TRUE(png.ok);
  EXPECT_EQ(png.kind, "image");
}

TEST(CheckFile, AcceptsAPaymentScanAsPdfJpegOrPngOnly) {
  TempDir dir;
  testing::write_pdf(dir / "scan.pdf", 1);
  testing::write_odp(dir / "scan.odp", 1);
  EXPECT_TRUE(check_file(dir / "scan.pdf", purpose("payment")).ok);
  const Verdict odp = check_file(dir / "scan.odp", purpose("payment"));
  EXPECT_EQ(rules(odp), Rules{"type"});
  EXPECT_EQ(odp.findings[0].found, "презентация OpenDocument (ODP)");
}

TEST(CheckFile, LetsTheNamePickWithinTheOfficeNinetySevenFamilyOnly) {
  // DOC, XLS and PPT share one container (OLE2); only there does the declared extension choose.
  TempDir dir;
  std::string ole = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
  ole.resize(4096, '\0');
  testing::write_bytes(dir / "upload.tmp", ole);
  const Verdict ppt = check_file(dir / "upload.tmp", purpose("flashmob"), "show.ppt");
  EXPECT_TRUE(ppt.ok) << ppt.to_json().dump();
  EXPECT_EQ(ppt.kind, "presentation");
  EXPECT_FALSE(ppt.slides.has_value());  // not countable in the binary format

  const Verdict doc = check_file(dir / "upload.tmp", purpose("flashmob"), "practice.doc");
  EXPECT_FALSE(doc.ok);
  EXPECT_EQ(rules(doc), Rules{"type"});

  const Verdict doc_as_document = check_file(dir / "upload.tmp", purpose("document"), "practice.doc");
  EXPECT_TRUE(doc_as_document.ok);
  EXPECT_EQ(doc_as_document.kind, "word");
}

TEST(CheckFile, CallsATruncatedPptxUnreadableNotAnArchive) {
  TempDir dir;
  testing::write_pptx(dir / "show.pptx", 3);
  std::filesystem::resize_file(dir / "show.pptx", std::filesystem::file_size(dir / "show.pptx") / 2);
  const Verdict v = check_file(dir / "show.pptx", purpose("flashmob"));
  EXPECT_EQ(v.kind, "presentation");
  EXPECT_EQ(rules(v), Rules{"unreadable"});
}

TEST(CheckFile, CallsAnEmptyFileAnEmptyFile) {
  TempDir dir;
  testing::write_bytes(dir / "empty.jpg", "");
  const Verdict v = check_file(dir / "empty.jpg", purpose("photo"));
  EXPECT_EQ(rules(v), Rules{"type"});
  EXPECT_EQ(v.findings[0].found, "пустой файл");
}

TEST(CheckFile, ReportsAMissingFileAsUnreadable) {
  TempDir dir;
  const Verdict v = check_file(dir / "gone.mp4", purpose("flashmob"));
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(rules(v), Rules{"unreadable"});
}

TEST(CheckFile, SerialisesTheVerdictInTheApiShape) {
  TempDir dir;
  testing::write_pptx(dir / "eleven.pptx", 11);
  const nlohmann::json j = check_file(dir / "eleven.pptx", purpose("flashmob")).to_json();
  EXPECT_EQ(j["ok"], false);
  EXPECT_EQ(j["kind"], "presentation");
  EXPECT_EQ(j["bytes"], std::filesystem::file_size(dir / "eleven.pptx"));
  EXPECT_TRUE(j["duration_s"].is_null());
  EXPECT_EQ(j["slides"], 11);
  ASSERT_EQ(j["findings"].size(), 1u);
  EXPECT_EQ(j["findings"][0]["rule"], "slides");
  EXPECT_EQ(j["findings"][0]["found"], "11 слайдов");
  EXPECT_EQ(j["findings"][0]["expected"], "не более 10 слайдов");
  EXPECT_FALSE(j.contains("video"));

  testing::write_bytes(dir / "x.bin", "??");
  const nlohmann::json unknown = check_file(dir / "x.bin", purpose("flashmob")).to_json();
  EXPECT_TRUE(unknown["kind"].is_null());
  EXPECT_TRUE(unknown["slides"].is_null());
}

}  // namespace
}  // namespace praktika::media

namespace praktika::media {
namespace {

// Damaged uploads of every kind must give a verdict, never a crash or a hang.
TEST(CheckFile, GivesAVerdictForBitFlippedFilesOfEveryKind) {
  TempDir dir;
  ASSERT_TRUE(testing::make_cheap_video(dir / "v.mp4", 20));
  ASSERT_TRUE(testing::ffmpeg("-f lavfi -i testsrc=size=64x48:rate=5 -f lavfi -i sine -t 3 -c:v wmv2 -c:a wmav2",
                              dir / "v.wmv"));
  ASSERT_TRUE(testing::ffmpeg("-f lavfi -i testsrc=size=64x48:rate=5 -t 3 -c:v flv", dir / "v.flv"));
  testing::write_pptx(dir / "p.pptx", 4);
  testing::write_odp(dir / "p.odp", 4);
  testing::write_pdf(dir / "p.pdf", 4);
  const std::vector<std::string> allowed = {"type", "size", "duration", "slides", "archive", "unreadable"};
  std::mt19937 rng(20200707);
  for (const char* name : {"v.mp4", "v.wmv", "v.flv", "p.pptx", "p.odp", "p.pdf"}) {
    std::ifstream in(dir / name, std::ios::binary);
    const std::string original((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (int round = 0; round < 25; ++round) {
      std::string bytes = original;
      const int flips = 1 + static_cast<int>(rng() % 16);
      for (int i = 0; i < flips; ++i) {
        // Keep the first 8 bytes in half the rounds, so the damage reaches the parsers behind the magic.
        const std::size_t from = round % 2 == 0 ? 8 : 0;
        bytes[from + rng() % (bytes.size() - from)] = static_cast<char>(rng());
      }
      if (round % 5 == 4) bytes.resize(rng() % bytes.size());
      const auto damaged = dir / ("damaged-" + std::string(name));
      testing::write_bytes(damaged, bytes);
      ProbeLimits limits;
      limits.deadline = std::chrono::seconds(5);
      const Verdict v = check_file(damaged, purpose("flashmob"), name, limits);
      EXPECT_EQ(v.ok, v.findings.empty());
      for (const Finding& f : v.findings)
        EXPECT_NE(std::find(allowed.begin(), allowed.end(), f.rule), allowed.end()) << f.rule;
      EXPECT_NO_THROW((void)v.to_json().dump());
    }
  }
}

}  // namespace
}  // namespace praktika::media
