// A latency histogram in the manner of HdrHistogram, small enough to keep one per benchmark step:
// values below 128 are exact, above that each power of two is split into 64 linear buckets, so a
// reported percentile is at most 1/64 (1.6 %) above the true value. Values are plain integers
// (praktika_load records microseconds). Not thread-safe: one owner.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>

namespace praktika::bench {

class Histogram {
 public:
  static constexpr int kSubBits = 6;
  static constexpr std::uint64_t kSub = 1u << kSubBits;
  static constexpr int kMaxBits = 40;  // values at or past 2^40 are counted as 2^40 - 1
  static constexpr std::size_t kBuckets = kSub * (kMaxBits - kSubBits + 1);

  void record(std::uint64_t value) {
    value = std::min<std::uint64_t>(value, (std::uint64_t{1} << kMaxBits) - 1);
    ++counts_[index_of(value)];
    ++count_;
    sum_ += value;
    max_ = std::max(max_, value);
    min_ = std::min(min_, value);
  }

  void merge(const Histogram& other) {
    for (std::size_t i = 0; i < kBuckets; ++i) counts_[i] += other.counts_[i];
    count_ += other.count_;
    sum_ += other.sum_;
    max_ = std::max(max_, other.max_);
    min_ = std::min(min_, other.min_);
  }

  void clear() { *this = Histogram{}; }

  std::uint64_t count() const { return count_; }
  std::uint64_t max() const { return count_ ? max_ : 0; }
  std::uint64_t min() const { return count_ ? min_ : 0; }
  double mean() const { return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0.0; }

  // The smallest bucket's upper edge at or below which `percent` of the values lie (capped at the
  // largest value seen, so a percentile never exceeds max()). 0 when empty.
  std::uint64_t percentile(double percent) const {
    if (count_ == 0) return 0;
    double wanted = percent / 100.0 * static_cast<double>(count_);
    std::uint64_t rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(wanted + 0.999999));
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < kBuckets; ++i) {
      seen += counts_[i];
      if (seen >= rank) return std::min(upper_edge(i), max_);
    }
    return max_;
  }

  static std::size_t index_of(std::uint64_t value) {
    if (value < 2 * kSub) return static_cast<std::size_t>(value);
    int shift = std::bit_width(value) - 1 - kSubBits;  // ≥ 1 here
    return static_cast<std::size_t>(kSub * (shift + 1) + (value >> shift) - kSub);
  }

  static std::uint64_t upper_edge(std::size_t index) {
    if (index < 2 * kSub) return index;
    std::uint64_t shift = index / kSub - 1;
    std::uint64_t mantissa = index % kSub + kSub;
    return ((mantissa + 1) << shift) - 1;
  }

 private:
  std::array<std::uint64_t, kBuckets> counts_{};
  std::uint64_t count_ = 0;
  std::uint64_t sum_ = 0;
  std::uint64_t max_ = 0;
  std::uint64_t min_ = ~std::uint64_t{0};
};

}  // namespace praktika::bench
