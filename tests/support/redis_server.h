// A real redis-server owned by one test: started on a free loopback port as a child process
// (not daemonized, no persistence), stopped and restarted on the same port. One thread at a time.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "common/status.h"
#include "support/process.h"

namespace praktika::test {

class RedisServer {
 public:
  // Starts redis-server on a free port and waits until it answers PING.
  static Result<std::unique_ptr<RedisServer>> start();
  ~RedisServer();  // kills it

  int port() const { return port_; }
  std::string url() const;  // "redis://127.0.0.1:PORT"
  bool running() const { return process_ != nullptr; }

  // Stops it (SIGTERM; SIGKILL after 5 s). Connections drop; the port becomes free.
  void stop();
  // Freezes / thaws it (SIGSTOP / SIGCONT): connections stay open and nothing is answered.
  void pause();
  void resume();
  // Starts it again on the same port, empty, and waits until it answers PING.
  Status restart();

  // Sends one command, inline syntax ("ZCARD key"), and returns the raw first reply line
  // (":3", "+PONG", "$-1"...). For checks from outside the code under test.
  Result<std::string> query(const std::string& inline_command,
                            std::chrono::milliseconds timeout = std::chrono::milliseconds(2000)) const;

 private:
  explicit RedisServer(int port) : port_(port) {}
  Status launch();

  int port_;
  std::unique_ptr<Process> process_;
};

}  // namespace praktika::test
