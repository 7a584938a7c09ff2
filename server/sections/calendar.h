// iCalendar (RFC 5545) files of the event: its timetable, one section's running order, one
// person's own items. Pure text building; no state, any thread.
#pragma once

#include <string>
#include <vector>

namespace praktika::sections {

// One VEVENT. Instants are the server's formatted ones in the event's offset
// ("2020-07-08T10:00:00+08:00"): their wall-clock part is written with the calendar's TZID.
struct CalendarItem {
  std::string uid;  // stable across versions of the file, so a subscribed calendar moves the item
  std::string summary;
  std::string description;
  std::string url;  // the room link; also the LOCATION
  std::string starts;
  std::string ends;  // empty: a moment (a deadline), written with the same start and end
};

struct CalendarZone {
  std::string tzid;  // the agenda's time_zone ("Asia/Irkutsk"), else "UTC+HH:MM"
  int utc_offset_minutes = 0;
};

// The whole file, CRLF line ends, lines folded at 75 octets without splitting a UTF-8 character;
// a VTIMEZONE with the event's fixed offset; `stamp` a UTC instant ("20200620T020000Z").
std::string write_calendar(const std::string& name, const CalendarZone& zone, const std::vector<CalendarItem>& items,
                           const std::string& stamp);

// "2020-07-08T10:00:00.000+08:00" → "20200708T100000" (the wall clock in the instant's own offset).
std::string local_time(const std::string& formatted_instant);

}  // namespace praktika::sections
