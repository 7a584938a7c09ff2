#include "documents/zip_reader.h"

#include <algorithm>
#include <cstring>

#include <zip.h>

namespace praktika::documents::detail {
namespace {

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

// libzip allocates a record per central-directory entry before we could refuse: read the count from
// the end-of-central-directory record first. 0xFFFF means "see the ZIP64 record", which no real .docx
// needs, so it is refused too.
std::optional<std::uint64_t> declared_entry_count(std::span<const unsigned char> bytes) {
  if (bytes.size() < 22) return std::nullopt;
  const std::size_t lowest = bytes.size() > 22 + 65535 ? bytes.size() - 22 - 65535 : 0;
  for (std::size_t at = bytes.size() - 22 + 1; at-- > lowest;) {
    if (bytes[at] == 'P' && bytes[at + 1] == 'K' && bytes[at + 2] == 5 && bytes[at + 3] == 6) {
      return std::uint64_t(bytes[at + 10]) | (std::uint64_t(bytes[at + 11]) << 8);
    }
  }
  return std::nullopt;
}

}  // namespace

Status too_large_status() {
  return Status::too_large("too_large",
                           "Файл после распаковки слишком велик или подозрительно сильно сжат; "
                           "сохраните документ в Word заново как «Документ Word (.docx)».");
}

Status damaged_status() {
  return Status::unprocessable("damaged_document",
                               "Файл повреждён и не открывается как документ Word (.docx); "
                               "сохраните документ в Word заново как «Документ Word (.docx)».");
}

void ZipReader::Closer::operator()(zip* z) const { zip_discard(z); }

ZipReader::ZipReader(ZipReader&&) noexcept = default;
ZipReader& ZipReader::operator=(ZipReader&&) noexcept = default;
ZipReader::~ZipReader() = default;

Result<ZipReader> ZipReader::open(std::span<const unsigned char> bytes) {
  auto count = declared_entry_count(bytes);
  if (!count) return damaged_status();
  if (*count >= 0xFFFF || *count > kMaxEntries) return too_large_status();

  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (source == nullptr) {
    zip_error_fini(&error);
    return damaged_status();
  }
  zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, &error);
  zip_error_fini(&error);
  if (archive == nullptr) {
    zip_source_free(source);
    return damaged_status();
  }
  ZipReader reader;
  reader.zip_.reset(archive);  // the archive owns the source from here on

  const zip_int64_t n = zip_get_num_entries(archive, 0);
  if (n < 0 || std::uint64_t(n) > kMaxEntries) return too_large_status();
  reader.entries_.reserve(std::size_t(n));
  for (zip_int64_t i = 0; i < n; ++i) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(archive, zip_uint64_t(i), 0, &st) != 0) return damaged_status();
    if (!(st.valid & ZIP_STAT_NAME) || st.name == nullptr) continue;
    Entry e;
    e.index = zip_uint64_t(i);
    e.name = st.name;
    e.size = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
    e.compressed = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
    reader.entries_.push_back(std::move(e));
  }
  return reader;
}

const ZipReader::Entry* ZipReader::find(std::string_view name) const {
  for (const auto& e : entries_) {
    if (iequal(e.name, name)) return &e;
  }
  return nullptr;
}

Result<std::string> ZipReader::read(const Entry& entry, std::uint64_t cap) {
  if (entry.size > cap || entry.size > budget_left_) return too_large_status();
  if (entry.size > kSuspectRatioAbove && entry.size / std::max<std::uint64_t>(entry.compressed, 1) > kMaxRatio) {
    return too_large_status();
  }
  return inflate(entry, cap, false);
}

Result<std::string> ZipReader::read_prefix(const Entry& entry, std::size_t n) { return inflate(entry, n, true); }

Result<std::string> ZipReader::inflate(const Entry& entry, std::uint64_t cap, bool prefix_only) {
  zip_file_t* file = zip_fopen_index(zip_.get(), entry.index, 0);
  if (file == nullptr) return damaged_status();
  std::string out;
  // The declared size is only a hint for the allocation; the loop counts what really comes out.
  out.reserve(std::size_t(std::min<std::uint64_t>({entry.size, cap, 1ull << 20})));
  char chunk[64 * 1024];
  Status failure;
  for (;;) {
    const std::uint64_t room = prefix_only ? cap - out.size() : sizeof chunk;
    if (room == 0) break;
    const zip_int64_t got = zip_fread(file, chunk, std::min<std::uint64_t>(room, sizeof chunk));
    if (got < 0) {
      failure = damaged_status();
      break;
    }
    if (got == 0) break;
    if (std::uint64_t(got) > budget_left_) {
      failure = too_large_status();
      break;
    }
    budget_left_ -= std::uint64_t(got);
    if (!prefix_only && out.size() + std::uint64_t(got) > cap) {
      failure = too_large_status();
      break;
    }
    out.append(chunk, std::size_t(got));
    if (out.size() > kSuspectRatioAbove && out.size() / std::max<std::uint64_t>(entry.compressed, 1) > kMaxRatio) {
      failure = too_large_status();
      break;
    }
  }
  zip_fclose(file);
  if (!failure.is_ok()) return failure;
  return out;
}

}  // namespace praktika::documents::detail
