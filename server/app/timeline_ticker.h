// Pushes stage_opened / stage_closed on topic timeline:{event} at the moment the clock crosses a
// stage boundary, under a sped-up clock too, and calls `on_alarm` when it crosses one of the
// `alarms` (the reminders' warning instants). Owns one steady timer on its own strand; start()
// and stop() from main's thread. `on_alarm` runs on that strand: it must only post work elsewhere.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "hub/hub.h"
#include "timeline/clock.h"
#include "timeline/timeline.h"

namespace boost::asio {
class io_context;
}

namespace praktika::app {

class TimelineTicker {
 public:
  TimelineTicker(boost::asio::io_context& io, const timeline::Timeline& timeline, const timeline::Clock& clock,
                 hub::Hub& hub, std::vector<TimePoint> alarms = {}, std::function<void()> on_alarm = {});
  ~TimelineTicker();
  void start();
  void stop();

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace praktika::app
