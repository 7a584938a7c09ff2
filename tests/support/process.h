// A child process owned by a test: spawned with its own argv, environment and output files,
// read line by line, signalled, waited for; killed (with its process group) when the owner is
// destroyed. One Process is used from one thread at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

#include "common/status.h"

namespace praktika::test {

// Where a child's stdout or stderr goes.
struct Output {
  enum class Kind { inherit, null, pipe, file, to_stdout };
  Kind kind = Kind::inherit;
  std::string path;  // for Kind::file: created or truncated

  static Output inherit() { return {Kind::inherit, {}}; }
  static Output null() { return {Kind::null, {}}; }
  // stdout only: read it with read_line(). A child that fills the pipe (64 KiB) blocks until read.
  static Output pipe() { return {Kind::pipe, {}}; }
  static Output file(std::string path) { return {Kind::file, std::move(path)}; }
  // stderr only: into whatever stdout goes to.
  static Output to_stdout() { return {Kind::to_stdout, {}}; }
};

struct ProcessOptions {
  // argv[0] without a '/' is looked up in PATH.
  std::vector<std::string> argv;
  // "KEY=VALUE" entries set on top of this process's environment (replacing the same KEY).
  std::vector<std::string> env;
  // Start with an empty environment (plus `env`) instead of this process's.
  bool clear_env = false;
  // Working directory of the child; empty: this process's.
  std::string cwd;
  Output stdout_to = Output::inherit();
  Output stderr_to = Output::inherit();
  // The child gets SIGKILL when the spawning *thread* exits (PR_SET_PDEATHSIG), so a crashed
  // test leaves no server behind. Spawn from a thread that outlives the child.
  bool kill_with_parent = true;
  // When > 0: RLIMIT_FSIZE of the child, with SIGXFSZ ignored, so a write that would make a file
  // larger fails with EFBIG. A full disk for fault tests, without root or a mount.
  std::uint64_t max_file_bytes = 0;
  // When > 0: RLIMIT_NOFILE of the child, soft and hard, so it cannot raise it either.
  std::uint64_t max_open_files = 0;
  // When >= 0: a listening socket handed to the child as a service manager hands it over
  // (systemd's socket activation: descriptor 3, LISTEN_FDS=1, LISTEN_PID the child's pid).
  int listener_fd = -1;
};

struct ExitStatus {
  int code = -1;   // exit code when the child exited
  int signal = 0;  // the signal that ended it, else 0
  bool exited_normally() const { return signal == 0; }
};

class Process {
 public:
  // The child runs in its own process group; every inherited descriptor above stderr is closed.
  // Fails when argv is empty, a file cannot be opened, or exec fails (e.g. not found).
  static Result<std::unique_ptr<Process>> spawn(const ProcessOptions& options);

  // Kills the child's process group with SIGKILL unless it has been waited for.
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }

  // The next line of stdout (Output::pipe), without its '\n'. nullopt on timeout, or at end of
  // file (then eof() is true). A final line without '\n' is returned at end of file.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout);
  // Reads lines until one contains `needle`; returns it. nullopt on timeout or end of file.
  std::optional<std::string> wait_for_line(std::string_view needle, std::chrono::milliseconds timeout);
  bool eof() const { return eof_; }

  // Sends `sig` to the child (or to its whole process group). False if it is gone.
  bool signal(int sig, bool whole_group = false);

  // Waits for the child to end. nullopt on timeout (the child keeps running).
  std::optional<ExitStatus> wait(std::chrono::milliseconds timeout);
  // Whether the child is still running (reaps it if it ended).
  bool running();
  // SIGTERM, then SIGKILL to the group after `grace`; always reaps. Returns how it ended.
  ExitStatus stop(std::chrono::milliseconds grace = std::chrono::milliseconds(5000));

 private:
  Process(pid_t pid, int stdout_fd) : pid_(pid), stdout_fd_(stdout_fd) {}
  bool try_reap();

  pid_t pid_;
  int stdout_fd_;  // -1 unless Output::pipe
  std::string buffer_;
  bool eof_ = false;
  std::optional<ExitStatus> exit_;
};

}  // namespace praktika::test
