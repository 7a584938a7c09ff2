#include "support/redis_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <thread>

#include "support/ports.h"

namespace praktika::test {

namespace {

using Clock = std::chrono::steady_clock;

Status failure(std::string what) { return Status::internal("redis_server", "redis-server: " + what); }

}  // namespace

Result<std::unique_ptr<RedisServer>> RedisServer::start() {
  // Another test running at the same time may bind the free port before redis-server does: then
  // it exits at start, and another free port is tried.
  constexpr int kAttempts = 5;
  Status last;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    std::unique_ptr<RedisServer> server(new RedisServer(free_port()));
    last = server->launch();
    if (last) return server;
  }
  return last;
}

RedisServer::~RedisServer() = default;  // ~Process kills it

std::string RedisServer::url() const { return "redis://127.0.0.1:" + std::to_string(port_); }

Status RedisServer::launch() {
  ProcessOptions options;
  options.argv = {"redis-server", "--port", std::to_string(port_), "--bind", "127.0.0.1", "--save", "",
                  "--appendonly", "no", "--daemonize", "no", "--dir", "/tmp"};
  options.stdout_to = Output::null();
  options.stderr_to = Output::to_stdout();
  auto process = Process::spawn(options);
  if (!process) return process.status();
  process_ = std::move(*process);

  // Answering PING is the only proof that it listens (a log line could come before the bind).
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (Clock::now() < deadline) {
    if (!process_->running()) {
      process_.reset();
      return failure("exited at start (port " + std::to_string(port_) + " taken?)");
    }
    auto pong = query("PING", std::chrono::milliseconds(200));
    if (pong && *pong == "+PONG") return Status::ok();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  process_.reset();
  return failure("did not answer PING within 10 s");
}

void RedisServer::stop() {
  if (!process_) return;
  process_->signal(SIGCONT);
  process_->stop();
  process_.reset();
}

void RedisServer::pause() {
  if (process_) process_->signal(SIGSTOP);
}

void RedisServer::resume() {
  if (process_) process_->signal(SIGCONT);
}

Status RedisServer::restart() {
  stop();
  return launch();
}

Result<std::string> RedisServer::query(const std::string& inline_command, std::chrono::milliseconds timeout) const {
  const auto deadline = Clock::now() + timeout;
  auto left_ms = [&] {
    return static_cast<int>(
        std::max<long>(0, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count()));
  };
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return failure("socket()");
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};

  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port_));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 && errno != EINPROGRESS)
    return failure("connect refused");
  pollfd p{fd, POLLOUT, 0};
  if (::poll(&p, 1, left_ms()) <= 0) return failure("connect timed out");
  int err = 0;
  socklen_t len = sizeof err;
  ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
  if (err != 0) return failure("connect failed");

  std::string request = inline_command + "\r\n";
  if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size()))
    return failure("send failed");
  std::string reply;
  while (reply.find("\r\n") == std::string::npos) {
    p = {fd, POLLIN, 0};
    if (::poll(&p, 1, left_ms()) <= 0) return failure("no reply in time");
    char chunk[512];
    ssize_t got = ::recv(fd, chunk, sizeof chunk, 0);
    if (got <= 0) return failure("connection closed");
    reply.append(chunk, static_cast<size_t>(got));
  }
  return reply.substr(0, reply.find("\r\n"));
}

}  // namespace praktika::test
