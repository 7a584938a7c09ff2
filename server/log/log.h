// The server's one logger: records on stderr, one line each, as text for a person at a terminal,
// as JSON, or as logfmt (`--log-format`), filtered by level (`--log-level`). configure() is called
// once by main before any thread starts; everything else from any thread. A record is formatted
// into one string and written with one write(2) under a mutex, so lines never interleave; while a
// Batching lives, info and debug records wait a moment and leave together (see there).
// Fields are ids, codes, routes and figures: never a password, a token, a cookie or a person's
// name or address (the callers pass none; nothing here could tell).
// Also kept here: the last problems worth an operator's attention (recent_problems()), which the
// organiser's live view shows in Russian, and the signed-in user of the request a worker thread is
// handling (RequestScope), which the access line names.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace praktika::log {

enum class Level : int { debug = 0, info = 1, warn = 2, error = 3 };
enum class Format { text, json, logfmt };

std::optional<Level> parse_level(std::string_view text);
std::optional<Format> parse_format(std::string_view text);
std::string_view to_string(Level level);

// Before any thread starts. Until then: text, info.
void configure(Format format, Level level);
bool enabled(Level level);  // one relaxed atomic load

// One record: `log::info("http.request").str("route", r).num("status", 200);` is written when
// the expression ends. A record below the configured level costs the level check only.
class Record {
 public:
  Record(Level level, std::string_view event);
  ~Record();
  Record(const Record&) = delete;
  Record& operator=(const Record&) = delete;

  Record& str(std::string_view key, std::string_view value);
  Record& num(std::string_view key, std::int64_t value);
  Record& num(std::string_view key, std::uint64_t value);
  Record& num(std::string_view key, int value) { return num(key, static_cast<std::int64_t>(value)); }
  Record& num(std::string_view key, unsigned value) { return num(key, static_cast<std::uint64_t>(value)); }
  Record& num(std::string_view key, long long value) { return num(key, static_cast<std::int64_t>(value)); }
  Record& num(std::string_view key, unsigned long long value) { return num(key, static_cast<std::uint64_t>(value)); }
  Record& seconds(std::string_view key, std::chrono::nanoseconds value);  // 0.001234

 private:
  void key(std::string_view k);
  void raw(std::string_view k, std::string_view v);  // a number: never quoted
  Level level_;
  bool on_;
  std::string line_;
};

// While one exists (main's `serve` holds one from the moment it listens until it has stopped),
// info and debug records wait in memory and leave in one write(2) per batch: at most
// kBatchInterval after the first of them was made, or as soon as kBatchBytes wait. A warning or
// an error writes what waits and itself at once, so a problem is never held back and the order of
// the lines stays the order of the records. One write per access line was one of every three
// system calls of a keep-alive request. The destructor writes what waits; lines a crash catches
// waiting are lost, as with Envoy's or nginx's buffered access logs. A batch is written without
// the lock its lines were taken under, so making a record never waits for stderr; should stderr
// stop taking lines (a stalled pipe), info lines beyond kMostWaiting are dropped and counted, and
// the count is written as a warning `log.lines_dropped` once stderr takes lines again. A warning
// or an error waits for stderr: those are the lines not to lose.
class Batching {
 public:
  // The write(2) calls made for records since the process started: what batching saves.
  static std::uint64_t writes();
  static constexpr std::chrono::milliseconds kBatchInterval{100};
  static constexpr std::size_t kBatchBytes = 32 * 1024;
  static constexpr std::size_t kMostWaiting = 8 << 20;
  Batching();
  ~Batching();
  Batching(const Batching&) = delete;
  Batching& operator=(const Batching&) = delete;
};

inline Record debug(std::string_view event) { return Record(Level::debug, event); }
inline Record info(std::string_view event) { return Record(Level::info, event); }
inline Record warn(std::string_view event) { return Record(Level::warn, event); }
inline Record error(std::string_view event) { return Record(Level::error, event); }

// A problem an operator should see on the live view: its stable code (`storage_full`,
// `smtp_error`, `slow_consumer`, …), the event it concerns when known, and how often it happened
// since it was first noted in the current run of repeats. Rare by nature: kept under a mutex.
struct Problem {
  std::string code;
  std::string event_id;  // empty: the whole server
  std::chrono::system_clock::time_point first;
  std::chrono::system_clock::time_point last;
  std::uint64_t count = 0;
};
void note_problem(std::string_view code, std::string_view event_id = {});
// Newest first, at most 50 distinct (code, event) pairs.
std::vector<Problem> recent_problems();

// While a worker thread handles one request: the signed-in user's id, noted by the accounts
// module when a session cookie is accepted. Nested scopes are not supported (none exist).
class RequestScope {
 public:
  RequestScope();
  ~RequestScope();
  RequestScope(const RequestScope&) = delete;
  RequestScope& operator=(const RequestScope&) = delete;
  std::int64_t user_id() const { return user_id_; }

 private:
  friend void note_user(std::int64_t id);
  std::int64_t user_id_ = 0;
};
// No-op outside a RequestScope.
void note_user(std::int64_t id);

}  // namespace praktika::log
