#include "app/timeline_ticker.h"

#include <algorithm>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <nlohmann/json.hpp>

namespace praktika::app {

namespace asio = boost::asio;

struct TimelineTicker::State : std::enable_shared_from_this<TimelineTicker::State> {
  State(asio::io_context& io, const timeline::Timeline& timeline, const timeline::Clock& clock, hub::Hub& hub,
        std::vector<TimePoint> alarms, std::function<void()> on_alarm)
      : timeline(timeline),
        clock(clock),
        hub(hub),
        alarms(std::move(alarms)),
        on_alarm(std::move(on_alarm)),
        timer(asio::make_strand(io)) {}

  // Constant after construction.
  const timeline::Timeline& timeline;
  const timeline::Clock& clock;
  hub::Hub& hub;
  const std::vector<TimePoint> alarms;  // sorted
  const std::function<void()> on_alarm;
  const std::string topic = "timeline:" + timeline.event_id();

  // Only on the timer's strand.
  asio::steady_timer timer;
  TimePoint last{};
  bool stopped = false;

  void arm() {
    if (stopped) return;
    auto next = timeline.next_boundary_after(last);
    auto alarm = std::upper_bound(alarms.begin(), alarms.end(), last);
    if (alarm != alarms.end() && (!next || *alarm < *next)) next = *alarm;
    if (!next) return;
    timer.expires_after(clock.real_time_until(*next));
    timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (ec || self->stopped) return;
      self->fire();
    });
  }

  void fire() {
    TimePoint now = clock.now();
    // Every boundary up to now is published; a timer that woke a hair early publishes nothing
    // and is armed again for the same boundary.
    for (const auto& change : timeline.changes_in(last, now)) {
      nlohmann::json data = {{"stage", change.stage},
                             {"at", timeline.format(change.at)},
                             {"timeline", timeline.to_json(now)}};
      hub.publish(topic, change.opened ? "stage_opened" : "stage_closed", data);
    }
    bool alarmed = std::any_of(alarms.begin(), alarms.end(), [&](TimePoint a) { return last < a && a <= now; });
    if (alarmed && on_alarm) on_alarm();
    last = now;
    arm();
  }
};

TimelineTicker::TimelineTicker(asio::io_context& io, const timeline::Timeline& timeline, const timeline::Clock& clock,
                               hub::Hub& hub, std::vector<TimePoint> alarms, std::function<void()> on_alarm)
    : state_(std::make_shared<State>(io, timeline, clock, hub, std::move(alarms), std::move(on_alarm))) {}

TimelineTicker::~TimelineTicker() { stop(); }

void TimelineTicker::start() {
  asio::post(state_->timer.get_executor(), [s = state_] {
    s->last = s->clock.now();
    s->arm();
  });
}

void TimelineTicker::stop() {
  asio::post(state_->timer.get_executor(), [s = state_] {
    s->stopped = true;
    s->timer.cancel();
  });
}

}  // namespace praktika::app
