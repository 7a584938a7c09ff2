// Pushes stage_opened / stage_closed on timeline:{event} when the event clock crosses a stage
// boundary, and calls `on_alarm` when it crosses one of `alarms` (the reminders' warning
// instants). Keeps one wake-up, "stages:{event}", on the Alarm; `on_alarm` runs on the alarm's
// strand and must only post work elsewhere. The timeline, clock and publisher outlive the alarm.
#pragma once

#include <functional>
#include <vector>

#include "common/time.h"
#include "live/alarm.h"
#include "live/publisher.h"
#include "timeline/clock.h"
#include "timeline/timeline.h"

namespace praktika::live {

// Boundaries are counted from the moment of this call. Returns the alarm's source for it: an
// instance that takes the alarm over counts from then on (a boundary crossed in the seconds
// between a holder's death and the takeover is not pushed; a subscribe gets the timeline anyway).
std::function<void(bool taken)> push_stage_changes(Alarm& alarm, Publisher& publisher, const timeline::Timeline& timeline,
                        const timeline::Clock& clock, std::vector<TimePoint> alarms = {},
                        std::function<void()> on_alarm = {});

}  // namespace praktika::live
