#include "live/alarm.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "live/wakeups.h"

namespace praktika::live {

namespace asio = boost::asio;

struct Alarm::State : std::enable_shared_from_this<Alarm::State> {
  State(asio::io_context& io, const timeline::Clock& clock) : clock(clock), timer(asio::make_strand(io)) {}

  // Constant after construction.
  const timeline::Clock& clock;

  // Set before start(), then read on the strand only.
  std::function<bool()> held;
  std::chrono::milliseconds refresh_every{1000};
  std::vector<std::function<void(bool)>> sources;

  // Only on the timer's strand.
  asio::steady_timer timer;
  asio::steady_timer refresh_timer{timer.get_executor()};
  Wakeups wakeups;
  bool started = false;
  bool stopped = false;
  bool owned = false;  // held the lease at the last refresh

  void arm() {
    if (!started || stopped) return;
    auto next = wakeups.next();
    if (!next) {
      timer.cancel();
      return;
    }
    timer.expires_after(clock.real_time_until(*next));
    timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (ec || self->stopped) return;
      self->fire();
    });
  }

  // A timer that woke a hair early finds nothing due and is armed again for the same instant.
  void fire() {
    auto due = wakeups.take_due(clock.now());
    if (held && !held()) due.clear();  // the owner fires them
    for (auto& wake : due) {
      if (stopped) return;
      wake();
    }
    arm();
  }

  void refresh() {
    if (stopped) return;
    const bool now_owned = held();
    if (now_owned)
      for (auto& source : sources) source(!owned);
    owned = now_owned;
    refresh_timer.expires_after(refresh_every);
    refresh_timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec) self->refresh();
    });
  }
};

Alarm::Alarm(asio::io_context& io, const timeline::Clock& clock) : state_(std::make_shared<State>(io, clock)) {}

Alarm::~Alarm() { stop(); }

void Alarm::set(std::string key, std::optional<TimePoint> at, Wake wake) {
  asio::post(state_->timer.get_executor(), [s = state_, key = std::move(key), at, wake = std::move(wake)]() mutable {
    if (at)
      s->wakeups.set(key, *at, std::move(wake));
    else
      s->wakeups.remove(key);
    s->arm();
  });
}

void Alarm::set_owner(std::function<bool()> held, std::chrono::milliseconds refresh_every) {
  state_->held = std::move(held);
  state_->refresh_every = refresh_every;
}

void Alarm::add_source(std::function<void(bool taken)> refresh) { state_->sources.push_back(std::move(refresh)); }

void Alarm::start() {
  asio::post(state_->timer.get_executor(), [s = state_] {
    s->started = true;
    s->arm();
    if (s->held) s->refresh();
  });
}

void Alarm::stop() {
  asio::post(state_->timer.get_executor(), [s = state_] {
    s->stopped = true;
    s->timer.cancel();
    s->refresh_timer.cancel();
  });
}

}  // namespace praktika::live
