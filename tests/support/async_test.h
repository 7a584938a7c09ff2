// What the tests of asynchronous code share: an io_context run by threads of its own for as long as
// the test lasts, a wait for a condition with a deadline, and a redis-server of the test's own.
// Header only: each test binary takes what it uses.
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "support/redis_server.h"

namespace praktika::test {

// One io_context run by `threads` threads (two, as the server runs it, make strands really run
// in parallel); joined in the destructor.
class IoThreads {
 public:
  explicit IoThreads(int threads = 1) : io(threads), work_(io.get_executor()) {
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { io.run(); });
  }
  ~IoThreads() {
    work_.reset();
    for (auto& t : threads_) t.join();
  }
  IoThreads(const IoThreads&) = delete;
  IoThreads& operator=(const IoThreads&) = delete;
  boost::asio::io_context io;

 private:
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::vector<std::thread> threads_;
};

// Polls `pred` every 10 ms until it holds or `timeout` passes; its last answer.
template <typename Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return pred();
}

// A redis-server of the test's own, or null with the reason recorded as a failure.
inline std::unique_ptr<RedisServer> start_redis() {
  auto server = RedisServer::start();
  EXPECT_TRUE(server.ok()) << (server.ok() ? "" : server.status().message());
  return server.ok() ? std::move(*server) : nullptr;
}

}  // namespace praktika::test
