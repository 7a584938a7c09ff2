#include "media/zip_reader.h"

#include <zip.h>

#include <array>
#include <cstdint>
#include <fstream>

namespace praktika::media::detail {
namespace {

Status unreadable() { return Status::unprocessable("unreadable_file", "Файл не удаётся прочитать"); }
Status too_large() {
  return Status::unprocessable("zip_too_large", "Архив внутри файла слишком велик для проверки");
}

std::uint16_t le16(const unsigned char* p) { return static_cast<std::uint16_t>(p[0] | (p[1] << 8)); }

// libzip allocates per central-directory entry on open, so a file claiming millions of entries is
// refused from its end-of-central-directory record before libzip sees it.
Status check_entry_count(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return unreadable();
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 22) return Status::unprocessable("not_a_zip", "Файл не является архивом ZIP");
  const std::streamoff tail = std::min<std::streamoff>(size, 22 + 65535);
  std::string buf(static_cast<std::size_t>(tail), '\0');
  in.seekg(size - tail);
  if (!in.read(buf.data(), tail)) return unreadable();
  for (std::streamoff i = tail - 22; i >= 0; --i) {
    const auto* p = reinterpret_cast<const unsigned char*>(buf.data()) + i;
    if (p[0] == 'P' && p[1] == 'K' && p[2] == 5 && p[3] == 6) {
      // 0xFFFF means "see the zip64 record"; no office document needs that many entries.
      if (le16(p + 10) > kMaxZipEntries) return too_large();
      return Status::ok();
    }
  }
  return Status::unprocessable("not_a_zip", "Файл не является архивом ZIP");
}

}  // namespace

void ZipReader::Closer::operator()(zip* z) const { zip_discard(z); }

Result<ZipReader> ZipReader::open(const std::filesystem::path& path) {
  if (Status s = check_entry_count(path); !s) return s;
  int error = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_RDONLY, &error);
  if (z == nullptr) {
    if (error == ZIP_ER_OPEN || error == ZIP_ER_READ) return unreadable();
    return Status::unprocessable("not_a_zip", "Файл повреждён: не удаётся прочитать его как архив ZIP");
  }
  ZipReader reader(z);
  if (zip_get_num_entries(z, 0) > static_cast<zip_int64_t>(kMaxZipEntries)) return too_large();
  return reader;
}

bool ZipReader::has(std::string_view name) const {
  return zip_name_locate(zip_.get(), std::string(name).c_str(), 0) >= 0;
}

Result<std::string> ZipReader::read(std::string_view name, std::size_t max_bytes) const {
  const zip_int64_t index = zip_name_locate(zip_.get(), std::string(name).c_str(), 0);
  if (index < 0) return Status::not_found("not_found", "В файле нет нужной части");
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(zip_.get(), static_cast<zip_uint64_t>(index), 0, &st) != 0)
    return Status::unprocessable("broken_zip", "Файл повреждён");
  if ((st.valid & ZIP_STAT_SIZE) && (st.valid & ZIP_STAT_COMP_SIZE) && st.size > (1u << 20) &&
      static_cast<double>(st.size) > kMaxCompressionRatio * static_cast<double>(std::max<zip_uint64_t>(st.comp_size, 1)))
    return Status::unprocessable("zip_bomb", "Файл распаковывается в подозрительно большой объём");
  if ((st.valid & ZIP_STAT_SIZE) && st.size > max_bytes) return too_large();

  zip_file_t* file = zip_fopen_index(zip_.get(), static_cast<zip_uint64_t>(index), 0);
  if (file == nullptr) return Status::unprocessable("broken_zip", "Файл повреждён");
  // The declared sizes are only a hint from the file; the cap below holds whatever they say.
  std::string out;
  std::array<char, 64 * 1024> chunk;
  Status status;
  for (;;) {
    const zip_int64_t n = zip_fread(file, chunk.data(), chunk.size());
    if (n < 0) {
      status = Status::unprocessable("broken_zip", "Файл повреждён");
      break;
    }
    if (n == 0) break;
    if (out.size() + static_cast<std::size_t>(n) > max_bytes) {
      status = too_large();
      break;
    }
    out.append(chunk.data(), static_cast<std::size_t>(n));
  }
  zip_fclose(file);
  if (!status) return status;
  return out;
}

}  // namespace praktika::media::detail
