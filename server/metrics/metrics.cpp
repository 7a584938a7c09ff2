#include "metrics/metrics.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <type_traits>

namespace praktika::metrics {
namespace {

void append_number(std::string& out, double value) {
  if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
    return;
  }
  if (std::isnan(value)) {
    out += "NaN";
    return;
  }
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);  // the shortest text that reads back exactly
  out.append(buf, static_cast<std::size_t>(end - buf));
}

void append_label_value(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
}

std::vector<std::string_view> split_key(std::string_view key) {
  std::vector<std::string_view> parts;
  for (;;) {
    auto at = key.find('\x1f');
    parts.push_back(key.substr(0, at));
    if (at == std::string_view::npos) return parts;
    key.remove_prefix(at + 1);
  }
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(new std::atomic<std::uint64_t>[bounds_.size() + 1]) {
  for (std::size_t i = 0; i <= bounds_.size(); ++i) counts_[i].store(0, std::memory_order_relaxed);
}

void Histogram::observe(double value) {
  std::size_t i = static_cast<std::size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin());
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  double sum = sum_.load(std::memory_order_relaxed);
  while (!sum_.compare_exchange_weak(sum, sum + value, std::memory_order_relaxed)) {
  }
}

std::vector<std::uint64_t> Histogram::buckets() const {
  std::vector<std::uint64_t> out(bounds_.size() + 1);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = counts_[i].load(std::memory_order_relaxed);
  return out;
}

std::vector<double> latency_bounds() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

void Writer::header(std::string_view name, std::string_view type, std::string_view help) {
  out_ += "# HELP ";
  out_ += name;
  out_ += ' ';
  out_ += help;
  out_ += "\n# TYPE ";
  out_ += name;
  out_ += ' ';
  out_ += type;
  out_ += '\n';
}

void Writer::labels(const Labels& labels, std::string_view extra_name, std::string_view extra_value) {
  if (labels.empty() && extra_name.empty()) return;
  out_ += '{';
  bool first = true;
  auto one = [&](std::string_view name, std::string_view value) {
    if (!first) out_ += ',';
    first = false;
    out_ += name;
    out_ += "=\"";
    append_label_value(out_, value);
    out_ += '"';
  };
  for (const auto& [name, value] : labels) one(name, value);
  if (!extra_name.empty()) one(extra_name, extra_value);
  out_ += '}';
}

void Writer::line(std::string_view name, const Labels& l, std::string_view value) {
  out_ += name;
  labels(l);
  out_ += ' ';
  out_ += value;
  out_ += '\n';
}

void Writer::sample(std::string_view name, const Labels& l, double value) {
  std::string text;
  append_number(text, value);
  line(name, l, text);
}

void Writer::sample(std::string_view name, const Labels& l, std::uint64_t value) {
  line(name, l, std::to_string(value));
}

void Writer::sample(std::string_view name, const Labels& l, std::int64_t value) {
  line(name, l, std::to_string(value));
}

void Writer::histogram(std::string_view name, const Labels& l, const Histogram& h) {
  const auto counts = h.buckets();
  const auto& bounds = h.bounds();
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    cumulative += counts[i];
    std::string le;
    if (i < bounds.size()) append_number(le, bounds[i]);
    else le = "+Inf";
    out_ += name;
    out_ += "_bucket";
    labels(l, "le", le);
    out_ += ' ';
    out_ += std::to_string(cumulative);
    out_ += '\n';
  }
  // The count is the +Inf bucket, read once above, so the two always agree.
  sample(std::string(name) + "_sum", l, h.sum());
  sample(std::string(name) + "_count", l, cumulative);
}

void Writer::counter(std::string_view name, std::string_view help, std::uint64_t value) {
  header(name, "counter", help);
  sample(name, {}, value);
}

void Writer::gauge(std::string_view name, std::string_view help, double value) {
  header(name, "gauge", help);
  sample(name, {}, value);
}

template <class T>
T& Family<T>::at(std::initializer_list<std::string_view> values) {
  std::string key;
  bool first = true;
  for (auto v : values) {
    if (!first) key += '\x1f';
    first = false;
    key += v;
  }
  {
    ReaderLock lock(mutex_);
    auto found = members_.find(key);
    if (found != members_.end()) return *found->second;
  }
  WriterLock lock(mutex_);
  auto& slot = members_[key];
  if (!slot) {
    if constexpr (std::is_same_v<T, Histogram>)
      slot = std::make_unique<T>(bounds_);
    else
      slot = std::make_unique<T>();
  }
  return *slot;
}

template <class T>
void Family<T>::write(Writer& out, std::string_view name) const {
  ReaderLock lock(mutex_);
  for (const auto& [key, member] : members_) {
    auto values = split_key(key);
    Labels labels;
    for (std::size_t i = 0; i < names_.size() && i < values.size(); ++i) labels.emplace_back(names_[i], values[i]);
    if constexpr (std::is_same_v<T, Histogram>)
      out.histogram(name, labels, *member);
    else
      out.sample(name, labels, member->value());
  }
}

template class Family<Counter>;
template class Family<Histogram>;

void write_process(Writer& out) {
  const long page = ::sysconf(_SC_PAGESIZE);
  const long ticks = ::sysconf(_SC_CLK_TCK);
  {
    std::ifstream statm("/proc/self/statm");
    std::uint64_t size = 0, resident = 0;
    if (statm >> size >> resident)
      out.gauge("praktika_process_resident_memory_bytes", "Resident memory of the server process.",
                static_cast<double>(resident * static_cast<std::uint64_t>(page)));
  }
  {
    std::uint64_t open = 0;
    if (DIR* dir = ::opendir("/proc/self/fd")) {
      while (dirent* e = ::readdir(dir))
        if (e->d_name[0] != '.') ++open;
      ::closedir(dir);
      if (open > 0) --open;  // the directory's own descriptor
    }
    out.gauge("praktika_process_open_fds", "Open file descriptors (connections, files, the database).",
              static_cast<double>(open));
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0)
      out.gauge("praktika_process_max_fds", "The open-file limit (soft RLIMIT_NOFILE).",
                static_cast<double>(limit.rlim_cur));
  }
  {
    // /proc/self/stat: the command is in parentheses and may hold spaces; fields after it.
    std::ifstream stat("/proc/self/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    auto close = text.rfind(')');
    if (close != std::string::npos) {
      std::istringstream rest(text.substr(close + 2));
      std::vector<std::string> f;
      std::string word;
      while (rest >> word) f.push_back(word);
      // After the command: state is field 3, utime 14, stime 15, num_threads 20, starttime 22.
      auto field = [&](int n) -> double {
        std::size_t i = static_cast<std::size_t>(n - 3);
        return i < f.size() ? std::strtod(f[i].c_str(), nullptr) : 0;
      };
      out.gauge("praktika_process_threads", "Threads of the server process.", field(20));
      out.header("praktika_process_cpu_seconds_total", "counter", "CPU time used, user and system.");
      out.sample("praktika_process_cpu_seconds_total", {}, (field(14) + field(15)) / static_cast<double>(ticks));
      std::ifstream uptime_file("/proc/uptime");
      double uptime = 0;
      if (uptime_file >> uptime) {
        double started_ago = uptime - field(22) / static_cast<double>(ticks);
        double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
        out.gauge("praktika_process_start_time_seconds", "When the process started, seconds since the epoch.",
                  std::floor(now - started_ago));
      }
    }
  }
}

std::variant<AddressList, std::string> AddressList::parse(const std::vector<std::string>& entries) {
  AddressList list;
  for (const auto& entry : entries) {
    std::string address = entry;
    int bits = -1;
    if (auto slash = entry.find('/'); slash != std::string::npos) {
      address = entry.substr(0, slash);
      std::string n = entry.substr(slash + 1);
      if (n.empty() || n.size() > 3 || n.find_first_not_of("0123456789") != std::string::npos) return entry;
      bits = std::stoi(n);
    }
    Prefix p;
    if (::inet_pton(AF_INET, address.c_str(), p.bytes) == 1) {
      p.v6 = false;
      if (bits < 0) bits = 32;
      if (bits > 32) return entry;
    } else if (::inet_pton(AF_INET6, address.c_str(), p.bytes) == 1) {
      p.v6 = true;
      if (bits < 0) bits = 128;
      if (bits > 128) return entry;
    } else {
      return entry;
    }
    p.bits = bits;
    list.prefixes_.push_back(p);
    list.entries_.push_back(entry);
  }
  return list;
}

bool AddressList::contains(std::string_view text) const {
  std::string address(text);
  unsigned char v4[4], v6[16];
  bool is_v4 = ::inet_pton(AF_INET, address.c_str(), v4) == 1;
  bool is_v6 = !is_v4 && ::inet_pton(AF_INET6, address.c_str(), v6) == 1;
  if (!is_v4 && !is_v6) return false;
  for (const auto& p : prefixes_) {
    if (p.v6 != is_v6) continue;
    const unsigned char* bytes = is_v6 ? v6 : v4;
    int full = p.bits / 8, rest = p.bits % 8;
    if (std::memcmp(bytes, p.bytes, static_cast<std::size_t>(full)) != 0) continue;
    if (rest != 0) {
      unsigned char mask = static_cast<unsigned char>(0xff << (8 - rest));
      if ((bytes[full] & mask) != (p.bytes[full] & mask)) continue;
    }
    return true;
  }
  return false;
}

}  // namespace praktika::metrics
