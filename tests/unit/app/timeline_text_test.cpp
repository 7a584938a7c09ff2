#include "app/timeline_text.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "timeline/agenda.h"

namespace praktika::app {
namespace {

std::string dumped(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

TimePoint at(std::string_view s) {
  auto t = parse_instant(s);
  EXPECT_TRUE(t) << s;
  return t.value_or(TimePoint{});
}

timeline::Timeline shipped() {
  auto r = timeline::load_agenda(std::string(PRAKTIKA_SOURCE_DIR) + "/agenda/irkutsk-2020.json");
  if (auto* e = std::get_if<timeline::AgendaError>(&r)) ADD_FAILURE() << e->describe();
  return timeline::Timeline(std::get<timeline::Agenda>(r));
}

// The cached text must be the bytes the subscribe reply carried before: the front end and the
// tests read them. Asked in an order that reuses the cache and crosses every kind of boundary
// (an opening, a closing, the instant itself, a millisecond either side, and back in time).
TEST(TimelineText, IsByteForByteTheSerialisedTimelineAcrossItsChanges) {
  const timeline::Timeline timeline = shipped();
  TimelineText text(timeline);
  using std::chrono::milliseconds;
  for (const char* instant : {"2020-05-31T23:59:59.999+08:00", "2020-06-01T00:00+08:00", "2020-06-01T00:00:00.001+08:00",
                              "2020-06-15T12:00+08:00", "2020-06-15T12:00:00.250+08:00", "2020-06-28T23:59:59.999+08:00",
                              "2020-06-29T00:00+08:00", "2020-07-06T10:00+08:00", "2020-06-02T00:00+08:00",
                              "2030-01-01T00:00+08:00", "2020-05-01T00:00+08:00"}) {
    const TimePoint now = at(instant);
    EXPECT_EQ(text.at(now), dumped(timeline.to_json(now))) << instant;
    EXPECT_EQ(text.at(now + milliseconds(1)), dumped(timeline.to_json(now + milliseconds(1)))) << instant;
  }
}

// Every instant a stage opens or closes changes the state: none of them may be served from the
// text of the span before it.
TEST(TimelineText, ChangesAtEveryStageBoundary) {
  const timeline::Timeline timeline = shipped();
  TimelineText text(timeline);
  for (const auto& stage : timeline.stage_ids()) {
    for (auto boundary : {timeline.opens_at(stage), timeline.closes_at(stage)}) {
      if (!boundary) continue;
      const auto before = *boundary - std::chrono::milliseconds(1);
      EXPECT_EQ(text.at(before), dumped(timeline.to_json(before))) << stage;
      EXPECT_EQ(text.at(*boundary), dumped(timeline.to_json(*boundary))) << stage;
    }
  }
}

}  // namespace
}  // namespace praktika::app
