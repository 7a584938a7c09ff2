#include "flashmob/pipeline.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace praktika::flashmob {
namespace {

std::vector<int> heights(const std::vector<Rendition>& l) {
  std::vector<int> out;
  for (const auto& r : l) out.push_back(r.height);
  return out;
}

bool has(const std::vector<std::string>& argv, const std::string& a, const std::string& b) {
  for (size_t i = 0; i + 1 < argv.size(); ++i)
    if (argv[i] == a && argv[i + 1] == b) return true;
  return false;
}

TEST(Ladder, AFullHdSourceGetsEveryRungUpTo720p) {
  auto l = ladder(1920, 1080, true);
  EXPECT_EQ(heights(l), (std::vector<int>{240, 360, 480, 720}));
  EXPECT_EQ(l[0].width, 426);
  EXPECT_EQ(l[3].width, 1280);
  for (size_t i = 1; i < l.size(); ++i) EXPECT_GT(l[i].bandwidth(), l[i - 1].bandwidth());
  // The lowest plays on a 1 Mbit/s link with room to spare.
  EXPECT_LT(l[0].bandwidth(), 600'000);
}

TEST(Ladder, ASmallerSourceGetsFewerRungsNeverAboveItself) {
  EXPECT_EQ(heights(ladder(640, 360, true)), (std::vector<int>{240, 360}));
  EXPECT_EQ(heights(ladder(854, 480, false)), (std::vector<int>{240, 360, 480}));
  // Within 10 % of a rung: that rung at the source's own height, no upscaling.
  EXPECT_EQ(heights(ladder(624, 352, true)), (std::vector<int>{240, 352}));
}

TEST(Ladder, ASourceBelowTheLowestRungGetsOneRenditionAtItsOwnSize) {
  auto l = ladder(160, 121, true);
  ASSERT_EQ(l.size(), 1u);
  EXPECT_EQ(l[0].width, 160);
  EXPECT_EQ(l[0].height, 122);  // even, as H.264 in 4:2:0 needs
}

TEST(Ladder, APortraitVideoKeepsItsAspect) {
  auto l = ladder(1080, 1920, false);
  EXPECT_EQ(l.back().height, 720);
  EXPECT_EQ(l.back().width, 406);
  EXPECT_EQ(l.back().audio_kbps, 0);
}

TEST(Ladder, NoSizeNoLadder) { EXPECT_TRUE(ladder(0, 0, true).empty()); }

TEST(Master, NamesEachRenditionWithItsBandwidthAndSize) {
  auto m = master_playlist(ladder(640, 360, true));
  EXPECT_EQ(m.rfind("#EXTM3U\n", 0), 0u);
  EXPECT_NE(m.find("RESOLUTION=426x240"), std::string::npos);
  EXPECT_NE(m.find("RESOLUTION=640x360"), std::string::npos);
  EXPECT_NE(m.find("\nv0.m3u8\n"), std::string::npos);
  EXPECT_NE(m.find("\nv1.m3u8\n"), std::string::npos);
  EXPECT_EQ(m.find("v2.m3u8"), std::string::npos);
  EXPECT_NE(m.find("mp4a.40.2"), std::string::npos);
  EXPECT_EQ(master_playlist(ladder(640, 360, false)).find("mp4a"), std::string::npos);
}

TEST(PlanVideo, APlayableSourceGoesStraightToTheLadderFromItself) {
  VideoSource s{.path = "/in/upload", .width = 1920, .height = 1080, .duration_s = 30, .has_audio = true, .playable = true};
  auto p = plan_video("ffmpeg", s, "/out/hls", "/out/hls/poster.jpg", "/out/1.mp4");
  EXPECT_FALSE(p.mp4);
  EXPECT_EQ(p.renditions.size(), 4u);
  EXPECT_TRUE(has(p.hls, "-i", "/in/upload"));
  EXPECT_TRUE(has(p.hls, "-hls_time", "4"));
  EXPECT_TRUE(has(p.hls, "-var_stream_map", "v:0,a:0 v:1,a:1 v:2,a:2 v:3,a:3"));
  EXPECT_TRUE(has(p.hls, "-hls_segment_filename", "/out/hls/v%v_%05d.ts"));
  EXPECT_TRUE(has(p.hls, "-b:v:0", "400k"));
  EXPECT_TRUE(has(p.hls, "-force_key_frames", "expr:gte(t,n_forced*4)"));
  auto graph = std::find(p.hls.begin(), p.hls.end(), "-filter_complex");
  ASSERT_NE(graph, p.hls.end());
  EXPECT_NE(graph[1].find("split=4"), std::string::npos) << graph[1];
  EXPECT_NE(graph[1].find("scale=426:240,setsar=1[v0]"), std::string::npos) << graph[1];
  EXPECT_EQ(p.hls.back(), "/out/hls/v%v.m3u8");
  // The poster a third of the way in, at most 5 s, at the top rendition's size.
  EXPECT_TRUE(has(p.poster, "-ss", "5.000"));
  EXPECT_TRUE(has(p.poster, "-vf", "scale=1280:720"));
  EXPECT_EQ(p.poster.back(), "/out/hls/poster.jpg");
  EXPECT_EQ(p.master, master_playlist(p.renditions));
}

TEST(PlanVideo, AnUnplayableSourceIsMadeIntoAnMp4FirstAndTheLadderReadsTheMp4) {
  VideoSource s{.path = "/in/a.wmv", .width = 320, .height = 240, .duration_s = 3, .has_audio = false, .playable = false};
  auto p = plan_video("ffmpeg", s, "/out/hls", "/out/poster.jpg", "/out/1.mp4");
  ASSERT_TRUE(p.mp4);
  EXPECT_EQ(p.mp4->back(), "/out/1.mp4");
  EXPECT_TRUE(has(*p.mp4, "-movflags", "+faststart"));
  EXPECT_TRUE(has(p.hls, "-i", "/out/1.mp4"));
  EXPECT_TRUE(has(p.hls, "-var_stream_map", "v:0"));
  EXPECT_EQ(std::count(p.hls.begin(), p.hls.end(), "0:a:0"), 0);
  EXPECT_TRUE(has(p.poster, "-ss", "1.000"));
}

TEST(PlanSlides, APdfIsRenderedAnOfficeFileNeedsLibreOfficeOrAPdf) {
  EXPECT_EQ(plan_slides(true, false), SlidesRoute::render_pdf);
  EXPECT_EQ(plan_slides(false, true), SlidesRoute::office_then_render);
  EXPECT_EQ(plan_slides(false, false), SlidesRoute::needs_pdf);
}

TEST(HlsFileNames, OnlyTheStreamsOwnNamesPass) {
  for (const char* ok : {"master.m3u8", "poster.jpg", "v0.m3u8", "v3.m3u8", "v0_00000.ts", "v12_00042.ts"})
    EXPECT_TRUE(is_hls_file_name(ok)) << ok;
  for (const char* bad : {"", "..", "../x", "v.m3u8", "v0_.ts", "v0_1.mp4", "x0.m3u8", "v0_0a.ts", "master.m3u8.log",
                          "1.log", "v0.m3u8/..", "v0_000000000.ts"})
    EXPECT_FALSE(is_hls_file_name(bad)) << bad;
}

TEST(Captions, SubRipBecomesWebVtt) {
  auto vtt = to_webvtt("\xEF\xBB\xBF" "1\r\n00:00:01,000 --> 00:00:02,500\r\nПривет!\r\n\r\n2\r\n00:00:03,000 --> "
                       "00:00:04,000\r\nДве строки\r\nвторая\r\n",
                       100, 10);
  ASSERT_TRUE(vtt) << vtt.status().message();
  EXPECT_EQ(*vtt,
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.500\nПривет!\n\n00:00:03.000 --> 00:00:04.000\nДве строки\nвторая\n");
}

TEST(Captions, WebVttIsKeptWithItsCueSettingsAndWithoutNotesOrStyles) {
  auto vtt = to_webvtt("WEBVTT - заголовок\n\nNOTE служебное\n\nSTYLE\n::cue { color: red }\n\nintro\n00:01.000 --> "
                       "00:02.000 line:0\nТекст\n",
                       100, 10);
  ASSERT_TRUE(vtt) << vtt.status().message();
  EXPECT_EQ(*vtt, "WEBVTT\n\n00:00:01.000 --> 00:00:02.000 line:0\nТекст\n");
}

TEST(Captions, RefusedByTheirBytes) {
  EXPECT_EQ(to_webvtt(std::string("\x89PNG\r\n\x1a\n\0\0", 10), 100, 10).status().code(), "captions_not_text");
  EXPECT_EQ(to_webvtt("\xff\xfe" "1\n", 100, 10).status().code(), "captions_not_text");
  EXPECT_EQ(to_webvtt("Просто текст\nбез времени\n", 100, 10).status().code(), "captions_unrecognised");
  EXPECT_EQ(to_webvtt("1\n00:00:01,000 --> 00:00:02,000\nа\n\n2\n00:00:01 --> 00:00:02\nб\n", 100, 10).status().code(),
            "captions_bad_time");
  EXPECT_EQ(to_webvtt("1\n00:00:05,000 --> 00:00:02,000\nа\n", 100, 10).status().code(), "captions_bad_time");
  EXPECT_EQ(to_webvtt("1\n00:01:05,000 --> 00:01:08,000\nа\n", 100, 10).status().code(), "captions_bad_time");
  EXPECT_EQ(to_webvtt("WEBVTT\n\n", 100, 10).status().code(), "captions_empty");
  EXPECT_EQ(to_webvtt("1\n00:00:01,000 --> 00:00:02,000\nа\n\n2\n00:00:02,000 --> 00:00:03,000\nб\n", 1, 10)
                .status()
                .code(),
            "captions_too_many");
}

TEST(Captions, AnArrowInACuesTextCannotEndItsTiming) {
  auto vtt = to_webvtt("1\n00:00:01,000 --> 00:00:02,000\nа --> б\n", 100, 10);
  ASSERT_TRUE(vtt);
  EXPECT_NE(vtt->find("а → б"), std::string::npos);
}

}  // namespace
}  // namespace praktika::flashmob
