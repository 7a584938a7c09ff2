#include <algorithm>
#include <cstdint>
#include <mutex>
#include <optional>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libavutil/dict.h>
#include <libavutil/log.h>
#include <libavutil/pixdesc.h>
}

#include "media/media.h"

namespace praktika::media {
namespace {

// Only the demuxers of the containers sniff() knows: playlist and concat demuxers (hls, concat,
// image2) could make libavformat open other files named inside an upload.
constexpr const char* kDemuxers = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,flv,mpeg,mpegts,mpegvideo,asf,rm";

struct Deadline {
  std::chrono::steady_clock::time_point at;
};

int interrupt_when_late(void* opaque) {
  return std::chrono::steady_clock::now() > static_cast<Deadline*>(opaque)->at ? 1 : 0;
}

struct FormatCloser {
  void operator()(AVFormatContext* ctx) const { avformat_close_input(&ctx); }
};

struct DictFreer {
  void operator()(AVDictionary* d) const { av_dict_free(&d); }
};

// libavformat logs every oddity of a damaged upload to stderr; the caller reports findings instead.
void quiet_libav() {
  static std::once_flag once;
  std::call_once(once, [] { av_log_set_level(AV_LOG_FATAL); });
}

bool one_of(std::string_view value, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool browser_plays(const VideoInfo& v) {
  const bool iso = v.container == FileType::mp4 || v.container == FileType::mov;
  if (iso) {
    const bool video_ok =
        (v.video_codec == "h264" && one_of(v.pixel_format, {"yuv420p", "yuvj420p"})) ||
        one_of(v.video_codec, {"av1", "vp9"});
    return video_ok && one_of(v.audio_codec, {"", "aac", "mp3", "opus"});
  }
  if (v.container == FileType::webm)
    return one_of(v.video_codec, {"vp8", "vp9", "av1"}) && one_of(v.audio_codec, {"", "opus", "vorbis"});
  return false;
}

// For files whose header carries no duration (a browser's MediaRecorder writes WebM without one):
// the last packet's end, found by reading packets without decoding them. The caller's deadline,
// through the interrupt callback, bounds the scan; an interrupted scan leaves the duration unknown.
std::optional<double> duration_from_packets(AVFormatContext* ctx) {
  AVPacket* pkt = av_packet_alloc();
  if (pkt == nullptr) return std::nullopt;
  std::optional<double> last_end;
  int rc = 0;
  while ((rc = av_read_frame(ctx, pkt)) >= 0) {
    const AVStream* st = ctx->streams[pkt->stream_index];
    const std::int64_t ts = pkt->pts != AV_NOPTS_VALUE ? pkt->pts : pkt->dts;
    if (ts != AV_NOPTS_VALUE && st->time_base.den != 0) {
      const double end = static_cast<double>(ts + std::max<std::int64_t>(pkt->duration, 0)) * av_q2d(st->time_base);
      if (!last_end || end > *last_end) last_end = end;
    }
    av_packet_unref(pkt);
  }
  av_packet_free(&pkt);
  if (rc != AVERROR_EOF || !last_end) return std::nullopt;
  const double start = ctx->start_time != AV_NOPTS_VALUE ? static_cast<double>(ctx->start_time) / AV_TIME_BASE : 0.0;
  const double duration = *last_end - start;
  if (!(duration > 0)) return std::nullopt;
  return duration;
}

}  // namespace

nlohmann::json VideoInfo::to_json() const {
  nlohmann::json j = {{"container", type_id(container)}, {"demuxer", demuxer},
                      {"video_codec", video_codec},      {"pixel_format", pixel_format},
                      {"width", width},                  {"height", height},
                      {"audio_codec", audio_codec},      {"playable", playable}};
  j["duration_s"] = duration_s ? nlohmann::json(*duration_s) : nlohmann::json(nullptr);
  return j;
}

Result<VideoInfo> probe_video(const std::filesystem::path& path, const ProbeLimits& limits) {
  quiet_libav();
  auto sniffed = sniff(path);
  if (!sniffed) return sniffed.status();
  if (!is_video_container(*sniffed))
    return Status::unsupported("not_a_video", "Файл не является видеороликом");

  VideoInfo info;
  info.container = *sniffed;

  Deadline deadline{std::chrono::steady_clock::now() + limits.deadline};
  AVFormatContext* raw = avformat_alloc_context();
  if (raw == nullptr) return Status::internal("probe_failed", "Не удалось проверить видео");
  raw->interrupt_callback.callback = interrupt_when_late;
  raw->interrupt_callback.opaque = &deadline;

  AVDictionary* raw_opts = nullptr;
  av_dict_set_int(&raw_opts, "probesize", limits.probe_bytes, 0);
  av_dict_set_int(&raw_opts, "analyzeduration", limits.analyze_us, 0);
  av_dict_set(&raw_opts, "format_whitelist", kDemuxers, 0);
  av_dict_set(&raw_opts, "protocol_whitelist", "file", 0);
  std::unique_ptr<AVDictionary, DictFreer> opts(raw_opts);

  // "file:" so a name with a colon is never taken for a protocol.
  const std::string url = "file:" + std::filesystem::absolute(path).string();
  AVDictionary* o = opts.release();
  int rc = avformat_open_input(&raw, url.c_str(), nullptr, &o);  // frees raw on failure
  opts.reset(o);
  auto timed_out = [&] { return std::chrono::steady_clock::now() > deadline.at; };
  if (rc < 0) {
    if (timed_out()) return Status::unprocessable("probe_timeout", "Видео не удалось проверить за отведённое время");
    return Status::unprocessable("probe_failed", "Видео повреждено или не читается");
  }
  std::unique_ptr<AVFormatContext, FormatCloser> ctx(raw);

  rc = avformat_find_stream_info(ctx.get(), nullptr);
  if (rc < 0) {
    if (timed_out()) return Status::unprocessable("probe_timeout", "Видео не удалось проверить за отведённое время");
    return Status::unprocessable("probe_failed", "Видео повреждено или не читается");
  }
  if (ctx->iformat != nullptr && ctx->iformat->name != nullptr) info.demuxer = ctx->iformat->name;

  if (ctx->duration != AV_NOPTS_VALUE && ctx->duration > 0) {
    info.duration_s = static_cast<double>(ctx->duration) / AV_TIME_BASE;
  } else {
    for (unsigned i = 0; i < ctx->nb_streams; ++i) {
      const AVStream* st = ctx->streams[i];
      if (st->duration == AV_NOPTS_VALUE || st->duration <= 0 || st->time_base.den == 0) continue;
      const double d = static_cast<double>(st->duration) * av_q2d(st->time_base);
      if (!info.duration_s || d > *info.duration_s) info.duration_s = d;
    }
  }

  if (!info.duration_s) info.duration_s = duration_from_packets(ctx.get());

  const int v = av_find_best_stream(ctx.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (v >= 0) {
    const AVCodecParameters* par = ctx->streams[v]->codecpar;
    info.video_codec = avcodec_get_name(par->codec_id);
    info.width = std::max(par->width, 0);
    info.height = std::max(par->height, 0);
    if (const char* pf = av_get_pix_fmt_name(static_cast<AVPixelFormat>(par->format)); pf != nullptr)
      info.pixel_format = pf;
  }
  const int a = av_find_best_stream(ctx.get(), AVMEDIA_TYPE_AUDIO, -1, v, nullptr, 0);
  if (a >= 0) info.audio_codec = avcodec_get_name(ctx->streams[a]->codecpar->codec_id);
  info.playable = browser_plays(info);
  return info;
}

}  // namespace praktika::media
