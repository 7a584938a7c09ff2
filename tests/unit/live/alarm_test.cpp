#include "live/alarm.h"

#include <condition_variable>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <gtest/gtest.h>

namespace praktika::live {
namespace {

using namespace std::chrono_literals;

const TimePoint kStart = *parse_instant("2026-07-08T10:00+08:00");

// An alarm on a set clock that runs a thousand times faster than real time, on its own thread.
class AlarmTest : public ::testing::Test {
 protected:
  AlarmTest() : clock_(timeline::Clock::simulated(kStart, 1000.0)), alarm_(io_, clock_) {
    thread_ = std::thread([this] { io_.run(); });
  }
  ~AlarmTest() override {
    alarm_.stop();
    guard_.reset();
    thread_.join();
  }

  Alarm::Wake record(std::string name) {
    return [this, name] {
      std::lock_guard lock(mutex_);
      fired_.push_back(name);
      changed_.notify_all();
    };
  }
  // Waits for `n` wake-ups (a minute at most, for a machine under load); returns what fired.
  std::vector<std::string> wait_for(std::size_t n) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, 60s, [&] { return fired_.size() >= n; });
    return fired_;
  }

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_{io_.get_executor()};
  timeline::Clock clock_;
  Alarm alarm_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> fired_;
};

TEST_F(AlarmTest, WakesInTheOrderOfTheEventClock) {
  alarm_.set("c", kStart + 30s, record("c"));
  alarm_.set("a", kStart + 10s, record("a"));
  alarm_.set("b", kStart + 20s, record("b"));
  alarm_.start();
  EXPECT_EQ(wait_for(3), (std::vector<std::string>{"a", "b", "c"}));
}

TEST_F(AlarmTest, AKeySetAgainWakesOnlyAtItsNewInstant) {
  alarm_.set("section:e:1", kStart + 10s, record("old"));
  alarm_.set("section:e:1", kStart + 20s, record("new"));
  alarm_.set("last", kStart + 40s, record("last"));
  alarm_.start();
  EXPECT_EQ(wait_for(2), (std::vector<std::string>{"new", "last"}));
}

TEST_F(AlarmTest, ARemovedWakeUpNeverFires) {
  alarm_.set("gone", kStart + 10s, record("gone"));
  alarm_.set("gone", std::nullopt, {});
  alarm_.set("last", kStart + 20s, record("last"));
  alarm_.start();
  EXPECT_EQ(wait_for(1), (std::vector<std::string>{"last"}));
}

TEST_F(AlarmTest, AnInstantAlreadyPassedWakesAtOnce) {
  alarm_.start();
  alarm_.set("past", kStart - 1h, record("past"));
  EXPECT_EQ(wait_for(1), (std::vector<std::string>{"past"}));
}

TEST_F(AlarmTest, AWakeUpMaySetTheNextOne) {
  // The shape of the flashmob feed: each boundary pushes and sets the next.
  auto count = std::make_shared<int>(0);
  std::function<void()> step = [&, count] {
    record("step")();
    if (++*count < 3) alarm_.set("feed", clock_.now() + 5s, step);
  };
  alarm_.set("feed", kStart + 5s, step);
  alarm_.start();
  EXPECT_EQ(wait_for(3).size(), 3u);
}

TEST_F(AlarmTest, NothingFiresBeforeStart) {
  alarm_.set("early", kStart - 1h, record("early"));
  // Every handler the alarm has queued so far runs; none of them may fire a wake-up.
  std::promise<void> drained;
  boost::asio::post(io_, [&] { drained.set_value(); });
  drained.get_future().wait();
  {
    std::lock_guard lock(mutex_);
    EXPECT_TRUE(fired_.empty());
  }
  alarm_.start();
  EXPECT_EQ(wait_for(1), (std::vector<std::string>{"early"}));
}

}  // namespace
}  // namespace praktika::live
