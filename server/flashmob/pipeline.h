// The flashmob's conversion pipeline as pure functions: for each kind of media, what is made and
// with which ffmpeg command line (the MP4 kept for download, the HLS ladder of renditions capped by
// the source, the poster frame), the master playlist, and subtitles checked by their bytes and
// turned into WebVTT. No state, no clock, no files: any thread; FlashmobService runs the commands.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace praktika::flashmob {

// One rung of the HLS ladder: its frame height, and the bitrates fit for it.
struct Rendition {
  int width = 0;  // even, from the source's aspect ratio
  int height = 0;
  int video_kbps = 0;
  int audio_kbps = 0;  // 0 when the source has no sound
  std::string name() const { return std::to_string(height) + "p"; }
  // The peak BANDWIDTH a master playlist states, bits per second (video + audio, with 10 % over the average).
  std::int64_t bandwidth() const { return (video_kbps + audio_kbps) * 1100LL; }
};

// The rungs (240p, 360p, 480p, 720p) up to the source's height: a source below the lowest rung gets one
// rendition at its own size; a rung within 10 % over the source counts as the source's (a 352-line video has
// 240p and 360p-as-352). Lowest first.
std::vector<Rendition> ladder(int source_width, int source_height, bool has_audio);

// What a video item's source is, as probed.
struct VideoSource {
  std::string path;
  int width = 0;
  int height = 0;
  double duration_s = 0;
  bool has_audio = false;
  bool playable = false;  // a browser plays the file as it is: no MP4 needs making
};

inline constexpr int kSegmentSeconds = 4;

// The steps of a video's conversion, in order; a restart runs the item's job again from its first step.
struct VideoPlan {
  std::optional<std::vector<std::string>> mp4;  // ffmpeg's argv, when the source is not playable as it is
  std::vector<Rendition> renditions;
  std::vector<std::string> hls;     // ffmpeg's argv writing every rendition's playlist and segments into a directory
  std::vector<std::string> poster;  // ffmpeg's argv writing one JPEG frame
  std::string master;               // master.m3u8's text
};

// `hls_dir` gets v0.m3u8, v0_00000.ts, … (one pair per rendition, lowest first); `poster` a JPEG
// frame a third of the way in (at most 5 s); `mp4` the download's file when one is made.
VideoPlan plan_video(const std::string& ffmpeg, const VideoSource& source, const std::string& hls_dir,
                     const std::string& poster, const std::string& mp4);

// The master playlist naming each rendition's playlist (v<N>.m3u8) with its bandwidth and size.
std::string master_playlist(const std::vector<Rendition>& renditions);

// A presentation: PDF pages are rendered straight away; an office file goes through LibreOffice first.
enum class SlidesRoute { render_pdf, office_then_render, needs_pdf };
SlidesRoute plan_slides(bool is_pdf, bool office_available);

// The file names a rendition's outputs use in the HLS directory (what the access route lets out).
bool is_hls_file_name(std::string_view name);

// Subtitles an author attaches: SubRip (.srt) or WebVTT recognised by their bytes (UTF-8, a BOM
// allowed; CRLF or LF), returned as WebVTT. At most `max_cues` cues; each cue's times must be in order
// and within `max_seconds`. Errors (unprocessable): "captions_not_text" (not UTF-8 or binary),
// "captions_unrecognised" (neither format), "captions_bad_time" (line and what is wrong),
// "captions_empty", "captions_too_many".
Result<std::string> to_webvtt(std::string_view bytes, int max_cues, double max_seconds);

}  // namespace praktika::flashmob
