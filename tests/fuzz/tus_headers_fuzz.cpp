// libFuzzer target for the tus request headers: the input is split at its first two newlines into
// Upload-Length, Upload-Offset and Upload-Metadata. Any bytes give a value or nullopt; decoded
// metadata serialises (file names may hold any byte: they are replaced, not trusted).
#include <cstdint>
#include <string_view>

#include "uploads/tus_headers.h"

namespace {

std::string_view next_line(std::string_view& text) {
  auto end = text.find('\n');
  std::string_view line = text.substr(0, end);
  text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto length = praktika::uploads::parse_tus_number(next_line(text));
  auto offset = praktika::uploads::parse_tus_number(next_line(text));
  if (length && offset && *offset > *length) (void)(*offset - *length);
  if (auto metadata = praktika::uploads::parse_tus_metadata(text)) {
    if (!metadata->is_object()) __builtin_trap();
    (void)metadata->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return 0;
}
