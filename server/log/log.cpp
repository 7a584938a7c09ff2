#include "log/log.h"

#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <deque>
#include <thread>
#include <utility>

#include "common/mutex.h"

namespace praktika::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::info)};
Format g_format = Format::text;  // set before threads start, read-only afterwards
// The lines waiting to be written; taken before g_fd_mutex when both are held.
Mutex g_write_mutex;
// One write to stderr at a time, in the order the lines were taken from g_waiting (each take gets
// a turn under g_write_mutex and waits for it under this lock alone), so no thread waits for
// stderr while it holds the lines' lock: a record's maker never waits for a batch being written.
Mutex g_fd_mutex;
std::uint64_t g_turns_given GUARDED_BY(g_write_mutex) = 0;
std::uint64_t g_turns_done GUARDED_BY(g_fd_mutex) = 0;
CondVar g_next_turn;  // with g_fd_mutex: g_turns_done grew

constexpr std::size_t kProblemsKept = 50;
Mutex g_problems_mutex;
std::deque<Problem> g_problems GUARDED_BY(g_problems_mutex);

thread_local RequestScope* t_scope = nullptr;
// A line's buffer kept between this thread's records: an access line per request would otherwise
// allocate and free one. A record made while another lives on the thread starts with an empty one.
thread_local std::string t_spare_line;
constexpr std::size_t kSpareLineMost = 4096;  // a longer line's buffer is not kept

// Lines waiting for the batch's writer thread, while a Batching lives.
struct Waiting {
  bool batching GUARDED_BY(g_write_mutex) = false;
  bool stopping GUARDED_BY(g_write_mutex) = false;
  std::string lines GUARDED_BY(g_write_mutex);
  std::uint64_t dropped GUARDED_BY(g_write_mutex) = 0;  // info lines not kept: kMostWaiting waited
  CondVar wake;  // a first line waits, or the waiting lines reached kBatchBytes, or stopping
};
Waiting g_waiting;
std::atomic<std::uint64_t> g_writes{0};

void write_fd(std::string_view text) REQUIRES(g_fd_mutex) {
  if (!text.empty()) g_writes.fetch_add(1, std::memory_order_relaxed);
  while (!text.empty()) {
    ssize_t n = ::write(STDERR_FILENO, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // stderr closed or broken: nothing better to do than drop the line
    text.remove_prefix(static_cast<std::size_t>(n));
  }
}

// Writes what waits (and `then`, after it), taking the lines out under g_write_mutex and writing
// them without it. Returns with g_write_mutex held again, and the count of lines dropped since the
// last batch, for the caller to report once it holds no lock.
std::uint64_t write_waiting(std::string& batch, std::string_view then = {}) REQUIRES(g_write_mutex) {
  batch.clear();
  batch.swap(g_waiting.lines);  // the lines keep the emptied buffer's capacity
  const std::uint64_t dropped = std::exchange(g_waiting.dropped, 0);
  const std::uint64_t turn = g_turns_given++;
  g_write_mutex.unlock();
  {
    MutexLock out(g_fd_mutex);
    while (g_turns_done != turn) g_next_turn.wait(g_fd_mutex);
    write_fd(batch);
    write_fd(then);
    ++g_turns_done;
    g_next_turn.notify_all();
  }
  g_write_mutex.lock();
  return dropped;
}

void report_dropped(std::uint64_t dropped) {
  if (dropped > 0) warn("log.lines_dropped").num("lines", static_cast<std::int64_t>(dropped));
}

void write_line(std::string_view line, Level level) {
  std::uint64_t dropped = 0;
  {
    MutexLock lock(g_write_mutex);
    if (!g_waiting.batching || level >= Level::warn) {
      std::string batch;
      dropped = write_waiting(batch, line);
    } else if (g_waiting.lines.size() >= Batching::kMostWaiting) {
      ++g_waiting.dropped;  // stderr does not keep up: an access line is worth less than the server's pace
    } else {
      const std::size_t before = g_waiting.lines.size();
      g_waiting.lines.append(line);
      if (before == 0 || (before < Batching::kBatchBytes && g_waiting.lines.size() >= Batching::kBatchBytes))
        g_waiting.wake.notify_one();
    }
  }
  report_dropped(dropped);
}

// The batch's writer: waits for a first line, gives the others kBatchInterval to join it, and
// writes them together; or writes at once when kBatchBytes wait.
void write_batches() {
  std::string batch;
  MutexLock lock(g_write_mutex);
  while (!g_waiting.stopping) {
    if (g_waiting.lines.empty()) {
      g_waiting.wake.wait(g_write_mutex);
      continue;
    }
    const auto due = std::chrono::steady_clock::now() + Batching::kBatchInterval;
    while (!g_waiting.stopping && g_waiting.lines.size() < Batching::kBatchBytes &&
           std::chrono::steady_clock::now() < due)
      g_waiting.wake.wait_until(g_write_mutex, due);
    if (const std::uint64_t dropped = write_waiting(batch)) {
      lock.unlock();
      report_dropped(dropped);
      lock.lock();
    }
  }
}

std::thread g_batch_writer;  // only Batching's constructor and destructor touch it

void append_digits(std::string& out, std::int64_t value, int width) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  for (auto n = end - buf; n < width; ++n) out += '0';
  out.append(buf, end);
}

// 2026-12-04T22:50:00.123Z. The part up to the seconds is made once a second per thread: gmtime
// and a formatted print for every access line were a few per cent of a keep-alive request.
void append_now(std::string& out) {
  thread_local std::int64_t t_second = -1;
  thread_local std::string t_prefix;  // "2026-12-04T22:50:00."
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  if (ms / 1000 != t_second) {
    t_second = ms / 1000;
    std::time_t secs = static_cast<std::time_t>(t_second);
    std::tm tm{};
    ::gmtime_r(&secs, &tm);
    t_prefix.clear();
    append_digits(t_prefix, tm.tm_year + 1900, 4);
    t_prefix += '-';
    append_digits(t_prefix, tm.tm_mon + 1, 2);
    t_prefix += '-';
    append_digits(t_prefix, tm.tm_mday, 2);
    t_prefix += 'T';
    append_digits(t_prefix, tm.tm_hour, 2);
    t_prefix += ':';
    append_digits(t_prefix, tm.tm_min, 2);
    t_prefix += ':';
    append_digits(t_prefix, tm.tm_sec, 2);
    t_prefix += '.';
  }
  out += t_prefix;
  append_digits(out, ms % 1000, 3);
  out += 'Z';
}

// One character that cannot stand as it is inside quotes: escaped, or a space for a control
// character in logfmt.
void append_escaped(std::string& out, unsigned char u, bool unicode_controls) {
  if (u == '"' || u == '\\') {
    out += '\\';
    out += static_cast<char>(u);
  } else if (u == '\n') {
    out += "\\n";
  } else if (unicode_controls) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\u%04x", u);
    out += buf;
  } else {
    out += ' ';
  }
}

// `text` in double quotes, with quotes, backslashes and line feeds escaped; the other control
// characters as \u00XX (JSON) or as a space (logfmt, read by people).
// Runs of plain characters are appended whole (a line is written for every request).
// The bytes a quoted string carries as they are: all but controls, DEL, the quote and the backslash.
constexpr std::array<bool, 256> kPlainInQuotes = [] {
  std::array<bool, 256> plain{};
  for (int u = 0x20; u < 256; ++u) plain[u] = u != 0x7f && u != '"' && u != '\\';
  return plain;
}();

void append_quoted(std::string& out, std::string_view text, bool unicode_controls) {
  out += '"';
  std::size_t plain_from = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto u = static_cast<unsigned char>(text[i]);
    if (kPlainInQuotes[u]) continue;
    out.append(text.substr(plain_from, i - plain_from));
    append_escaped(out, u, unicode_controls);
    plain_from = i + 1;
  }
  out.append(text.substr(plain_from));
  out += '"';
}

void append_json_string(std::string& out, std::string_view text) { append_quoted(out, text, true); }

bool needs_quotes(std::string_view text) {
  if (text.empty()) return true;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (c == ' ' || c == '=' || c == '"' || c == '\\' || u < 0x20 || u == 0x7f) return true;
  }
  return false;
}

void append_logfmt_value(std::string& out, std::string_view text) {
  if (!needs_quotes(text)) {
    out += text;
    return;
  }
  append_quoted(out, text, false);
}

}  // namespace

std::optional<Level> parse_level(std::string_view text) {
  if (text == "debug") return Level::debug;
  if (text == "info") return Level::info;
  if (text == "warn" || text == "warning") return Level::warn;
  if (text == "error") return Level::error;
  return std::nullopt;
}

std::optional<Format> parse_format(std::string_view text) {
  if (text == "text") return Format::text;
  if (text == "json") return Format::json;
  if (text == "logfmt") return Format::logfmt;
  return std::nullopt;
}

std::string_view to_string(Level level) {
  switch (level) {
    case Level::debug: return "debug";
    case Level::info: return "info";
    case Level::warn: return "warn";
    case Level::error: return "error";
  }
  return "info";
}

void configure(Format format, Level level) {
  g_format = format;
  g_level.store(static_cast<int>(level), std::memory_order_relaxed);
}

bool enabled(Level level) { return static_cast<int>(level) >= g_level.load(std::memory_order_relaxed); }

Record::Record(Level level, std::string_view event) : level_(level), on_(enabled(level)) {
  if (!on_) return;
  line_.swap(t_spare_line);
  line_.clear();
  line_.reserve(256);
  switch (g_format) {
    case Format::json:
      line_ += R"({"ts":")";
      append_now(line_);
      line_ += R"(","level":")";
      line_ += to_string(level);
      line_ += R"(","event":)";
      append_json_string(line_, event);
      break;
    case Format::logfmt:
      line_ += "ts=";
      append_now(line_);
      line_ += " level=";
      line_ += to_string(level);
      line_ += " event=";
      append_logfmt_value(line_, event);
      break;
    case Format::text: {
      append_now(line_);
      std::string_view word = level == Level::debug ? "DEBUG" : level == Level::info ? "INFO " : level == Level::warn ? "WARN " : "ERROR";
      line_ += ' ';
      line_ += word;
      line_ += ' ';
      line_ += event;
      break;
    }
  }
}

Record::~Record() {
  if (!on_) return;
  if (g_format == Format::json) line_ += '}';
  line_ += '\n';
  write_line(line_, level_);
  if (line_.capacity() <= kSpareLineMost) t_spare_line.swap(line_);
}

std::uint64_t Batching::writes() { return g_writes.load(std::memory_order_relaxed); }

Batching::Batching() {
  {
    MutexLock lock(g_write_mutex);
    g_waiting.batching = true;
    g_waiting.stopping = false;
  }
  g_batch_writer = std::thread(write_batches);
}

Batching::~Batching() {
  {
    MutexLock lock(g_write_mutex);
    g_waiting.stopping = true;
    g_waiting.wake.notify_one();
  }
  g_batch_writer.join();
  std::uint64_t dropped = 0;
  {
    MutexLock lock(g_write_mutex);
    std::string batch;
    dropped = write_waiting(batch);
    g_waiting.batching = false;
  }
  report_dropped(dropped);
}

// A key is a name written in the code ("route", "status"), never anyone's text: it needs no escaping.
void Record::key(std::string_view k) {
  if (g_format == Format::json) {
    line_ += ",\"";
    line_ += k;
    line_ += "\":";
  } else {
    line_ += ' ';
    line_ += k;
    line_ += '=';
  }
}

Record& Record::str(std::string_view k, std::string_view value) {
  if (!on_) return *this;
  key(k);
  if (g_format == Format::json)
    append_json_string(line_, value);
  else
    append_logfmt_value(line_, value);
  return *this;
}

void Record::raw(std::string_view k, std::string_view v) {
  key(k);
  line_ += v;
}

Record& Record::num(std::string_view k, std::int64_t value) {
  if (!on_) return *this;
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  raw(k, std::string_view(buf, static_cast<std::size_t>(end - buf)));
  return *this;
}

Record& Record::num(std::string_view k, std::uint64_t value) {
  if (!on_) return *this;
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  raw(k, std::string_view(buf, static_cast<std::size_t>(end - buf)));
  return *this;
}

Record& Record::seconds(std::string_view k, std::chrono::nanoseconds value) {
  if (!on_) return *this;
  // Seconds with six decimals (0.001234), from whole microseconds: no floating-point print.
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(value).count();
  std::string text;
  if (us < 0) text += '-';
  const std::int64_t magnitude = us < 0 ? -us : us;
  append_digits(text, magnitude / 1000000, 1);
  text += '.';
  append_digits(text, magnitude % 1000000, 6);
  raw(k, text);
  return *this;
}

void note_problem(std::string_view code, std::string_view event_id) {
  const auto now = std::chrono::system_clock::now();
  MutexLock lock(g_problems_mutex);
  for (auto it = g_problems.begin(); it != g_problems.end(); ++it) {
    if (it->code == code && it->event_id == event_id) {
      Problem moved = std::move(*it);
      g_problems.erase(it);
      moved.last = now;
      ++moved.count;
      g_problems.push_front(std::move(moved));
      return;
    }
  }
  g_problems.push_front(Problem{std::string(code), std::string(event_id), now, now, 1});
  if (g_problems.size() > kProblemsKept) g_problems.pop_back();
}

std::vector<Problem> recent_problems() {
  MutexLock lock(g_problems_mutex);
  return {g_problems.begin(), g_problems.end()};
}

RequestScope::RequestScope() { t_scope = this; }
RequestScope::~RequestScope() { t_scope = nullptr; }

void note_user(std::int64_t id) {
  if (t_scope) t_scope->user_id_ = id;
}

}  // namespace praktika::log
