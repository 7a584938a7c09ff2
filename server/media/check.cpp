#include <algorithm>
#include <cmath>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <system_error>

#include "common/plural.h"
#include "media/media.h"

namespace praktika::media {
namespace {

std::string lower_ascii(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

std::string extension_of(std::string_view name) {
  std::string ext = std::filesystem::path(std::string(name)).extension().string();
  if (!ext.empty() && ext.front() == '.') ext.erase(0, 1);
  return lower_ascii(ext);
}

std::string join(std::span<const std::string_view> items, std::string_view sep, std::string_view prefix = {}) {
  std::string out;
  for (std::string_view s : items) {
    if (!out.empty()) out += sep;
    out += prefix;
    out += s;
  }
  return out;
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

// 5242880 -> "5 МБ", 524288 -> "512 КБ", 1572864 -> "1,5 МБ".
std::string format_size(std::uint64_t bytes) {
  char buf[64];
  auto decimal = [&](double value, const char* unit) {
    const double rounded = std::round(value * 10) / 10;
    if (rounded == std::floor(rounded)) std::snprintf(buf, sizeof buf, "%.0f %s", rounded, unit);
    else {
      std::snprintf(buf, sizeof buf, "%.1f %s", rounded, unit);
      if (char* dot = std::strchr(buf, '.')) *dot = ',';
    }
    return std::string(buf);
  };
  if (bytes < 1024) return std::to_string(bytes) + " Б";
  if (bytes < (1u << 20)) return decimal(static_cast<double>(bytes) / 1024, "КБ");
  return decimal(static_cast<double>(bytes) / (1u << 20), "МБ");
}

std::string format_minutes(double seconds, bool tenths) {
  // A duration comes from the file's own header and may be anything a stranger wrote there;
  // beyond ten days the exact figure says nothing to a person (and would overflow an int).
  constexpr double kTenDays = 10 * 24 * 3600;
  if (!(seconds >= 0) || seconds >= kTenDays) return "более 10 суток";
  char buf[32];
  const int whole = static_cast<int>(seconds);
  if (tenths) {
    const int tenth = static_cast<int>((seconds - whole) * 10);
    std::snprintf(buf, sizeof buf, "%d:%02d,%d", whole / 60, whole % 60, tenth);
  } else {
    std::snprintf(buf, sizeof buf, "%d:%02d", whole / 60, whole % 60);
  }
  return buf;
}

std::string slides_ru(int n) { return with_count(n, {"слайд", "слайда", "слайдов"}); }

std::string kinds_expected(const timeline::FilePurpose& purpose) {
  std::vector<std::string> parts;
  for (const timeline::FileKind& kind : purpose.kinds) {
    std::vector<std::string> exts;
    for (const std::string& e : kind.extensions) exts.push_back(e);
    parts.push_back(kind.title + ": " + join(exts, ", "));
  }
  return join(parts, "; ");
}

// The extensions the bytes stand for. An OLE2 file is a .doc, .xls or .ppt and its bytes do not say
// which, so there (only there) the declared extension picks within the family.
std::span<const std::string_view> extensions_for(FileType type, const std::string& declared) {
  const auto exts = type_extensions(type);
  if (type == FileType::ole2) {
    const auto it = std::find(exts.begin(), exts.end(), declared);
    if (it != exts.end()) return {it, 1};
  }
  return exts;
}

const timeline::FileKind* kind_for(const timeline::FilePurpose& purpose, std::span<const std::string_view> exts) {
  for (const timeline::FileKind& kind : purpose.kinds)
    for (const std::string& e : kind.extensions)
      if (std::find(exts.begin(), exts.end(), lower_ascii(e)) != exts.end()) return &kind;
  return nullptr;
}

std::string size_expected(const timeline::FileKind& kind) {
  const bool has_min = kind.min_bytes > 0;
  if (has_min && kind.max_bytes)
    return "от " + format_size(static_cast<std::uint64_t>(kind.min_bytes)) + " до " +
           format_size(static_cast<std::uint64_t>(*kind.max_bytes));
  if (has_min) return "не менее " + format_size(static_cast<std::uint64_t>(kind.min_bytes));
  return "не более " + format_size(static_cast<std::uint64_t>(kind.max_bytes.value_or(0)));
}

void add(Verdict& v, std::string rule, std::string found, std::string expected) {
  v.findings.push_back({std::move(rule), std::move(found), std::move(expected)});
}

constexpr const char* kReadableExpected = "файл, который открывается без ошибок";

}  // namespace

nlohmann::json Verdict::to_json() const {
  nlohmann::json j;
  j["ok"] = ok;
  j["kind"] = kind.empty() ? nlohmann::json(nullptr) : nlohmann::json(kind);
  j["bytes"] = bytes;
  j["duration_s"] = duration_s ? nlohmann::json(*duration_s) : nlohmann::json(nullptr);
  j["slides"] = slides ? nlohmann::json(*slides) : nlohmann::json(nullptr);
  j["findings"] = nlohmann::json::array();
  for (const Finding& f : findings)
    j["findings"].push_back({{"rule", f.rule}, {"found", f.found}, {"expected", f.expected}});
  if (video) j["video"] = video->to_json();
  return j;
}

Verdict check_file(const std::filesystem::path& path, const timeline::FilePurpose& purpose,
                   std::string_view declared_name, const ProbeLimits& limits) {
  Verdict v;
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  auto type = ec ? Result<FileType>(Status::unprocessable("unreadable_file", "Файл не удаётся прочитать"))
                 : sniff(path);
  if (!type) {
    add(v, "unreadable", type.status().message(), kReadableExpected);
    return v;
  }
  v.bytes = size;

  if (is_archive(*type) && !purpose.archives_allowed) {
    add(v, "archive", std::string(type_title(*type)), "файл без архивации");
    return v;
  }
  const std::string ext = extension_of(declared_name.empty() ? path.filename().string() : declared_name);
  const timeline::FileKind* kind = kind_for(purpose, extensions_for(*type, ext));
  if (kind == nullptr) {
    add(v, "type", size == 0 ? std::string("пустой файл") : std::string(type_title(*type)), kinds_expected(purpose));
    return v;
  }
  v.kind = kind->id;

  const auto legit = type_extensions(*type);
  if (!ext.empty() && std::find(legit.begin(), legit.end(), ext) == legit.end())
    add(v, "type", std::string(type_title(*type)) + ", но имя файла оканчивается на ." + ext,
        "имя с расширением по содержимому: " + join(legit, ", ", "."));

  const bool too_small = static_cast<std::int64_t>(std::min<std::uintmax_t>(size, INT64_MAX)) < kind->min_bytes;
  const bool too_big = kind->max_bytes && size > static_cast<std::uintmax_t>(*kind->max_bytes);
  if (too_small || too_big) {
    std::string found = format_size(size);
    // "5 МБ" against "до 5 МБ" would puzzle a person: show the bytes when rounding hides the excess.
    const auto bound = static_cast<std::uint64_t>(too_big ? *kind->max_bytes : kind->min_bytes);
    if (found == format_size(bound)) found += " (" + std::to_string(size) + " Б)";
    add(v, "size", std::move(found), size_expected(*kind));
  }

  if (is_video_container(*type)) {
    auto info = probe_video(path, limits);
    if (!info) {
      add(v, "unreadable", info.status().message(), kReadableExpected);
    } else {
      v.duration_s = info->duration_s;
      if (info->video_codec.empty()) add(v, "type", "файл без видеодорожки", kinds_expected(purpose));
      if (kind->max_duration_seconds) {
        const double limit = *kind->max_duration_seconds;
        if (!info->duration_s)
          add(v, "duration", "длительность не удалось определить", "не более " + format_minutes(limit, false));
        else if (*info->duration_s > limit + kDurationToleranceSeconds)
          add(v, "duration", format_minutes(*info->duration_s, std::floor(*info->duration_s) <= limit),
              "не более " + format_minutes(limit, false));
      }
      v.video = std::move(*info);
    }
  }

  // An OLE2 .ppt cannot be counted here: it passes with slides unknown (null), for a person to check.
  if (kind->max_slides && (*type == FileType::pptx || *type == FileType::odp || *type == FileType::pdf)) {
    auto slides = count_slides(path);
    if (!slides) {
      add(v, "unreadable", slides.status().message(), kReadableExpected);
    } else {
      v.slides = *slides;
      if (*slides > *kind->max_slides)
        add(v, "slides", slides_ru(*slides), "не более " + slides_ru(*kind->max_slides));
    }
  }

  v.ok = v.findings.empty();
  return v;
}

namespace {

std::uint64_t big_endian(const unsigned char* p, int n) {
  std::uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | p[i];
  return v;
}

// Reads `n` bytes at `at` of the first `have`; false when they have not all arrived.
bool read_at(std::ifstream& in, std::uint64_t have, std::uint64_t at, unsigned char* out, std::size_t n) {
  if (at + n > have) return false;
  in.clear();
  in.seekg(static_cast<std::streamoff>(at));
  return static_cast<bool>(in.read(reinterpret_cast<char*>(out), static_cast<std::streamsize>(n)));
}

struct Box {
  std::uint64_t start = 0, header = 0, size = 0;  // size 0: to the end of the file
  char type[5] = {};
};

// The box at `at`: nullopt while its header has not arrived.
std::optional<Box> box_at(std::ifstream& in, std::uint64_t have, std::uint64_t at) {
  unsigned char h[16];
  if (!read_at(in, have, at, h, 8)) return std::nullopt;
  Box box{at, 8, big_endian(h, 4), {}};
  std::memcpy(box.type, h + 4, 4);
  if (box.size == 1) {
    if (!read_at(in, have, at + 8, h + 8, 8)) return std::nullopt;
    box.size = big_endian(h + 8, 8);
    box.header = 16;
  }
  return box;
}

// The duration an ISO BMFF / QuickTime file's movie header declares, if its moov has arrived
// before any media data. {undecided} until then.
std::pair<EarlyOutcome, double> declared_duration(const std::filesystem::path& path, std::uint64_t have) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {EarlyOutcome::undecided, 0};
  std::uint64_t at = 0;
  while (at < kEarlyHeaderBytes) {
    auto box = box_at(in, have, at);
    if (!box) return {EarlyOutcome::undecided, 0};
    const std::string_view type(box->type, 4);
    if (type == "mdat" || box->size == 0 || (box->size < box->header)) return {EarlyOutcome::never, 0};
    if (type == "moov") {
      for (std::uint64_t child = at + box->header; child + 8 <= at + box->size;) {
        auto inner = box_at(in, have, child);
        if (!inner) return {EarlyOutcome::undecided, 0};
        if (inner->size < inner->header) return {EarlyOutcome::never, 0};
        if (std::string_view(inner->type, 4) == "mvhd") {
          unsigned char h[32];
          const std::uint64_t body = child + inner->header;
          if (!read_at(in, have, body, h, 1)) return {EarlyOutcome::undecided, 0};
          const bool wide = h[0] == 1;  // version 1: 64-bit times and duration
          if (!read_at(in, have, body, h, wide ? 32 : 20)) return {EarlyOutcome::undecided, 0};
          const std::uint64_t scale = big_endian(h + (wide ? 20 : 12), 4);
          const std::uint64_t duration = wide ? big_endian(h + 24, 8) : big_endian(h + 16, 4);
          const bool unknown = wide ? duration == UINT64_MAX : duration == UINT32_MAX;
          if (scale == 0 || unknown) return {EarlyOutcome::never, 0};
          return {EarlyOutcome::fits, static_cast<double>(duration) / static_cast<double>(scale)};
        }
        child += inner->size;
      }
      return {EarlyOutcome::never, 0};  // a moov without a movie header: the full check will say
    }
    at += box->size;
  }
  return {EarlyOutcome::never, 0};
}

}  // namespace

EarlyVerdict early_check(const std::filesystem::path& path, std::uint64_t have, std::uint64_t length,
                         const timeline::FilePurpose& purpose, std::string_view declared_name) {
  EarlyVerdict early;
  if (have < 64) return early;
  auto type = sniff(path);
  if (!type) return early;
  if (*type != FileType::mp4 && *type != FileType::mov) {
    early.outcome = EarlyOutcome::never;
    return early;
  }
  const std::string ext = extension_of(declared_name.empty() ? path.filename().string() : declared_name);
  const timeline::FileKind* kind = kind_for(purpose, extensions_for(*type, ext));
  if (kind == nullptr || !kind->max_duration_seconds) {
    early.outcome = EarlyOutcome::never;
    return early;
  }
  auto [outcome, seconds] = declared_duration(path, have);
  early.outcome = outcome;
  if (outcome != EarlyOutcome::fits) return early;
  const double limit = *kind->max_duration_seconds;
  if (seconds <= limit + kDurationToleranceSeconds) return early;
  early.outcome = EarlyOutcome::too_long;
  early.verdict.kind = kind->id;
  early.verdict.bytes = length;
  early.verdict.duration_s = seconds;
  add(early.verdict, "duration", format_minutes(seconds, std::floor(seconds) <= limit),
      "не более " + format_minutes(limit, false));
  return early;
}

}  // namespace praktika::media
