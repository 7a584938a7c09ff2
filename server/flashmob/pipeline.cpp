#include "flashmob/pipeline.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "common/utf8.h"

namespace praktika::flashmob {
namespace {

struct Rung {
  int height;
  int video_kbps;
  int audio_kbps;
};
// Bitrates fit for phones on mobile links: the lowest rung plays on well under 1 Mbit/s.
constexpr Rung kRungs[] = {{240, 400, 64}, {360, 800, 96}, {480, 1400, 128}, {720, 2800, 128}};

int even(double v) { return std::max(2, static_cast<int>(std::lround(v / 2.0)) * 2); }

std::vector<std::string> ffmpeg_head(const std::string& ffmpeg) {
  return {ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-y"};
}

}  // namespace

std::vector<Rendition> ladder(int source_width, int source_height, bool has_audio) {
  std::vector<Rendition> out;
  if (source_width <= 0 || source_height <= 0) return out;
  double aspect = static_cast<double>(source_width) / source_height;
  for (const Rung& r : kRungs) {
    if (r.height > source_height * 1.1) break;
    int height = std::min(r.height, even(source_height));
    out.push_back({even(height * aspect), height, r.video_kbps, has_audio ? r.audio_kbps : 0});
  }
  if (out.empty()) {
    // Smaller than the lowest rung: one rendition at the source's own size.
    const Rung& r = kRungs[0];
    out.push_back({even(source_width), even(source_height), r.video_kbps, has_audio ? r.audio_kbps : 0});
  }
  return out;
}

std::string master_playlist(const std::vector<Rendition>& renditions) {
  std::string m = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-INDEPENDENT-SEGMENTS\n";
  for (size_t i = 0; i < renditions.size(); ++i) {
    const Rendition& r = renditions[i];
    bool audio = r.audio_kbps > 0;
    m += "#EXT-X-STREAM-INF:BANDWIDTH=" + std::to_string(r.bandwidth()) +
         ",AVERAGE-BANDWIDTH=" + std::to_string((r.video_kbps + r.audio_kbps) * 1000LL) +
         ",RESOLUTION=" + std::to_string(r.width) + "x" + std::to_string(r.height) + ",CODECS=\"avc1.4d401f" +
         (audio ? ",mp4a.40.2" : "") + "\",NAME=\"" + r.name() + "\"\n";
    m += "v" + std::to_string(i) + ".m3u8\n";
  }
  return m;
}

VideoPlan plan_video(const std::string& ffmpeg, const VideoSource& source, const std::string& hls_dir,
                     const std::string& poster, const std::string& mp4) {
  VideoPlan plan;
  if (!source.playable) {
    // H.264/AAC in MP4, the moov atom first so playback starts before the whole file arrives.
    auto a = ffmpeg_head(ffmpeg);
    a.insert(a.end(), {"-i", source.path, "-map", "0:v:0", "-map", "0:a:0?", "-c:v", "libx264", "-preset",
                       "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", "-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2",
                       "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", "-progress", "pipe:1", "-nostats",
                       "-f", "mp4", mp4});
    plan.mp4 = std::move(a);
  }
  // HLS is made from what plays: the source when it is playable, else the MP4 made first.
  const std::string& input = source.playable ? source.path : mp4;
  plan.renditions = ladder(source.width, source.height, source.has_audio);
  const size_t n = plan.renditions.size();

  // One decode, split into every rendition; keyframes every kSegmentSeconds so segments align
  // across renditions (a quality switch lands on the same instant). Square pixels: the rung's
  // width is rounded, and the scaler would otherwise keep the aspect through the pixel shape.
  std::string graph = "[0:v:0]format=yuv420p,split=" + std::to_string(n);
  for (size_t i = 0; i < n; ++i) graph += "[s" + std::to_string(i) + "]";
  for (size_t i = 0; i < n; ++i) {
    const Rendition& r = plan.renditions[i];
    graph += ";[s" + std::to_string(i) + "]scale=" + std::to_string(r.width) + ":" + std::to_string(r.height) +
             ",setsar=1[v" + std::to_string(i) + "]";
  }
  auto& h = plan.hls;
  h = ffmpeg_head(ffmpeg);
  h.insert(h.end(), {"-i", input, "-filter_complex", graph});
  std::string stream_map;
  for (size_t i = 0; i < n; ++i) {
    h.insert(h.end(), {"-map", "[v" + std::to_string(i) + "]"});
    if (source.has_audio) h.insert(h.end(), {"-map", "0:a:0"});
    if (!stream_map.empty()) stream_map += " ";
    stream_map += "v:" + std::to_string(i) + (source.has_audio ? ",a:" + std::to_string(i) : "");
  }
  h.insert(h.end(), {"-c:v", "libx264", "-preset", "veryfast", "-profile:v", "main", "-level:v", "3.1"});
  for (size_t i = 0; i < n; ++i) {
    const Rendition& r = plan.renditions[i];
    std::string k = std::to_string(i);
    h.insert(h.end(), {"-b:v:" + k, std::to_string(r.video_kbps) + "k", "-maxrate:v:" + k,
                       std::to_string(r.video_kbps * 11 / 10) + "k", "-bufsize:v:" + k,
                       std::to_string(r.video_kbps * 2) + "k"});
    if (source.has_audio) h.insert(h.end(), {"-b:a:" + k, std::to_string(r.audio_kbps) + "k"});
  }
  if (source.has_audio) h.insert(h.end(), {"-c:a", "aac", "-ac", "2", "-ar", "48000"});
  h.insert(h.end(), {"-force_key_frames", "expr:gte(t,n_forced*" + std::to_string(kSegmentSeconds) + ")",
                     "-sc_threshold", "0", "-f", "hls", "-hls_time", std::to_string(kSegmentSeconds),
                     "-hls_playlist_type", "vod", "-hls_flags", "independent_segments", "-hls_segment_filename",
                     hls_dir + "/v%v_%05d.ts", "-var_stream_map", stream_map, "-progress", "pipe:1", "-nostats",
                     hls_dir + "/v%v.m3u8"});

  // The poster: a frame a third of the way in, at most 5 s (past a black first frame), at the top rendition's size.
  double at = std::min(5.0, std::max(0.0, source.duration_s / 3.0));
  char at_text[32];
  std::snprintf(at_text, sizeof at_text, "%.3f", at);
  const Rendition& top = plan.renditions.empty() ? Rendition{} : plan.renditions.back();
  auto& p = plan.poster;
  p = ffmpeg_head(ffmpeg);
  p.insert(p.end(), {"-ss", at_text, "-i", input, "-frames:v", "1"});
  if (top.height > 0) p.insert(p.end(), {"-vf", "scale=" + std::to_string(top.width) + ":" + std::to_string(top.height)});
  p.insert(p.end(), {"-q:v", "4", "-f", "image2", poster});

  plan.master = master_playlist(plan.renditions);
  return plan;
}

SlidesRoute plan_slides(bool is_pdf, bool office_available) {
  if (is_pdf) return SlidesRoute::render_pdf;
  return office_available ? SlidesRoute::office_then_render : SlidesRoute::needs_pdf;
}

bool is_hls_file_name(std::string_view name) {
  if (name == "master.m3u8" || name == "poster.jpg") return true;
  // v<N>.m3u8 or v<N>_<digits>.ts
  if (name.size() < 4 || name[0] != 'v') return false;
  size_t i = 1;
  while (i < name.size() && name[i] >= '0' && name[i] <= '9') ++i;
  if (i == 1 || i > 3) return false;
  std::string_view rest = name.substr(i);
  if (rest == ".m3u8") return true;
  if (rest.size() < 5 || rest[0] != '_' || rest.substr(rest.size() - 3) != ".ts") return false;
  std::string_view digits = rest.substr(1, rest.size() - 4);
  return !digits.empty() && digits.size() <= 8 &&
         std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// ---- Subtitles ---------------------------------------------------------------------------------

namespace {

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (end == text.size()) break;
    start = end + 1;
  }
  return lines;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// [HH:]MM:SS(,|.)mmm → seconds.
std::optional<double> parse_time(std::string_view s) {
  std::vector<int> parts;
  int millis = -1;
  size_t i = 0;
  while (i < s.size()) {
    size_t j = i;
    while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
    if (j == i || j - i > 3) return std::nullopt;
    int v = std::stoi(std::string(s.substr(i, j - i)));
    if (j == s.size()) {
      if (millis != -2) return std::nullopt;
      if (j - i != 3) return std::nullopt;
      millis = v;
      break;
    }
    if (s[j] == ':') {
      if (millis == -2) return std::nullopt;
      parts.push_back(v);
    } else if (s[j] == ',' || s[j] == '.') {
      if (millis == -2) return std::nullopt;
      parts.push_back(v);
      millis = -2;
    } else {
      return std::nullopt;
    }
    i = j + 1;
  }
  if (millis < 0 || parts.size() < 2 || parts.size() > 3) return std::nullopt;
  int hours = parts.size() == 3 ? parts[0] : 0;
  int minutes = parts[parts.size() - 2];
  int seconds = parts.back();
  if (minutes > 59 || seconds > 59) return std::nullopt;
  return hours * 3600.0 + minutes * 60.0 + seconds + millis / 1000.0;
}

std::string format_time(double t) {
  long long ms = std::llround(t * 1000.0);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld.%03lld", ms / 3600000, ms / 60000 % 60, ms / 1000 % 60,
                ms % 1000);
  return buf;
}

struct TimeLine {
  double from = 0;
  double to = 0;
  std::string settings;  // WebVTT cue settings, kept for a .vtt
};

// "start --> end [settings]", or nothing when the line is not a timing line.
std::optional<TimeLine> parse_timing(std::string_view line, bool keep_settings) {
  size_t arrow = line.find("-->");
  if (arrow == std::string_view::npos) return std::nullopt;
  auto from = parse_time(trim(line.substr(0, arrow)));
  std::string_view rest = trim(line.substr(arrow + 3));
  size_t space = rest.find_first_of(" \t");
  auto to = parse_time(rest.substr(0, space));
  if (!from || !to) return std::nullopt;
  TimeLine t{*from, *to, {}};
  if (keep_settings && space != std::string_view::npos) t.settings = std::string(trim(rest.substr(space)));
  return t;
}

}  // namespace

Result<std::string> to_webvtt(std::string_view bytes, int max_cues, double max_seconds) {
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  if (!is_valid_utf8(bytes) || std::any_of(bytes.begin(), bytes.end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return u < 0x20 && c != '\n' && c != '\r' && c != '\t';
      }))
    return Status::unprocessable("captions_not_text",
                          "Файл субтитров должен быть текстом в кодировке UTF-8 (формат SRT или WebVTT).");
  auto lines = split_lines(bytes);
  size_t i = 0;
  while (i < lines.size() && trim(lines[i]).empty()) ++i;
  bool vtt = i < lines.size() && lines[i].substr(0, 6) == "WEBVTT" &&
             (lines[i].size() == 6 || lines[i][6] == ' ' || lines[i][6] == '\t');
  if (vtt) {
    // The header runs to the first blank line.
    while (i < lines.size() && !trim(lines[i]).empty()) ++i;
  }
  std::string out = "WEBVTT\n";
  int cues = 0;
  bool recognised_any = false;
  while (i < lines.size()) {
    while (i < lines.size() && trim(lines[i]).empty()) ++i;
    if (i >= lines.size()) break;
    size_t block = i;
    // A block: [identifier] timing, text lines up to a blank line. WebVTT's NOTE/STYLE/REGION blocks are dropped.
    std::string_view first = trim(lines[i]);
    if (vtt && (first.substr(0, 4) == "NOTE" || first == "STYLE" || first == "REGION")) {
      while (i < lines.size() && !trim(lines[i]).empty()) ++i;
      continue;
    }
    std::optional<TimeLine> timing = parse_timing(lines[i], vtt);
    if (!timing && i + 1 < lines.size()) {
      ++i;  // an identifier (SRT's counter)
      timing = parse_timing(lines[i], vtt);
    }
    if (!timing) {
      if (!recognised_any)
        return Status::unprocessable("captions_unrecognised",
                              "Файл не похож на субтитры: нужен формат SRT или WebVTT (строки времени вида "
                              "«00:00:01,000 --> 00:00:04,000»).");
      return Status::unprocessable("captions_bad_time", "Субтитры: в строке " + std::to_string(block + 1) +
                                                     " ожидалось время показа вида «00:00:01,000 --> 00:00:04,000».");
    }
    recognised_any = true;
    if (timing->to < timing->from || timing->to > max_seconds + 1.0)
      return Status::unprocessable("captions_bad_time", "Субтитры: в строке " + std::to_string(i + 1) +
                                                     " время показа заканчивается раньше начала или позже конца ролика.");
    if (++cues > max_cues)
      return Status::unprocessable("captions_too_many",
                            "В файле субтитров слишком много реплик: не более " + std::to_string(max_cues) + ".");
    ++i;
    out += "\n" + format_time(timing->from) + " --> " + format_time(timing->to);
    if (!timing->settings.empty()) out += " " + timing->settings;
    out += "\n";
    while (i < lines.size() && !trim(lines[i]).empty()) {
      std::string text(lines[i]);
      // "-->" may not appear in a cue's text.
      for (size_t at = text.find("-->"); at != std::string::npos; at = text.find("-->", at)) text.replace(at, 3, "→");
      out += text + "\n";
      ++i;
    }
  }
  if (cues == 0)
    return Status::unprocessable("captions_empty", "В файле субтитров нет ни одной реплики.");
  return out;
}

}  // namespace praktika::flashmob
