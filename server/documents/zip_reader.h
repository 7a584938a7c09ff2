// Internal to praktika_documents: a read-only view of a ZIP archive held in memory that never inflates
// more than it was allowed to. Not thread-safe; one check owns one reader.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

struct zip;

namespace praktika::documents::detail {

// Caps that keep a hostile archive from costing more than a few hundred megabytes.
inline constexpr std::uint64_t kMaxEntries = 10000;
inline constexpr std::uint64_t kMaxTotalInflated = 128ull << 20;  // everything read from one archive
// A bomb inflates about 1000:1, a real part 5–20:1; very repetitive small documents do reach 200:1,
// so the ratio is only held against parts past 10 MB.
inline constexpr std::uint64_t kSuspectRatioAbove = 10ull << 20;
inline constexpr std::uint64_t kMaxRatio = 100;

Status too_large_status();
Status damaged_status();

class ZipReader {
 public:
  struct Entry {
    std::uint64_t index = 0;
    std::string name;
    std::uint64_t size = 0;        // as declared by the archive: may lie
    std::uint64_t compressed = 0;  // as declared
  };

  // Opens without inflating anything; too_large when the central directory lists too many entries,
  // damaged_document when it is not a readable ZIP. `bytes` must outlive the reader.
  static Result<ZipReader> open(std::span<const unsigned char> bytes);

  ZipReader(ZipReader&&) noexcept;
  ZipReader& operator=(ZipReader&&) noexcept;
  ~ZipReader();

  const std::vector<Entry>& entries() const { return entries_; }
  const Entry* find(std::string_view name) const;  // ASCII case-insensitive, as OPC part names are

  // The whole entry, refused with too_large when its declared or actual size passes `cap`, when the
  // archive's inflation budget runs out, or when it inflates suspiciously well.
  Result<std::string> read(const Entry& entry, std::uint64_t cap);
  // At most the first `n` bytes (for sniffing a format).
  Result<std::string> read_prefix(const Entry& entry, std::size_t n);

 private:
  struct Closer {
    void operator()(zip* z) const;
  };
  ZipReader() = default;
  Result<std::string> inflate(const Entry& entry, std::uint64_t cap, bool prefix_only);

  std::unique_ptr<zip, Closer> zip_;
  std::vector<Entry> entries_;
  std::uint64_t budget_left_ = kMaxTotalInflated;
};

}  // namespace praktika::documents::detail
