// The timeline topic's state as each new subscriber gets it, served from text made once per
// change. Every subscribe reply carried Timeline::to_json(now), built and serialised afresh: in a
// connection storm that was 7 % of the server's time for bytes that change only when a stage
// opens or closes. Between two such instants only "now" moves, so the rest is serialised once
// and "now" spliced in front of it. Any thread; the cached text is guarded by mutex_.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "common/mutex.h"
#include "common/time.h"
#include "timeline/timeline.h"

namespace praktika::app {

class TimelineText {
 public:
  // `timeline` is constant and outlives this.
  explicit TimelineText(const timeline::Timeline& timeline);

  // Byte for byte Timeline::to_json(now) serialised as the WebSocket replies serialise it.
  std::string at(TimePoint now);

 private:
  // `"open":[…],"stages":[…]` for the span of time that holds `now`.
  std::shared_ptr<const std::string> rest_at(TimePoint now);

  const timeline::Timeline& timeline_;
  // Every instant a stage opens or closes, sorted: the state is constant between two of them.
  std::vector<TimePoint> changes_;

  Mutex mutex_;
  std::size_t span_ GUARDED_BY(mutex_) = 0;  // how many changes lie at or before the cached text's time
  std::shared_ptr<const std::string> rest_ GUARDED_BY(mutex_);
};

}  // namespace praktika::app
