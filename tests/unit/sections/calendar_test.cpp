#include "sections/calendar.h"

#include <gtest/gtest.h>

namespace praktika::sections {
namespace {

std::vector<std::string> physical_lines(const std::string& ics) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < ics.size()) {
    auto end = ics.find("\r\n", at);
    out.push_back(ics.substr(at, end - at));
    at = end + 2;
  }
  return out;
}

CalendarItem long_item() {
  return {"slot-1.irkutsk-2020@praktika",
          "Моё выступление: «Семейная гостиная как ресурс сопровождения семей, воспитывающих детей-инвалидов»",
          "Секция 1; авторы: Иванова, Петрова\nвторая строка",
          "https://video-room.example.org/irkutsk-2020/section-1",
          "2020-07-08T10:00:00+08:00",
          "2020-07-08T10:15:00.500+08:00"};
}

TEST(Calendar, LongLinesAreFoldedAt75OctetsWithoutSplittingALetter) {
  std::string ics = write_calendar("Календарь", {"Asia/Irkutsk", 480}, {long_item()}, "20200620T020000Z");
  std::string unfolded;
  for (const auto& line : physical_lines(ics)) {
    EXPECT_LE(line.size(), 75u) << line;
    // A continuation never begins inside a UTF-8 sequence.
    if (line.size() > 1 && line[0] == ' ') {
      EXPECT_NE(static_cast<unsigned char>(line[1]) & 0xC0, 0x80) << line;
    }
    if (!line.empty() && line[0] == ' ') unfolded += line.substr(1);
    else unfolded += "\n" + line;
  }
  EXPECT_NE(unfolded.find("\nSUMMARY:Моё выступление: «Семейная гостиная как ресурс сопровождения семей\\, "
                          "воспитывающих детей-инвалидов»\n"),
            std::string::npos)
      << unfolded;
  EXPECT_NE(unfolded.find("\nDESCRIPTION:Секция 1\\; авторы: Иванова\\, Петрова\\nвторая строка\\n"), std::string::npos)
      << unfolded;
}

TEST(Calendar, TimesAreTheEventsWallClockUnderItsOwnVTimezone) {
  std::string ics = write_calendar("К", {"Asia/Irkutsk", 480}, {long_item()}, "20200620T020000Z");
  EXPECT_NE(ics.find("BEGIN:VTIMEZONE\r\nTZID:Asia/Irkutsk\r\n"), std::string::npos);
  EXPECT_NE(ics.find("TZOFFSETTO:+0800\r\n"), std::string::npos);
  EXPECT_NE(ics.find("DTSTART;TZID=Asia/Irkutsk:20200708T100000\r\n"), std::string::npos);
  EXPECT_NE(ics.find("DTEND;TZID=Asia/Irkutsk:20200708T101500\r\n"), std::string::npos);
  EXPECT_NE(write_calendar("К", {"UTC-03:30", -210}, {}, "x").find("TZOFFSETFROM:-0330\r\n"), std::string::npos);
}

}  // namespace
}  // namespace praktika::sections
