#include "uploads/tus_headers.h"

#include <sodium.h>

#include <charconv>
#include <string>

#include "common/utf8.h"

namespace praktika::uploads {

std::optional<std::uint64_t> parse_tus_number(std::string_view text) {
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc{} || p != text.data() + text.size()) return std::nullopt;
  return v;
}

std::optional<nlohmann::json> parse_tus_metadata(std::string_view header) {
  nlohmann::json out = nlohmann::json::object();
  while (!header.empty()) {
    size_t comma = header.find(',');
    std::string_view pair = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.empty()) continue;
    size_t space = pair.find(' ');
    std::string key(pair.substr(0, space));
    std::string value;
    if (space != std::string_view::npos) {
      std::string_view encoded = pair.substr(space + 1);
      if (encoded.size() > 4096) return std::nullopt;
      value.resize(encoded.size());
      size_t length = 0;
      if (sodium_base642bin(reinterpret_cast<unsigned char*>(value.data()), value.size(), encoded.data(),
                            encoded.size(), nullptr, &length, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
        return std::nullopt;
      value.resize(length);
      if (!is_valid_utf8(value)) return std::nullopt;  // a name shown to people and stored as JSON text
    }
    if (key.empty() || key.size() > 100) return std::nullopt;
    out[key] = value;
  }
  return out;
}

}  // namespace praktika::uploads
