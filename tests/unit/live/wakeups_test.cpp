#include "live/wakeups.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace praktika::live {
namespace {

using namespace std::chrono_literals;

const TimePoint kStart = *parse_instant("2026-07-08T10:00+08:00");

struct Recorder {
  std::vector<std::string> fired;
  Wakeups::Wake wake(std::string name) {
    return [this, name] { fired.push_back(name); };
  }
};

void run(std::vector<Wakeups::Wake> due) {
  for (auto& w : due) w();
}

TEST(Wakeups, DueWakeUpsComeEarliestFirst) {
  Wakeups w;
  Recorder r;
  w.set("c", kStart + 3s, r.wake("c"));
  w.set("a", kStart + 1s, r.wake("a"));
  w.set("b", kStart + 2s, r.wake("b"));
  run(w.take_due(kStart + 2s));
  EXPECT_EQ(r.fired, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(w.next(), kStart + 3s);
}

TEST(Wakeups, NothingIsDueBeforeItsInstant) {
  Wakeups w;
  Recorder r;
  w.set("a", kStart + 1s, r.wake("a"));
  EXPECT_TRUE(w.take_due(kStart + 999ms).empty());
  EXPECT_EQ(w.next(), kStart + 1s);
}

TEST(Wakeups, SettingAKeyAgainReplacesItsWakeUp) {
  Wakeups w;
  Recorder r;
  w.set("k", kStart + 1s, r.wake("first"));
  w.set("k", kStart + 5s, r.wake("second"));
  EXPECT_TRUE(w.take_due(kStart + 4s).empty());
  run(w.take_due(kStart + 5s));
  EXPECT_EQ(r.fired, (std::vector<std::string>{"second"}));
  EXPECT_TRUE(w.empty());
}

TEST(Wakeups, ARemovedWakeUpNeverComes) {
  Wakeups w;
  Recorder r;
  w.set("k", kStart + 1s, r.wake("k"));
  w.remove("k");
  EXPECT_TRUE(w.take_due(kStart + 1h).empty());
  EXPECT_FALSE(w.next());
}

TEST(Wakeups, TakenWakeUpsAreGone) {
  Wakeups w;
  Recorder r;
  w.set("k", kStart, r.wake("k"));
  run(w.take_due(kStart));
  EXPECT_TRUE(w.take_due(kStart + 1h).empty());
  EXPECT_EQ(r.fired.size(), 1u);
}

}  // namespace
}  // namespace praktika::live
