#include "support/process.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <thread>
#include <fstream>
#include <sstream>

#include "support/ports.h"

namespace praktika::test {
namespace {

using namespace std::chrono_literals;

std::unique_ptr<Process> spawn(ProcessOptions options) {
  auto p = Process::spawn(options);
  EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.status().message());
  return p.ok() ? std::move(*p) : nullptr;
}

TEST(Process, ReadsStdoutLinesAndTheExitCode) {
  ProcessOptions o;
  o.argv = {"sh", "-c", "echo one; printf 'two\\nthree'; exit 3"};
  o.stdout_to = Output::pipe();
  auto p = spawn(o);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->read_line(5s), "one");
  EXPECT_EQ(p->read_line(5s), "two");
  EXPECT_EQ(p->read_line(5s), "three");
  EXPECT_EQ(p->read_line(5s), std::nullopt);
  EXPECT_TRUE(p->eof());
  auto status = p->wait(5s);
  ASSERT_TRUE(status);
  EXPECT_EQ(status->code, 3);
  EXPECT_TRUE(status->exited_normally());
}

TEST(Process, PassesEnvironmentAndWorkingDirectory) {
  ProcessOptions o;
  o.argv = {"sh", "-c", "echo \"$PRAKTIKA_X\"; pwd"};
  o.env = {"PRAKTIKA_X=hello world"};
  o.cwd = "/tmp";
  o.stdout_to = Output::pipe();
  auto p = spawn(o);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->read_line(5s), "hello world");
  EXPECT_EQ(p->read_line(5s), "/tmp");
}

TEST(Process, WritesStdoutAndStderrToFiles) {
  const std::string path = "/tmp/praktika-process-test-" + std::to_string(::getpid()) + ".log";
  ProcessOptions o;
  o.argv = {"sh", "-c", "echo out; echo err >&2"};
  o.stdout_to = Output::file(path);
  o.stderr_to = Output::to_stdout();
  auto p = spawn(o);
  ASSERT_TRUE(p);
  ASSERT_TRUE(p->wait(5s));
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "out\nerr\n");
  std::remove(path.c_str());
}

TEST(Process, WaitForLineSkipsToTheMatchAndTimesOut) {
  ProcessOptions o;
  o.argv = {"sh", "-c", "echo starting; echo 'listening on 8080'; sleep 30"};
  o.stdout_to = Output::pipe();
  auto p = spawn(o);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->wait_for_line("listening", 5s), "listening on 8080");
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(p->read_line(200ms), std::nullopt);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 190ms);
  EXPECT_FALSE(p->eof());
  EXPECT_TRUE(p->running());
  EXPECT_EQ(p->wait(100ms), std::nullopt);
}

TEST(Process, SignalEndsTheChildAndStopEscalates) {
  ProcessOptions o;
  o.argv = {"sleep", "30"};
  auto p = spawn(o);
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->signal(SIGTERM));
  auto status = p->wait(5s);
  ASSERT_TRUE(status);
  EXPECT_EQ(status->signal, SIGTERM);
  EXPECT_FALSE(p->signal(SIGTERM));

  o.argv = {"sh", "-c", "trap '' TERM; echo ready; sleep 30"};
  o.stdout_to = Output::pipe();
  auto stubborn = spawn(o);
  ASSERT_TRUE(stubborn);
  ASSERT_EQ(stubborn->read_line(5s), "ready");
  auto ended = stubborn->stop(200ms);
  EXPECT_EQ(ended.signal, SIGKILL);
}

TEST(Process, UnknownProgramIsAnErrorNotAChild) {
  ProcessOptions o;
  o.argv = {"praktika-no-such-program"};
  auto p = Process::spawn(o);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), "spawn_failed");
}

TEST(Process, DestructorKillsTheChildAndItsGroup) {
  pid_t child = 0;
  {
    ProcessOptions o;
    o.argv = {"sh", "-c", "sleep 30 & echo $!; wait"};
    o.stdout_to = Output::pipe();
    auto p = spawn(o);
    ASSERT_TRUE(p);
    auto line = p->read_line(5s);
    ASSERT_TRUE(line);
    child = std::stoi(*line);
    EXPECT_EQ(::kill(child, 0), 0);
  }
  // The grandchild was killed with the group (it may linger as a zombie of init briefly).
  auto deadline = std::chrono::steady_clock::now() + 5s;
  bool gone = false;
  while (!gone && std::chrono::steady_clock::now() < deadline) {
    std::ifstream stat("/proc/" + std::to_string(child) + "/stat");
    std::string text;
    std::getline(stat, text);
    gone = !stat || text.find(") Z") != std::string::npos;
    if (!gone) std::this_thread::sleep_for(10ms);
  }
  EXPECT_TRUE(gone);
}

TEST(Process, InheritedDescriptorsAreClosedInTheChild) {
  // Deliberately without close-on-exec, and high, so the child's own descriptors cannot reuse it.
  int low = ::open("/dev/null", O_RDONLY);
  ASSERT_GE(low, 0);
  int fd = ::fcntl(low, F_DUPFD, 100);
  ::close(low);
  ASSERT_GE(fd, 100);
  ProcessOptions o;
  o.argv = {"sh", "-c", "ls /proc/self/fd"};
  o.stdout_to = Output::pipe();
  auto p = spawn(o);
  ASSERT_TRUE(p);
  std::vector<std::string> fds;
  while (auto line = p->read_line(5s)) fds.push_back(*line);
  ::close(fd);
  EXPECT_EQ(std::count(fds.begin(), fds.end(), std::to_string(fd)), 0) << "fd " << fd << " leaked";
}

TEST(Ports, FreePortCanBeBoundOnLoopback) {
  int port = free_port();
  ASSERT_GT(port, 0);
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ::close(fd);
}

}  // namespace
}  // namespace praktika::test
