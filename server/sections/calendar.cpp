#include "sections/calendar.h"

#include <cstdio>

namespace praktika::sections {
namespace {

// TEXT values: backslash, semicolon, comma and line breaks escaped (RFC 5545 3.3.11).
std::string escape_text(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == ';' || c == ',') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c != '\r') {
      out += c;
    }
  }
  return out;
}

// A content line folded at 75 octets (3.1): a continuation starts with one space; a UTF-8
// sequence is never split.
void append_line(std::string& out, const std::string& line) {
  std::size_t at = 0;
  std::size_t limit = 75;
  while (line.size() - at > limit) {
    std::size_t cut = at + limit;
    while (cut > at && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    out.append(line, at, cut - at);
    out += "\r\n ";
    at = cut;
    limit = 74;  // the leading space counts
  }
  out.append(line, at, std::string::npos);
  out += "\r\n";
}

std::string offset_text(int minutes) {
  char buf[16];
  int a = minutes < 0 ? -minutes : minutes;
  std::snprintf(buf, sizeof buf, "%c%02d%02d", minutes < 0 ? '-' : '+', a / 60, a % 60);
  return buf;
}

}  // namespace

std::string local_time(const std::string& formatted_instant) {
  std::string out;
  for (std::size_t i = 0; i < formatted_instant.size() && out.size() < 15; ++i) {
    char c = formatted_instant[i];
    if (c == '-' || c == ':') continue;
    if (c == '.' || c == '+' || c == 'Z') break;
    out += c;
  }
  return out;
}

std::string write_calendar(const std::string& name, const CalendarZone& zone, const std::vector<CalendarItem>& items,
                           const std::string& stamp) {
  std::string out;
  append_line(out, "BEGIN:VCALENDAR");
  append_line(out, "VERSION:2.0");
  append_line(out, "PRODID:-//praktika//calendar//RU");
  append_line(out, "CALSCALE:GREGORIAN");
  append_line(out, "METHOD:PUBLISH");
  append_line(out, "X-WR-CALNAME:" + escape_text(name));
  append_line(out, "X-WR-TIMEZONE:" + zone.tzid);
  // The event keeps one offset all year (the agenda's utc_offset): one STANDARD rule says so.
  append_line(out, "BEGIN:VTIMEZONE");
  append_line(out, "TZID:" + zone.tzid);
  append_line(out, "BEGIN:STANDARD");
  append_line(out, "DTSTART:19700101T000000");
  append_line(out, "TZOFFSETFROM:" + offset_text(zone.utc_offset_minutes));
  append_line(out, "TZOFFSETTO:" + offset_text(zone.utc_offset_minutes));
  append_line(out, "END:STANDARD");
  append_line(out, "END:VTIMEZONE");
  for (const auto& item : items) {
    append_line(out, "BEGIN:VEVENT");
    append_line(out, "UID:" + item.uid);
    append_line(out, "DTSTAMP:" + stamp);
    append_line(out, "DTSTART;TZID=" + zone.tzid + ":" + local_time(item.starts));
    append_line(out, "DTEND;TZID=" + zone.tzid + ":" + local_time(item.ends.empty() ? item.starts : item.ends));
    append_line(out, "SUMMARY:" + escape_text(item.summary));
    std::string description = item.description;
    if (!item.url.empty()) description += (description.empty() ? "" : "\n") + item.url;
    if (!description.empty()) append_line(out, "DESCRIPTION:" + escape_text(description));
    if (!item.url.empty()) {
      append_line(out, "LOCATION:" + escape_text(item.url));
      append_line(out, "URL:" + item.url);
    }
    append_line(out, "END:VEVENT");
  }
  append_line(out, "END:VCALENDAR");
  return out;
}

}  // namespace praktika::sections
