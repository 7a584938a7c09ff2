// Measures uploaded files by their bytes, never their names: what a file is (sniff), how long a video
// runs and whether a browser can play it (probe_video), how many slides a presentation has
// (count_slides), and whether a file fits an agenda's FilePurpose (check_file, THE rule engine for files).
// Stateless free functions; any thread may call them, each call blocks on disk (run them on a worker).
// Reads are bounded: a file is never loaded whole; zip entries, XML and video probing have caps.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "timeline/agenda.h"

namespace praktika::media {

// What the first bytes (and, for zip containers, the entry names) say a file is.
enum class FileType {
  unknown,
  // images
  jpeg, png, gif,
  // documents
  pdf, docx, xlsx, pptx, odt, ods, odp,
  ole2,  // Word/Excel/PowerPoint 97–2003: one container format for all three
  // archives
  zip, rar, seven_zip, gzip,
  // video and audio containers
  mp4,      // ISO BMFF with an mp4/3gp/m4v brand
  mov,      // QuickTime: ftyp "qt  ", or a bare moov/mdat atom first
  mkv, webm,  // EBML, told apart by the DocType
  avi, flv,
  mpeg_ps,  // MPEG program stream or elementary video: .mpg, .mpeg, .vob
  mpeg_ts,  // MPEG transport stream, 188- or 192-byte packets
  asf,      // .wmv, .asf, .wma
  rm,       // RealMedia .rm/.rmvb
  ra,       // RealAudio .ra
};

std::string_view type_id(FileType type);     // "jpeg", "pptx", "mpeg-ps", "ole2", "unknown" ...
// The Content-Type to serve a file of this type with (application/octet-stream when unsure).
std::string_view mime_type(FileType type);
std::string_view type_title(FileType type);  // Russian, for people: «видео MP4»
// Every file-name extension (lower case, no dot) under which these bytes are legitimately stored;
// a FileKind matches a file when the kind lists one of them. Empty for unknown.
std::span<const std::string_view> type_extensions(FileType type);
bool is_video_container(FileType type);
bool is_archive(FileType type);  // a plain archive: zip (not an office file), rar, 7z, gzip

// Reads the first 4 KiB, and for a zip its central directory (names only, nothing decompressed
// except the ODF "mimetype" entry, capped). Errors: "unreadable_file" when the file cannot be opened.
Result<FileType> sniff(const std::filesystem::path& path);

struct ProbeLimits {
  std::chrono::milliseconds deadline{10'000};  // wall clock for the whole probe
  std::int64_t probe_bytes = 10'000'000;       // libavformat "probesize"
  std::int64_t analyze_us = 10'000'000;        // libavformat "analyzeduration", microseconds
};

struct VideoInfo {
  FileType container = FileType::unknown;  // sniffed
  std::string demuxer;                     // libavformat's name: "asf", "mov,mp4,m4a,3gp,3g2,mj2"
  std::optional<double> duration_s;        // the container's, else the longest stream's
  std::string video_codec;                 // "h264", "wmv2", ...; empty when there is no video stream
  std::string pixel_format;                // "yuv420p", ...
  int width = 0;
  int height = 0;
  std::string audio_codec;                 // empty when there is no audio stream
  // A browser plays it as is: H.264 (8-bit 4:2:0)/AV1/VP9 with AAC/MP3/Opus or no audio in MP4/MOV,
  // VP8/VP9/AV1 with Opus/Vorbis in WebM. Anything else (WMV, FLV, MPEG-PS/VOB, RM, AVI, MKV) needs
  // conversion before the flashmob feed can show it.
  bool playable = false;

  nlohmann::json to_json() const;
};

// Opens the file with libavformat (only local files, only the demuxers of the containers above),
// bounded by `limits`. Errors: "unreadable_file", "not_a_video", "probe_failed", "probe_timeout".
Result<VideoInfo> probe_video(const std::filesystem::path& path, const ProbeLimits& limits = {});

// Slides of a .pptx (every p:sldId of ppt/presentation.xml: the presentation's own slide list, so
// orphaned slide parts do not count, and hidden slides DO count: they are in the file and can be
// shown), an .odp (draw:page elements of content.xml) or a .pdf (pages, via poppler).
// Errors: "unreadable_file", "not_a_presentation", "zip_bomb", "zip_too_large", "broken_presentation",
// "pdf_locked".
Result<int> count_slides(const std::filesystem::path& path);

// One broken rule: a stable English rule id and Russian text for a person.
struct Finding {
  std::string rule;      // "type", "size", "duration", "slides", "archive", "unreadable"
  std::string found;     // what the file is: «JPEG-изображение с именем .mp4», «5:01»
  std::string expected;  // what the purpose wants: «не более 5:00»
};

// The answer of POST /api/events/{id}/check/media?purpose=... and of every upload.
struct Verdict {
  bool ok = false;                  // no findings
  std::string kind;                 // the FileKind id the bytes matched; empty when none did
  std::uint64_t bytes = 0;
  std::optional<double> duration_s;
  std::optional<int> slides;
  std::optional<VideoInfo> video;   // set whenever the bytes are a video container that could be probed
  std::vector<Finding> findings;

  // {"ok","kind"(string|null),"bytes","duration_s"(number|null),"slides"(int|null),"findings":[{rule,found,expected}]}
  // plus "video":{...} when probed.
  nlohmann::json to_json() const;
};

// How far over max_duration_seconds a video may run and still pass: containers of a video cut to
// exactly 5:00 commonly report 300.02–300.1 s (audio priming, last frame's duration).
inline constexpr double kDurationToleranceSeconds = 0.5;

// Checks a file on disk against one purpose of the agenda. The kind is decided by the bytes: the
// first kind of `purpose` whose extensions meet type_extensions(sniff(path)). `declared_name` is the
// name the person gave the file (the path's own name when empty); its extension is not trusted, but
// an extension that contradicts the bytes is a "type" finding, so a wrongly chosen or renamed file is
// caught. The one place the name decides: OLE2 bytes are a .doc, .xls or .ppt alike, so for them the
// declared extension picks the kind (and a .ppt passes with slides unknown: the binary format is not
// counted). Rules, in order: unreadable → archive (when the purpose forbids archives) → type → size →
// video probe (unreadable, duration) → slides (when the kind has max_slides). Never throws.
Verdict check_file(const std::filesystem::path& path, const timeline::FilePurpose& purpose,
                   std::string_view declared_name = {}, const ProbeLimits& limits = {});

// What the first bytes of a video still arriving tell about its length: an MP4 or QuickTime file
// whose moov box comes before its media data declares its duration (mvhd) in its first kilobytes.
// `undecided`: the header has not arrived yet; `never`: these bytes cannot tell before the end
// (another container, media data first, no limit on the length); `fits`: the declared length is
// within the limit; `too_long`: `verdict` holds the finding check_file would give. The check of
// the whole file stays the one that decides: a `fits` here proves nothing.
enum class EarlyOutcome { undecided, never, fits, too_long };
struct EarlyVerdict {
  EarlyOutcome outcome = EarlyOutcome::undecided;
  Verdict verdict;  // with too_long: not ok, one "duration" finding
};
// `have` is how many bytes of `path` have arrived; `length` what the whole file will be. Reads a
// few box headers from the start of the file (no more than kEarlyHeaderBytes are ever walked).
EarlyVerdict early_check(const std::filesystem::path& path, std::uint64_t have, std::uint64_t length,
                         const timeline::FilePurpose& purpose, std::string_view declared_name = {});
inline constexpr std::uint64_t kEarlyHeaderBytes = 16u << 20;

}  // namespace praktika::media
