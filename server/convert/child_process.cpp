#include "convert/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>

extern char** environ;

namespace praktika::convert {

namespace fs = std::filesystem;

bool on_path(std::string_view program) {
  const char* path = std::getenv("PATH");
  if (!path) return false;
  std::string_view rest(path);
  while (!rest.empty()) {
    size_t colon = rest.find(':');
    std::string_view dir = rest.substr(0, colon);
    rest = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1);
    if (dir.empty()) continue;
    fs::path candidate = fs::path(dir) / program;
    if (::access(candidate.c_str(), X_OK) == 0 && fs::is_regular_file(candidate)) return true;
  }
  return false;
}

std::optional<double> progress_seconds(std::string_view line) {
  for (std::string_view key : {"out_time_us=", "out_time_ms="}) {
    if (line.rfind(key, 0) != 0) continue;
    std::string_view value = line.substr(key.size());
    long long us = 0;
    auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), us);
    if (ec != std::errc{} || us < 0) return std::nullopt;  // "N/A" before the first frame
    return static_cast<double>(us) / 1e6;
  }
  return std::nullopt;
}

namespace {

std::string tail_of(const fs::path& file, size_t bytes) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return {};
  in.seekg(0, std::ios::end);
  auto size = static_cast<size_t>(std::max<std::streamoff>(in.tellg(), 0));
  in.seekg(static_cast<std::streamoff>(size > bytes ? size - bytes : 0));
  std::stringstream s;
  s << in.rdbuf();
  std::string text = s.str();
  if (size > bytes) {
    // Start at a line so a cut UTF-8 sequence never reaches the client.
    size_t nl = text.find('\n');
    if (nl != std::string::npos) text.erase(0, nl + 1);
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

Result<ChildOutcome> run_child(const ChildOptions& options) {
  if (options.argv.empty()) return Status::internal("spawn_failed", "Нет программы для запуска.");
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return Status::unavailable("spawn_failed", "Не удалось запустить конвертер.");

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addopen(&actions, 2, options.stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  // Its own process group, so a kill reaches whatever the converter starts itself.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);

  std::vector<char*> argv;
  for (const auto& a : options.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, argv[0], &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(out[1]);
  if (rc != 0) {
    ::close(out[0]);
    return Status::unavailable("spawn_failed", "Не удалось запустить " + options.argv[0] + ".");
  }
  // A conversion yields the core to the server: on 7 July a late item is converted while the
  // feed plays, and at equal priority the scheduler would give the server half the core. The
  // whole group, since soffice starts its own process; posix_spawn cannot set it before exec, so
  // the child runs its first microseconds at the server's priority.
  errno = 0;
  const int own = ::getpriority(PRIO_PROCESS, 0);
  if (errno == 0) ::setpriority(PRIO_PGRP, static_cast<id_t>(pid), std::min(own + kConverterNice, 19));

  ChildOutcome outcome;
  auto deadline = std::chrono::steady_clock::now() + options.timeout;
  std::string pending;
  char buffer[4096];
  bool open = true;
  while (open) {
    pollfd p{out[0], POLLIN, 0};
    int ready = ::poll(&p, 1, 1000);
    if (ready < 0 && errno != EINTR) break;
    if (ready > 0) {
      ssize_t n = ::read(out[0], buffer, sizeof buffer);
      if (n <= 0) {
        if (n < 0 && errno == EINTR) continue;
        open = false;
      } else {
        pending.append(buffer, static_cast<size_t>(n));
        size_t nl;
        while ((nl = pending.find('\n')) != std::string::npos) {
          std::string line = pending.substr(0, nl);
          if (!line.empty() && line.back() == '\r') line.pop_back();
          if (options.on_line) options.on_line(line);
          pending.erase(0, nl + 1);
        }
        if (pending.size() > 65536) pending.clear();  // no newline in sight: not progress output
      }
    }
    bool cancel = options.cancelled && options.cancelled();
    bool late = std::chrono::steady_clock::now() >= deadline;
    if (cancel || late) {
      ::kill(-pid, SIGKILL);
      outcome.cancelled = cancel;
      outcome.timed_out = !cancel;
      break;
    }
  }
  ::close(out[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  outcome.stderr_tail = tail_of(options.stderr_file, 600);
  return outcome;
}

}  // namespace praktika::convert
