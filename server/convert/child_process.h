// Runs a converter (ffmpeg, soffice) as a child process: no shell, stdin from /dev/null, stdout
// read line by line (ffmpeg's -progress pipe), stderr kept in a file for the failure reason, a
// deadline and a cancel check. Blocks the calling thread until the child is gone: call it from a
// worker or conversion thread, never a strand. Any thread; no shared state.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace praktika::convert {

// How much nicer than the server a converter and whatever it starts run (at most 19): when both
// want the core, the server gets about nine tenths of it.
inline constexpr int kConverterNice = 10;

struct ChildOptions {
  std::vector<std::string> argv;    // argv[0] is looked up on PATH
  std::filesystem::path stderr_file;  // truncated; the child's stderr goes here
  std::chrono::milliseconds timeout{std::chrono::minutes(30)};
  std::function<void(std::string_view line)> on_line;  // each line of stdout, without '\n'
  std::function<bool()> cancelled;                     // polled about once a second
};

struct ChildOutcome {
  int exit_code = -1;      // -1 when killed by a signal
  bool timed_out = false;  // killed at the deadline
  bool cancelled = false;  // killed because cancelled() said so
  std::string stderr_tail;  // the last lines of stderr, at most ~600 bytes
};

// Errors: "spawn_failed" when the program cannot be started (absent from PATH, no resources).
Result<ChildOutcome> run_child(const ChildOptions& options);

// True when `program` names an executable file in a folder of PATH.
bool on_path(std::string_view program);

// ffmpeg -progress writes "key=value" lines; the playing position reached, in seconds, from
// "out_time_us=" (or the misnamed "out_time_ms=", also microseconds). nullopt for other lines.
std::optional<double> progress_seconds(std::string_view line);

}  // namespace praktika::convert
