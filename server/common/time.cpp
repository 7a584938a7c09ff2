#include "common/time.h"

#include <cstdio>

namespace praktika {
namespace {

bool digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

}  // namespace

std::optional<int> parse_utc_offset(std::string_view s) {
  if (s == "Z") return 0;
  int h = 0, m = 0;
  if (s.size() != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':') return std::nullopt;
  if (!digits(s, 1, 2, h) || !digits(s, 4, 2, m) || h > 14 || m > 59) return std::nullopt;
  int total = h * 60 + m;
  return s[0] == '-' ? -total : total;
}

std::optional<TimePoint> parse_instant(std::string_view s) {
  int y, mo, d, h, mi, sec = 0, ms = 0;
  if (!digits(s, 0, 4, y) || s.size() < 16 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d) || s[10] != 'T' || !digits(s, 11, 2, h) || s[13] != ':' || !digits(s, 14, 2, mi))
    return std::nullopt;
  size_t pos = 16;
  if (pos < s.size() && s[pos] == ':') {
    if (!digits(s, pos + 1, 2, sec)) return std::nullopt;
    pos += 3;
    if (pos < s.size() && s[pos] == '.') {
      size_t start = ++pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
      if (pos == start) return std::nullopt;
      std::string frac(s.substr(start, std::min<size_t>(3, pos - start)));
      while (frac.size() < 3) frac += '0';
      ms = std::stoi(frac);
    }
  }
  auto offset = parse_utc_offset(s.substr(pos));
  if (!offset) return std::nullopt;
  using namespace std::chrono;
  year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 59) return std::nullopt;
  TimePoint t = sys_days{ymd} + hours{h} + minutes{mi} + seconds{sec} + milliseconds{ms};
  return t - minutes{*offset};
}

std::string format_instant(TimePoint t, int offset_minutes) {
  using namespace std::chrono;
  TimePoint local = t + minutes{offset_minutes};
  auto day_point = floor<days>(local);
  year_month_day ymd{day_point};
  auto in_day = local - day_point;
  auto h = duration_cast<hours>(in_day);
  auto mi = duration_cast<minutes>(in_day - h);
  auto s = duration_cast<seconds>(in_day - h - mi);
  auto ms = (in_day - h - mi - s).count();
  char buf[48];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(ymd.year()),
                        static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                        static_cast<int>(h.count()), static_cast<int>(mi.count()), static_cast<int>(s.count()));
  if (ms) n += std::snprintf(buf + n, sizeof buf - n, ".%03d", static_cast<int>(ms));
  if (offset_minutes == 0) {
    std::snprintf(buf + n, sizeof buf - n, "Z");
  } else {
    int a = offset_minutes < 0 ? -offset_minutes : offset_minutes;
    std::snprintf(buf + n, sizeof buf - n, "%c%02d:%02d", offset_minutes < 0 ? '-' : '+', a / 60, a % 60);
  }
  return buf;
}

}  // namespace praktika
