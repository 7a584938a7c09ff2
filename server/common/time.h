// Instants on the wire: ISO 8601 with an explicit offset ("2020-06-29T00:00:00+08:00").
// Pure functions, callable from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace praktika {

using Millis = std::chrono::milliseconds;
using TimePoint = std::chrono::sys_time<Millis>;

// The store keeps instants as integer milliseconds since the Unix epoch.
inline std::int64_t to_ms(TimePoint t) { return t.time_since_epoch().count(); }
inline TimePoint from_ms(std::int64_t ms) { return TimePoint(Millis(ms)); }

// Parses "YYYY-MM-DDTHH:MM[:SS[.fff]](Z|±HH:MM)". An instant without an offset is refused:
// an agenda that leaves the zone implicit would be read differently on another server.
std::optional<TimePoint> parse_instant(std::string_view text);

// Formats with the given UTC offset in minutes, seconds precision, milliseconds when non-zero.
std::string format_instant(TimePoint t, int offset_minutes = 0);

// Parses "+08:00" / "-03:30" / "Z" into minutes.
std::optional<int> parse_utc_offset(std::string_view text);

}  // namespace praktika
