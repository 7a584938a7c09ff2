#include "media/media.h"

#include <gtest/gtest.h>

#include "support/media_fixtures.h"

namespace praktika::media {
namespace {

using testing::TempDir;

FileType sniffed(const std::filesystem::path& p) {
  auto t = sniff(p);
  EXPECT_TRUE(t.ok()) << p;
  return t.ok() ? *t : FileType::unknown;
}

struct VideoCase {
  const char* file;
  const char* args;
  FileType expected;
};

TEST(Sniff, RecognisesEveryVideoContainerFfmpegWrites) {
  TempDir dir;
  const std::string src = "-f lavfi -i testsrc=size=64x48:rate=5 -f lavfi -i sine=sample_rate=8000 -t 1 ";
  const VideoCase cases[] = {
      {"a.mp4", "-c:v mpeg4 -c:a aac", FileType::mp4},
      {"a.mov", "-c:v mpeg4 -c:a aac", FileType::mov},
      {"a.mkv", "-c:v mpeg4 -c:a aac", FileType::mkv},
      {"a.webm", "-c:v libvpx -deadline realtime -c:a libopus", FileType::webm},
      {"a.avi", "-c:v mpeg4 -c:a mp2", FileType::avi},
      {"a.flv", "-c:v flv -c:a mp3 -ar 11025", FileType::flv},
      {"a.mpg", "-c:v mpeg2video -c:a mp2 -f mpeg", FileType::mpeg_ps},
      {"a.vob", "-c:v mpeg2video -c:a mp2 -f vob", FileType::mpeg_ps},
      {"a.ts", "-c:v mpeg2video -c:a mp2 -f mpegts", FileType::mpeg_ts},
      {"a.wmv", "-c:v wmv2 -c:a wmav2", FileType::asf},
      {"a.rm", "-c:v rv10 -c:a ac3 -f rm", FileType::rm},
  };
  for (const VideoCase& c : cases) {
    ASSERT_TRUE(testing::ffmpeg(src + c.args, dir / c.file)) << c.file;
    EXPECT_EQ(type_id(sniffed(dir / c.file)), type_id(c.expected)) << c.file;
  }
}

TEST(Sniff, TrustsBytesNotTheName) {
  TempDir dir;
  ASSERT_TRUE(testing::ffmpeg("-f lavfi -i testsrc=size=64x48 -frames:v 1", dir / "photo.jpg"));
  std::filesystem::copy_file(dir / "photo.jpg", dir / "clip.mp4");
  EXPECT_EQ(sniffed(dir / "clip.mp4"), FileType::jpeg);

  ASSERT_TRUE(testing::ffmpeg("-f lavfi -i testsrc=size=64x48 -frames:v 1", dir / "image.png"));
  std::filesystem::copy_file(dir / "image.png", dir / "image.pdf");
  EXPECT_EQ(sniffed(dir / "image.pdf"), FileType::png);

  testing::write_pdf(dir / "slides.pptx", 2);
  EXPECT_EQ(sniffed(dir / "slides.pptx"), FileType::pdf);
}

TEST(Sniff, TellsOfficeZipsApartByTheirEntries) {
  TempDir dir;
  testing::write_pptx(dir / "p.zip", 2);
  EXPECT_EQ(sniffed(dir / "p.zip"), FileType::pptx);

  testing::write_zip(dir / "d.bin", {{"[Content_Types].xml", "<Types/>"}, {"word/document.xml", "<w:document/>"}});
  EXPECT_EQ(sniffed(dir / "d.bin"), FileType::docx);

  testing::write_zip(dir / "x.bin", {{"[Content_Types].xml", "<Types/>"}, {"xl/workbook.xml", "<workbook/>"}});
  EXPECT_EQ(sniffed(dir / "x.bin"), FileType::xlsx);

  testing::write_odp(dir / "o.bin", 1);
  EXPECT_EQ(sniffed(dir / "o.bin"), FileType::odp);

  testing::write_zip(dir / "t.bin", {{"mimetype", "application/vnd.oasis.opendocument.text", true},
                                     {"content.xml", "<x/>"}});
  EXPECT_EQ(sniffed(dir / "t.bin"), FileType::odt);

  testing::write_zip(dir / "plain.docx", {{"readme.txt", "hello"}});
  EXPECT_EQ(sniffed(dir / "plain.docx"), FileType::zip);
}

TEST(Sniff, KnowsImagesPdfOle2AndArchivesByMagic) {
  TempDir dir;
  ASSERT_TRUE(testing::ffmpeg("-f lavfi -i testsrc=size=64x48 -frames:v 1", dir / "a.gif"));
  EXPECT_EQ(sniffed(dir / "a.gif"), FileType::gif);

  testing::write_bytes(dir / "junk-then.pdf", std::string(100, '\n') + "%PDF-1.7\n");
  EXPECT_EQ(sniffed(dir / "junk-then.pdf"), FileType::pdf);

  std::string ole = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
  ole.resize(512, '\0');
  testing::write_bytes(dir / "old.ppt", ole);
  EXPECT_EQ(sniffed(dir / "old.ppt"), FileType::ole2);

  testing::write_bytes(dir / "a.rar", std::string("Rar!\x1A\x07\x01\x00", 8));
  EXPECT_EQ(sniffed(dir / "a.rar"), FileType::rar);
  testing::write_bytes(dir / "a.7z", std::string("7z\xBC\xAF\x27\x1C\x00\x04", 8));
  EXPECT_EQ(sniffed(dir / "a.7z"), FileType::seven_zip);
}

TEST(Sniff, CallsEmptyAndRandomBytesUnknown) {
  TempDir dir;
  testing::write_bytes(dir / "empty.mp4", "");
  EXPECT_EQ(sniffed(dir / "empty.mp4"), FileType::unknown);
  testing::write_bytes(dir / "text.mp4", "just some text, not a video at all\n");
  EXPECT_EQ(sniffed(dir / "text.mp4"), FileType::unknown);
}

TEST(Sniff, ReportsAMissingFileAsUnreadable) {
  TempDir dir;
  auto t = sniff(dir / "nothing-here.mp4");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), "unreadable_file");
}

TEST(Sniff, TypeExtensionsListTheNamesTheBytesMayCarry) {
  auto has = [](FileType t, std::string_view ext) {
    auto exts = type_extensions(t);
    return std::find(exts.begin(), exts.end(), ext) != exts.end();
  };
  EXPECT_TRUE(has(FileType::jpeg, "jpg"));
  EXPECT_TRUE(has(FileType::jpeg, "jpeg"));
  EXPECT_TRUE(has(FileType::mpeg_ps, "vob"));
  EXPECT_TRUE(has(FileType::asf, "wmv"));
  EXPECT_FALSE(has(FileType::jpeg, "mp4"));
  EXPECT_TRUE(type_extensions(FileType::unknown).empty());
}

}  // namespace
}  // namespace praktika::media
