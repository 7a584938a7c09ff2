#include "flashmob/wire.h"

#include <gtest/gtest.h>

namespace praktika::flashmob {
namespace {

using nlohmann::json;

PublicItem presentation() {
  return {.id = 7,
          .event = "irkutsk-2020",
          .title = "Слайды",
          .work_kind = "poem",
          .work_kind_title = "Стихотворение",
          .institution = "Центр",
          .media_kind = "presentation",
          .duration_s = 20,
          .slides = 2,
          .seconds_per_slide = 10};
}

PublicItem video() {
  PublicItem v = presentation();
  v.id = 8;
  v.media_kind = "video";
  v.slides = 0;
  return v;
}

Item converting_video() {
  return {.id = 9,
          .event = "irkutsk-2020",
          .upload = "u1",
          .file_name = "clip.wmv",
          .media_kind = "video",
          .measured = {{"file_name", "clip.wmv"}, {"duration_s", 12.5}},
          .play = {.state = "converting", .attempts = 1, .progress = 0.25},
          .review = "pending",
          .hls = {.state = "queued"},
          .owner = {.id = 3, .full_name = "Автор", .email = "a@example.org"}};
}

TEST(FlashmobWire, APresentationShowsItsSlidesAndTheirPaceAndNoVideo) {
  json j = to_json(presentation());
  EXPECT_EQ(j["media_url"], nullptr);
  EXPECT_EQ(j["slide_urls"], (json{"/api/events/irkutsk-2020/flashmob/items/7/media?slide=1",
                                   "/api/events/irkutsk-2020/flashmob/items/7/media?slide=2"}));
  EXPECT_EQ(j["seconds_per_slide"], 10);
  EXPECT_EQ(j["hls_url"], nullptr);
  EXPECT_FALSE(j.contains("event")) << "the public item names no event: " << j.dump();
}

TEST(FlashmobWire, AVideosStreamAndSubtitlesHaveTheirAddressesOnceTheyExist) {
  PublicItem v = video();
  json before = to_json(v);
  EXPECT_EQ(before["media_url"], "/api/events/irkutsk-2020/flashmob/items/8/media");
  EXPECT_FALSE(before.contains("seconds_per_slide"));
  EXPECT_EQ(before["slide_urls"], json::array());
  EXPECT_EQ(before["hls_url"], nullptr);
  EXPECT_EQ(before["poster_url"], nullptr);
  EXPECT_EQ(before["captions"], nullptr);

  v.stream_ready = true;
  v.captions = Captions{.attached_at_ms = 1594000000000, .label = "Субтитры", .language = "ru"};
  json after = to_json(v);
  EXPECT_EQ(after["hls_url"], "/api/events/irkutsk-2020/flashmob/hls/8/master.m3u8");
  EXPECT_EQ(after["poster_url"], "/api/events/irkutsk-2020/flashmob/hls/8/poster.jpg");
  EXPECT_EQ(after["captions"], (json{{"url", "/api/events/irkutsk-2020/flashmob/items/8/captions?v=1594000000000"},
                                     {"label", "Субтитры"},
                                     {"language", "ru"}}));
}

TEST(FlashmobWire, AnItemNotYetPlayableHasNullsWhereItsMediaWillBe) {
  json j = to_json(converting_video());
  EXPECT_EQ(j["media_url"], nullptr);
  EXPECT_EQ(j["duration_s"], nullptr);
  EXPECT_EQ(j["slides"], nullptr);
  EXPECT_EQ(j["position"], nullptr);
  EXPECT_EQ(j["play"], (json{{"state", "converting"}, {"attempts", 1}, {"progress", 0.25}, {"failure", nullptr}}));
  EXPECT_EQ(j["hls"], (json{{"state", "queued"}, {"attempts", 0}, {"renditions", json::array()}}));
  EXPECT_EQ(j["owner"], (json{{"id", 3}, {"full_name", "Автор"}, {"email", "a@example.org"}}));
  EXPECT_EQ(j["file_name"], "clip.wmv");
}

TEST(FlashmobWire, AReadyVideoWithItsStreamListsTheRenditions) {
  Item item = converting_video();
  item.play = {.state = "ready", .attempts = 1, .progress = 1.0};
  item.duration_s = 12.5;
  item.hls = {.state = "ready", .attempts = 1, .renditions = {{.name = "240p", .width = 426, .height = 240, .bandwidth = 495000}}};
  json j = to_json(item);
  EXPECT_EQ(j["media_url"], "/api/events/irkutsk-2020/flashmob/items/9/media");
  EXPECT_EQ(j["duration_s"], 12.5);
  EXPECT_EQ(j["hls_url"], "/api/events/irkutsk-2020/flashmob/hls/9/master.m3u8");
  EXPECT_EQ(j["hls"]["renditions"],
            (json{{{"name", "240p"}, {"width", 426}, {"height", 240}, {"bandwidth", 495000}}}));
}

TEST(FlashmobWire, AFeedWithNothingPlayingSaysSoWithNulls) {
  Feed feed{.event = "irkutsk-2020",
            .state = FeedState::waiting,
            .now = "2020-07-07T09:00:00+08:00",
            .feed_starts = "2020-07-07T10:00:00+08:00",
            .seconds_per_slide = 10,
            .up_next = {presentation()},
            .remaining = 5,
            .next_change = "2020-07-07T10:00:00+08:00"};
  json j = to_json(feed);
  EXPECT_EQ(j["state"], "waiting");
  EXPECT_EQ(j["item"], nullptr);
  EXPECT_EQ(j["started_at"], nullptr);
  EXPECT_EQ(j["position"], nullptr);
  EXPECT_EQ(j["remaining"], 5);
  ASSERT_EQ(j["up_next"].size(), 1u);
  EXPECT_EQ(j["up_next"][0]["id"], 7);

  feed.state = FeedState::playing;
  feed.playing = Playing{.item = video(), .started_at = "2020-07-07T10:00:00+08:00", .position_s = 1.5};
  feed.next_change.reset();
  json playing = to_json(feed);
  EXPECT_EQ(playing["state"], "playing");
  EXPECT_EQ(playing["item"]["id"], 8);
  EXPECT_EQ(playing["started_at"], "2020-07-07T10:00:00+08:00");
  EXPECT_EQ(playing["position"], 1.5);
  EXPECT_EQ(playing["next_change"], nullptr);
}

TEST(FlashmobWire, ProgressIsAFractionAndAPercent) {
  EXPECT_EQ(to_json(ConversionProgress{.item = 4, .percent = 37}),
            (json{{"item", 4}, {"progress", 0.37}, {"percent", 37}}));
}

}  // namespace
}  // namespace praktika::flashmob
