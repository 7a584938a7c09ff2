#include "flashmob/wire.h"

#include <string>
#include <string_view>

#include "common/or_null.h"

namespace praktika::flashmob {
namespace {

using nlohmann::json;

std::string item_path(const std::string& event, std::int64_t id) {
  return "/api/events/" + event + "/flashmob/items/" + std::to_string(id);
}

std::string media_url(const std::string& event, std::int64_t id) { return item_path(event, id) + "/media"; }

// Slide n (1-based) of a rendered presentation.
json slide_urls(const std::string& event, std::int64_t id, std::int64_t slides) {
  json urls = json::array();
  for (std::int64_t n = 1; n <= slides; ++n) urls.push_back(media_url(event, id) + "?slide=" + std::to_string(n));
  return urls;
}

std::string_view state_name(FeedState s) {
  switch (s) {
    case FeedState::waiting: return "waiting";
    case FeedState::playing: return "playing";
    case FeedState::paused: return "paused";
    case FeedState::idle: return "idle";
  }
  return "idle";
}


// The adaptive stream's addresses, once made; subtitles whenever attached (the MP4 plays them too).
void add_stream(json& j, const std::string& event, std::int64_t id, bool stream_ready,
                const std::optional<Captions>& captions) {
  const std::string base = "/api/events/" + event + "/flashmob/hls/" + std::to_string(id) + "/";
  j["hls_url"] = stream_ready ? json(base + "master.m3u8") : json(nullptr);
  j["poster_url"] = stream_ready ? json(base + "poster.jpg") : json(nullptr);
  if (captions)
    j["captions"] = {{"url", item_path(event, id) + "/captions?v=" + std::to_string(captions->attached_at_ms)},
                     {"label", captions->label},
                     {"language", captions->language}};
  else
    j["captions"] = nullptr;
}

json to_json(const Conversion& play) {
  return {{"state", play.state},
          {"attempts", play.attempts},
          {"progress", or_null(play.progress)},
          {"failure", or_null(play.failure)}};
}

json to_json(const Stream& hls) {
  return {{"state", or_null(hls.state)}, {"attempts", hls.attempts}, {"renditions", to_json(hls.renditions)}};
}

json to_json(const std::vector<WorkKind>& kinds) {
  json out = json::array();
  for (const auto& k : kinds) out.push_back({{"id", k.id}, {"title", k.title}});
  return out;
}

template <typename T>
json list_json(const std::vector<T>& items) {
  json out = json::array();
  for (const auto& i : items) out.push_back(to_json(i));
  return out;
}

}  // namespace

json to_json(const Item& item) {
  const bool ready = item.play.state == "ready";
  json j = {{"id", item.id},
            {"event", item.event},
            {"upload", item.upload},
            {"file_name", item.file_name},
            {"work_kind", item.work_kind},
            {"work_kind_title", item.work_kind_title},
            {"title", item.title},
            {"institution", item.institution},
            {"media_kind", item.media_kind},
            {"measured", item.measured},
            {"play", to_json(item.play)},
            {"review", item.review},
            {"reason", item.reason},
            {"owner", {{"id", item.owner.id}, {"full_name", item.owner.full_name}, {"email", item.owner.email}}},
            {"created_at", item.created_at},
            {"updated_at", item.updated_at},
            {"position", or_null(item.position)},
            {"duration_s", or_null(item.duration_s)},
            {"slides", or_null(item.slides)},
            {"media_url", ready ? json(media_url(item.event, item.id)) : json(nullptr)},
            {"hls", to_json(item.hls)}};
  const bool rendered = item.media_kind == "presentation" && ready;
  j["slide_urls"] = slide_urls(item.event, item.id, rendered ? item.slides.value_or(0) : 0);
  const bool stream_ready = item.media_kind == "video" && item.hls.state == "ready";
  add_stream(j, item.event, item.id, stream_ready, item.captions);
  return j;
}

json to_json(const PublicItem& item) {
  const bool video = item.media_kind == "video";
  json j = {{"id", item.id},
            {"title", item.title},
            {"work_kind", item.work_kind},
            {"work_kind_title", item.work_kind_title},
            {"institution", item.institution},
            {"media_kind", item.media_kind},
            {"duration_s", item.duration_s},
            {"media_url", video ? json(media_url(item.event, item.id)) : json(nullptr)},
            {"slide_urls", slide_urls(item.event, item.id, item.media_kind == "presentation" ? item.slides : 0)}};
  if (item.media_kind == "presentation") j["seconds_per_slide"] = item.seconds_per_slide;
  add_stream(j, item.event, item.id, video && item.stream_ready, item.captions);
  return j;
}

json to_json(const Feed& feed) {
  json j = {{"event", feed.event},
            {"state", state_name(feed.state)},
            {"now", feed.now},
            {"feed_starts", feed.feed_starts},
            {"seconds_per_slide", feed.seconds_per_slide},
            {"up_next", list_json(feed.up_next)},
            {"remaining", feed.remaining},
            {"next_change", or_null(feed.next_change)}};
  j["item"] = feed.playing ? to_json(feed.playing->item) : json(nullptr);
  j["started_at"] = feed.playing ? json(feed.playing->started_at) : json(nullptr);
  j["position"] = feed.playing ? json(feed.playing->position_s) : json(nullptr);
  return j;
}

json to_json(const OwnItems& own) { return {{"items", list_json(own.items)}, {"work_kinds", to_json(own.work_kinds)}}; }

json to_json(const Queue& queue) { return {{"items", list_json(queue.items)}, {"feed", to_json(queue.feed)}}; }

json to_json(const Gallery& gallery) {
  return {{"open", gallery.open},
          {"opens", gallery.opens},
          {"items", list_json(gallery.items)},
          {"work_kinds", to_json(gallery.work_kinds)}};
}

json to_json(const ConversionProgress& progress) {
  return {{"item", progress.item}, {"progress", progress.percent / 100.0}, {"percent", progress.percent}};
}

json to_json(const std::vector<StreamRendition>& renditions) {
  json out = json::array();
  for (const auto& r : renditions)
    out.push_back({{"name", r.name}, {"width", r.width}, {"height", r.height}, {"bandwidth", r.bandwidth}});
  return out;
}

}  // namespace praktika::flashmob
