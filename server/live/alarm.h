// The one alarm on the event clock (sped up too): every wake-up the server keeps — the
// timeline's stage pushes, the flashmob feeds' item boundaries, the section timers' warnings —
// is a named entry here, under one steady timer on one strand. A key set again replaces its
// wake-up, so a changed schedule needs no generation counter: the timer only says "look now",
// and what is due is read from the event clock when it fires.
// With several instances the alarm has an owner (live/lease.h): only the instance holding the
// lease fires, and its sources set their wake-ups again from the store when it takes the lease
// and every `refresh_every` after, so what another instance asked for, or a dead holder held,
// still fires, once for the cluster.
// set() from any thread; wake-ups and sources run on the alarm's strand one at a time (they may
// call set()); the rest from main's thread, set_owner and add_source before start(). Nothing
// fires before start() or after stop().
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/time.h"
#include "timeline/clock.h"

namespace boost::asio {
class io_context;
}

namespace praktika::live {

class Alarm {
 public:
  using Wake = std::function<void()>;

  Alarm(boost::asio::io_context& io, const timeline::Clock& clock);
  ~Alarm();
  Alarm(const Alarm&) = delete;
  Alarm& operator=(const Alarm&) = delete;

  // Wakes `wake` when the event clock reaches `at` (at once if it has), replacing the wake-up
  // named `key`; nullopt removes it.
  void set(std::string key, std::optional<TimePoint> at, Wake wake);
  // Wake-ups fire only while `held()`; those due meanwhile are dropped.
  void set_owner(std::function<bool()> held, std::chrono::milliseconds refresh_every);
  // Sets a source's wake-ups again from the store; `taken`: this instance has just become the
  // owner. Called only with an owner.
  void add_source(std::function<void(bool taken)> refresh);
  void start();
  void stop();

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace praktika::live
