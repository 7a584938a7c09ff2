#include "live/stage_pushes.h"

#include <algorithm>
#include <memory>

#include <nlohmann/json.hpp>

namespace praktika::live {
namespace {

struct StageWatch : std::enable_shared_from_this<StageWatch> {
  StageWatch(Alarm& alarm, Publisher& publisher, const timeline::Timeline& timeline, const timeline::Clock& clock,
             std::vector<TimePoint> alarms, std::function<void()> on_alarm)
      : alarm(alarm),
        publisher(publisher),
        timeline(timeline),
        clock(clock),
        alarms(std::move(alarms)),
        on_alarm(std::move(on_alarm)),
        topic(topic::timeline(timeline.event_id())),
        key("stages:" + timeline.event_id()) {
    std::sort(this->alarms.begin(), this->alarms.end());
  }

  // Constant after construction.
  Alarm& alarm;
  Publisher& publisher;
  const timeline::Timeline& timeline;
  const timeline::Clock& clock;
  std::vector<TimePoint> alarms;  // sorted
  const std::function<void()> on_alarm;
  const std::string topic;
  const std::string key;

  // Only on the alarm's strand (and in push_stage_changes, before the first wake-up is set).
  TimePoint last{};

  void schedule() {
    auto next = timeline.next_boundary_after(last);
    auto warning = std::upper_bound(alarms.begin(), alarms.end(), last);
    if (warning != alarms.end() && (!next || *warning < *next)) next = *warning;
    alarm.set(key, next, [self = shared_from_this()] { self->fire(); });
  }

  // Every boundary up to now is pushed, in order.
  void fire() {
    TimePoint now = clock.now();
    for (const auto& change : timeline.changes_in(last, now)) {
      nlohmann::json data = {
          {"stage", change.stage}, {"at", timeline.format(change.at)}, {"timeline", timeline.to_json(now)}};
      publisher.publish(topic, change.opened ? "stage_opened" : "stage_closed", data);
    }
    bool crossed = std::any_of(alarms.begin(), alarms.end(), [&](TimePoint a) { return last < a && a <= now; });
    if (crossed && on_alarm) on_alarm();
    last = now;
    schedule();
  }
};

}  // namespace

std::function<void(bool taken)> push_stage_changes(Alarm& alarm, Publisher& publisher,
                                                   const timeline::Timeline& timeline, const timeline::Clock& clock,
                                                   std::vector<TimePoint> alarms, std::function<void()> on_alarm) {
  auto watch = std::make_shared<StageWatch>(alarm, publisher, timeline, clock, std::move(alarms), std::move(on_alarm));
  watch->last = clock.now();
  watch->schedule();
  return [watch](bool taken) {
    if (taken) watch->last = watch->clock.now();
    watch->schedule();
  };
}

}  // namespace praktika::live
