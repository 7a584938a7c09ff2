// Prometheus metrics: counters, gauges and histograms that modules keep where the work happens,
// and the text exposition format (0.0.4) they are written in at a scrape. A counter or a
// histogram is a few relaxed atomics: safe and cheap from any thread, on the hot path too. A
// family (one metric by label values, e.g. HTTP requests by route and status) finds its member
// under a shared lock and creates it on first use. Gauges that need a query (the outbox) are not
// kept here: the owner computes them at scrape time and writes them with Writer.
// Names follow Prometheus' conventions: praktika_…_total for counters, _seconds, _bytes.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/mutex.h"

namespace praktika::metrics {

class Counter {
 public:
  void inc(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

class Gauge {
 public:
  void add(std::int64_t n) { value_.fetch_add(n, std::memory_order_relaxed); }
  void set(std::int64_t n) { value_.store(n, std::memory_order_relaxed); }
  std::int64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> value_{0};
};

class Histogram {
 public:
  // Upper bounds, ascending; +Inf is implied.
  explicit Histogram(std::vector<double> bounds);
  void observe(double value);
  void observe(std::chrono::nanoseconds d) { observe(std::chrono::duration<double>(d).count()); }

  const std::vector<double>& bounds() const { return bounds_; }
  // Per bucket (not cumulative; the last is +Inf), the count and the sum.
  std::vector<std::uint64_t> buckets() const;
  std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  double sum() const { return sum_.load(std::memory_order_relaxed); }

 private:
  const std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;
  std::atomic<std::uint64_t> count_{0};
  std::atomic<double> sum_{0};
};

// Bounds for request and transaction latencies, in seconds.
std::vector<double> latency_bounds();

using Labels = std::vector<std::pair<std::string_view, std::string_view>>;

// Writes the text exposition format. Each metric's HELP and TYPE once, then its samples.
class Writer {
 public:
  // A metric's header; its samples follow.
  void header(std::string_view name, std::string_view type, std::string_view help);
  void sample(std::string_view name, const Labels& labels, double value);
  void sample(std::string_view name, const Labels& labels, std::uint64_t value);
  void sample(std::string_view name, const Labels& labels, std::int64_t value);
  // `name`_bucket, _sum and _count; the header is the caller's (type "histogram").
  void histogram(std::string_view name, const Labels& labels, const Histogram& histogram);

  // Shorthands: header and one unlabelled sample.
  void counter(std::string_view name, std::string_view help, std::uint64_t value);
  void gauge(std::string_view name, std::string_view help, double value);

  const std::string& text() const { return out_; }

 private:
  void labels(const Labels& labels, std::string_view extra_name = {}, std::string_view extra_value = {});
  // One sample's line, its value already written as text.
  void line(std::string_view name, const Labels& labels, std::string_view value);
  std::string out_;
};

// One metric by label values, each member made on first use. T is Counter or Histogram.
template <class T>
class Family {
 public:
  // `make` builds a member (a Histogram needs its bounds).
  explicit Family(std::vector<std::string> label_names, std::vector<double> bounds = {})
      : names_(std::move(label_names)), bounds_(std::move(bounds)) {}

  T& at(std::initializer_list<std::string_view> values);
  // Every member with its label values, sorted by them.
  void write(Writer& out, std::string_view name) const;

 private:
  const std::vector<std::string> names_;
  const std::vector<double> bounds_;
  mutable SharedMutex mutex_;
  std::map<std::string, std::unique_ptr<T>, std::less<>> members_ GUARDED_BY(mutex_);  // by values joined with '\x1f'
};

// The process's own figures, read from /proc at scrape time: resident memory, open descriptors
// and their limit, threads, CPU time, start time.
void write_process(Writer& out);

// Which client addresses may read /metrics: IP addresses and CIDR prefixes ("10.0.0.0/8",
// "::1"). Empty: nobody.
class AddressList {
 public:
  // Or the first entry that is neither, as a message.
  static std::variant<AddressList, std::string> parse(const std::vector<std::string>& entries);
  bool contains(std::string_view address) const;
  const std::vector<std::string>& entries() const { return entries_; }

 private:
  struct Prefix {
    bool v6 = false;
    unsigned char bytes[16] = {};
    int bits = 0;
  };
  std::vector<Prefix> prefixes_;
  std::vector<std::string> entries_;
};

}  // namespace praktika::metrics
