// Dates as Russian documents write them: «1 марта 2025 г.», and a deadline «до 1 марта 2025 г.».
// Pure; any thread.
#pragma once

#include <array>
#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>

#include "common/time.h"

namespace praktika::timeline {

// «1 марта 2025 г.» for the calendar day of `t` at the offset; « 18:00» added when `t` is not at midnight.
inline std::string russian_date(TimePoint t, int utc_offset_minutes) {
  static constexpr std::array<std::string_view, 12> kMonths = {"января", "февраля", "марта",    "апреля",
                                                               "мая",    "июня",    "июля",     "августа",
                                                               "сентября", "октября", "ноября", "декабря"};
  const TimePoint local = t + std::chrono::minutes(utc_offset_minutes);
  const auto day_start = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::year_month_day d(day_start);
  std::string out = std::to_string(static_cast<unsigned>(d.day())) + " " +
                    std::string(kMonths[static_cast<unsigned>(d.month()) - 1]) + " " +
                    std::to_string(static_cast<int>(d.year())) + " г.";
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(local - day_start).count();
  if (minutes != 0) {
    char hm[8];
    std::snprintf(hm, sizeof hm, "%02d:%02d", static_cast<int>(minutes / 60), static_cast<int>(minutes % 60));
    out += std::string(" ") + hm;
  }
  return out;
}

// A milestone at midnight of 1 March is «до 1 марта 2025 г.»: the day itself is already late.
inline std::string deadline_text(TimePoint deadline, int utc_offset_minutes) {
  return "до " + russian_date(deadline, utc_offset_minutes);
}

}  // namespace praktika::timeline
