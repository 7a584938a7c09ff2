#include "media/media.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <random>

#include "support/media_fixtures.h"

namespace praktika::media {
namespace {

using testing::TempDir;

const std::string kTestSource =
    "-f lavfi -i testsrc=size=160x120:rate=10 -f lavfi -i sine=frequency=440:sample_rate=44100 -t 2 ";

TEST(ProbeVideo, ReportsWmvAsNeedingConversion) {
  TempDir dir;
  ASSERT_TRUE(testing::ffmpeg(kTestSource + "-c:v wmv2 -c:a wmav2", dir / "clip.wmv"));
  auto info = probe_video(dir / "clip.wmv");
  ASSERT_TRUE(info.ok()) << info.status().code();
  EXPECT_EQ(info->container, FileType::asf);
  EXPECT_EQ(info->demuxer, "asf");
  EXPECT_EQ(info->video_codec, "wmv2");
  EXPECT_EQ(info->audio_codec, "wmav2");
  EXPECT_EQ(info->width, 160);
  EXPECT_EQ(info->height, 120);
  ASSERT_TRUE(info->duration_s.has_value());
  EXPECT_NEAR(*info->duration_s, 2.0, 0.2);
  EXPECT_FALSE(info->playable);
}

TEST(ProbeVideo, ReportsH264AacInMp4AsPlayable) {
  TempDir dir;
  ASSERT_TRUE(testing::ffmpeg(kTestSource + "-c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac", dir / "clip.mp4"));
  auto info = probe_video(dir / "clip.mp4");
  ASSERT_TRUE(info.ok()) << info.status().code();
  EXPECT_EQ(info->container, FileType::mp4);
  EXPECT_EQ(info->video_codec, "h264");
  EXPECT_EQ(info->pixel_format, "yuv420p");
  EXPECT_EQ(info->audio_codec, "aac");
  EXPECT_EQ(info->width, 160);
  EXPECT_EQ(info->height, 120);
  EXPECT_TRUE(info->playable);
}

TEST(ProbeVideo, ReportsH264In444AsNotPlayable) {
  // testsrc is RGB: left alone, libx264 picks 4:4:4 (High 4:4:4), which browsers do not decode.
  TempDir dir;
  ASSERT_TRUE(testing::ffmpeg(kTestSource + "-c:v libx264 -preset ultrafast -pix_fmt yuv444p -c:a aac", dir / "clip.mp4"));
  auto info = probe_video(dir / "clip.mp4");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->video_codec, "h264");
  EXPECT_EQ(info->pixel_format, "yuv444p");
  EXPECT_FALSE(info->playable);
}

TEST(ProbeVideo, ReportsVp9OpusInWebmAsPlayableButTheSameInMkvNot) {
  TempDir dir;
  const std::string args = "-f lavfi -i testsrc=size=64x48:rate=5 -f lavfi -i sine=sample_rate=48000 -t 1 "
                           "-c:v libvpx-vp9 -deadline realtime -cpu-used 8 -c:a libopus ";
  ASSERT_TRUE(testing::ffmpeg(args, dir / "clip.webm"));
  ASSERT_TRUE(testing::ffmpeg(args, dir / "clip.mkv"));
  auto webm = probe_video(dir / "clip.webm");
  auto mkv = probe_video(dir / "clip.mkv");
  ASSERT_TRUE(webm.ok());
  ASSERT_TRUE(mkv.ok());
  EXPECT_EQ(webm->video_codec, "vp9");
  EXPECT_EQ(webm->audio_codec, "opus");
  EXPECT_TRUE(webm->playable);
  EXPECT_EQ(mkv->container, FileType::mkv);
  EXPECT_FALSE(mkv->playable);
}

TEST(ProbeVideo, ReadsTheDurationOfAMpegProgramStream) {
  TempDir dir;
  ASSERT_TRUE(testing::ffmpeg("-f lavfi -i testsrc=size=64x48:rate=25 -t 7 -c:v mpeg2video -f vob", dir / "clip.vob"));
  auto info = probe_video(dir / "clip.vob");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->container, FileType::mpeg_ps);
  ASSERT_TRUE(info->duration_s.has_value());
  EXPECT_NEAR(*info->duration_s, 7.0, 0.3);
  EXPECT_FALSE(info->playable);
}

TEST(ProbeVideo, MeasuresAWebmWithoutADurationInItsHeaderFromItsPackets) {
  // -live 1 to a pipe writes WebM the way a browser's MediaRecorder does: no Duration element.
  TempDir dir;
  const std::string cmd =
      "/usr/bin/ffmpeg -nostdin -loglevel error -y -f lavfi -i testsrc=size=64x48:rate=5 "
      "-f lavfi -i sine=sample_rate=48000 -t 4 -c:v libvpx -deadline realtime -c:a libopus -f webm -live 1 pipe:1 > '" +
      (dir / "recorded.webm").string() + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  auto info = probe_video(dir / "recorded.webm");
  ASSERT_TRUE(info.ok()) << info.status().code();
  ASSERT_TRUE(info->duration_s.has_value());
  EXPECT_NEAR(*info->duration_s, 4.0, 0.25);
  EXPECT_TRUE(info->playable);
}

TEST(ProbeVideo, FailsCleanlyOnATruncatedMp4) {
  TempDir dir;
  ASSERT_TRUE(testing::make_cheap_video(dir / "whole.mp4", 20));
  std::ifstream in(dir / "whole.mp4", std::ios::binary);
  std::string head(4096, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  testing::write_bytes(dir / "cut.mp4", head);  // ffmpeg writes moov at the end: nothing to index
  auto info = probe_video(dir / "cut.mp4");
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), "probe_failed");
}

TEST(ProbeVideo, FailsCleanlyOnGarbageBehindAValidMagic) {
  TempDir dir;
  std::string bytes("\x30\x26\xB2\x75\x8E\x66\xCF\x11\xA6\xD9\x00\xAA\x00\x62\xCE\x6C", 16);  // the ASF GUID
  std::mt19937 rng(7);
  for (int i = 0; i < 200000; ++i) bytes.push_back(static_cast<char>(rng()));
  testing::write_bytes(dir / "noise.wmv", bytes);
  auto info = probe_video(dir / "noise.wmv");
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), "probe_failed");
}

TEST(ProbeVideo, GivesUpAtTheDeadline) {
  TempDir dir;
  ASSERT_TRUE(testing::make_cheap_video(dir / "clip.mp4", 5));
  ProbeLimits limits;
  limits.deadline = std::chrono::milliseconds(0);
  auto info = probe_video(dir / "clip.mp4", limits);
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), "probe_timeout");
}

TEST(ProbeVideo, RefusesWhatIsNotAVideoContainer) {
  TempDir dir;
  testing::write_pdf(dir / "clip.mp4", 1);
  auto info = probe_video(dir / "clip.mp4");
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), "not_a_video");
}

}  // namespace
}  // namespace praktika::media
