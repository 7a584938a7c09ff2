#include "support/process.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <thread>

extern char** environ;

namespace praktika::test {

namespace {

using Clock = std::chrono::steady_clock;

Status spawn_error(std::string what) {
  return Status::internal("spawn_failed", "Не удалось запустить процесс: " + what);
}

// Resolved before fork: the child must only make async-signal-safe calls.
std::string resolve(const std::string& program) {
  if (program.find('/') != std::string::npos) return program;
  const char* path = ::getenv("PATH");
  std::string_view dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  while (!dirs.empty()) {
    auto colon = dirs.find(':');
    std::string dir(dirs.substr(0, colon));
    dirs = colon == std::string_view::npos ? std::string_view{} : dirs.substr(colon + 1);
    std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return program;
}

std::vector<std::string> build_env(const ProcessOptions& options) {
  std::vector<std::string> env;
  if (!options.clear_env)
    for (char** e = environ; *e; ++e) env.emplace_back(*e);
  for (const auto& entry : options.env) {
    auto key = entry.substr(0, entry.find('=') + 1);
    std::erase_if(env, [&](const std::string& e) { return e.starts_with(key); });
    env.push_back(entry);
  }
  return env;
}

int open_output(const Output& out) {
  if (out.kind == Output::Kind::null) return ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (out.kind == Output::Kind::file)
    return ::open(out.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  return -2;  // nothing to open
}

void close_from(int first, int except) {
  if (except >= first) {
    if (except > first) ::close_range(first, except - 1, 0);
    ::close_range(except + 1, ~0U, 0);
  } else {
    ::close_range(first, ~0U, 0);
  }
}

// In the child (async-signal-safe): `listener` becomes descriptor 3, kept across exec, and this
// process's pid is written into `pid_digits` (room for 20). Returns where the exec-error pipe is
// now (moved off descriptor 3 if it was there).
int hand_over_listener(int listener, int exec_error, char* pid_digits) {
  if (exec_error == 3) exec_error = ::fcntl(3, F_DUPFD_CLOEXEC, 4);
  if (listener != 3) ::dup2(listener, 3);
  ::fcntl(3, F_SETFD, 0);
  char reversed[20];
  int n = 0;
  for (auto pid = static_cast<unsigned long>(::getpid()); pid > 0 || n == 0; pid /= 10)
    reversed[n++] = static_cast<char>('0' + pid % 10);
  for (int i = 0; i < n; ++i) pid_digits[i] = reversed[n - 1 - i];
  pid_digits[n] = '\0';
  return exec_error;
}

ExitStatus decode(int wstatus) {
  ExitStatus s;
  if (WIFEXITED(wstatus)) s.code = WEXITSTATUS(wstatus);
  if (WIFSIGNALED(wstatus)) s.signal = WTERMSIG(wstatus);
  return s;
}

}  // namespace

Result<std::unique_ptr<Process>> Process::spawn(const ProcessOptions& options) {
  if (options.argv.empty()) return spawn_error("empty argv");
  if (options.stdout_to.kind == Output::Kind::to_stdout) return spawn_error("stdout cannot go to stdout");
  if (options.stderr_to.kind == Output::Kind::pipe) return spawn_error("only stdout can be a pipe");

  std::string program = resolve(options.argv[0]);
  std::vector<std::string> env_strings = build_env(options);
  // The child's pid is known only in the child: it writes it over these digits.
  constexpr std::string_view kListenPid = "LISTEN_PID=";
  char* listen_pid_digits = nullptr;
  if (options.listener_fd >= 0) {
    std::erase_if(env_strings, [](const std::string& e) { return e.starts_with("LISTEN_"); });
    env_strings.push_back("LISTEN_FDS=1");
    env_strings.push_back(std::string(kListenPid) + std::string(20, '0'));
  }
  std::vector<char*> argv;
  for (const auto& a : options.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const auto& e : env_strings) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  if (options.listener_fd >= 0) listen_pid_digits = env_strings.back().data() + kListenPid.size();

  // Every descriptor opened here is close-on-exec; the child dup2()s what it keeps.
  int stdin_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  int out_fd = open_output(options.stdout_to);
  int err_fd = open_output(options.stderr_to);
  int out_pipe[2] = {-1, -1};
  int exec_pipe[2] = {-1, -1};
  auto close_all = [&] {
    for (int fd : {stdin_fd, out_fd, err_fd, out_pipe[0], out_pipe[1], exec_pipe[0], exec_pipe[1]})
      if (fd >= 0) ::close(fd);
  };
  if (stdin_fd < 0 || out_fd == -1 || err_fd == -1) {
    close_all();
    return spawn_error("cannot open an output file: " + std::string(std::strerror(errno)));
  }
  if (options.stdout_to.kind == Output::Kind::pipe && ::pipe2(out_pipe, O_CLOEXEC) != 0) {
    close_all();
    return spawn_error("pipe2");
  }
  if (::pipe2(exec_pipe, O_CLOEXEC) != 0) {
    close_all();
    return spawn_error("pipe2");
  }

  const pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) {
    close_all();
    return spawn_error("fork: " + std::string(std::strerror(errno)));
  }
  if (pid == 0) {
    // Child: async-signal-safe calls only.
    ::setpgid(0, 0);
    if (options.kill_with_parent) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(127);
    }
    sigset_t all;
    ::sigemptyset(&all);
    ::sigprocmask(SIG_SETMASK, &all, nullptr);
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    ::sigaction(SIGPIPE, &dfl, nullptr);
    if (options.max_file_bytes > 0) {
      struct sigaction ignore {};
      ignore.sa_handler = SIG_IGN;
      ::sigaction(SIGXFSZ, &ignore, nullptr);  // an ignored disposition survives execve
      struct rlimit limit {};
      limit.rlim_cur = limit.rlim_max = options.max_file_bytes;
      ::setrlimit(RLIMIT_FSIZE, &limit);
    }
    if (options.max_open_files > 0) {
      struct rlimit limit {};
      limit.rlim_cur = limit.rlim_max = options.max_open_files;
      ::setrlimit(RLIMIT_NOFILE, &limit);
    }

    int child_out = options.stdout_to.kind == Output::Kind::pipe ? out_pipe[1] : out_fd;
    ::dup2(stdin_fd, 0);
    if (child_out >= 0) ::dup2(child_out, 1);
    if (options.stderr_to.kind == Output::Kind::to_stdout)
      ::dup2(1, 2);
    else if (err_fd >= 0)
      ::dup2(err_fd, 2);
    if (!options.cwd.empty() && ::chdir(options.cwd.c_str()) != 0) {
      int e = errno;
      [[maybe_unused]] auto n = ::write(exec_pipe[1], &e, sizeof e);
      ::_exit(127);
    }
    int exec_error = exec_pipe[1];
    if (options.listener_fd >= 0) {
      exec_error = hand_over_listener(options.listener_fd, exec_error, listen_pid_digits);
      close_from(4, exec_error);
    } else {
      close_from(3, exec_error);
    }
    ::execve(program.c_str(), argv.data(), envp.data());
    int e = errno;
    [[maybe_unused]] auto n = ::write(exec_error, &e, sizeof e);
    ::_exit(127);
  }

  // Parent. Also set the group from here, so a signal to the group cannot race the child's setpgid.
  ::setpgid(pid, pid);
  ::close(exec_pipe[1]);
  exec_pipe[1] = -1;
  int child_errno = 0;
  ssize_t n;
  do {
    n = ::read(exec_pipe[0], &child_errno, sizeof child_errno);
  } while (n < 0 && errno == EINTR);
  int read_end = out_pipe[0];
  out_pipe[0] = -1;
  close_all();
  if (n > 0) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (read_end >= 0) ::close(read_end);
    return spawn_error(options.argv[0] + ": " + std::strerror(child_errno));
  }
  return std::unique_ptr<Process>(new Process(pid, read_end));
}

Process::~Process() {
  if (!exit_) {
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
}

std::optional<std::string> Process::read_line(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (auto nl = buffer_.find('\n'); nl != std::string::npos) {
      std::string line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      return line;
    }
    if (eof_ || stdout_fd_ < 0) {
      eof_ = true;
      if (buffer_.empty()) return std::nullopt;
      return std::exchange(buffer_, {});
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return std::nullopt;
    pollfd p{stdout_fd_, POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(left.count()));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return std::nullopt;
    char chunk[4096];
    ssize_t got = ::read(stdout_fd_, chunk, sizeof chunk);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      eof_ = true;
      continue;
    }
    buffer_.append(chunk, static_cast<size_t>(got));
  }
}

std::optional<std::string> Process::wait_for_line(std::string_view needle, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() < 0) return std::nullopt;
    auto line = read_line(left);
    if (!line) return std::nullopt;
    if (line->find(needle) != std::string::npos) return line;
  }
}

bool Process::signal(int sig, bool whole_group) {
  if (exit_) return false;
  return ::kill(whole_group ? -pid_ : pid_, sig) == 0;
}

bool Process::try_reap() {
  if (exit_) return true;
  int status = 0;
  pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    exit_ = decode(status);
    return true;
  }
  if (r < 0 && errno == ECHILD) {  // reaped elsewhere: gone, status unknown
    exit_ = ExitStatus{};
    return true;
  }
  return false;
}

std::optional<ExitStatus> Process::wait(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  auto step = std::chrono::milliseconds(1);
  while (!try_reap()) {
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(step);
    step = std::min(step * 2, std::chrono::milliseconds(20));
  }
  return exit_;
}

bool Process::running() { return !try_reap(); }

ExitStatus Process::stop(std::chrono::milliseconds grace) {
  if (exit_) return *exit_;
  signal(SIGTERM);
  if (auto s = wait(grace)) return *s;
  ::kill(-pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  exit_ = decode(status);
  return *exit_;
}

}  // namespace praktika::test
