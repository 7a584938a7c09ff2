// The tus 1.0 request headers that carry outside bytes: Upload-Length, Upload-Offset and
// Upload-Metadata. Pure functions, any thread; fuzzed (tests/fuzz/tus_headers_fuzz.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

namespace praktika::uploads {

// Upload-Length / Upload-Offset: plain decimal digits that fit 64 bits; nullopt otherwise.
std::optional<std::uint64_t> parse_tus_number(std::string_view text);

// Upload-Metadata, "key base64value,key2 base64value2,key3" → {"key": "value", …} (a key without
// a value maps to ""). nullopt when malformed: bad base64, an empty key, a key over 100 bytes or a
// value over 4096 encoded bytes. The values are the client's bytes, not necessarily UTF-8: whoever
// shows them must treat them as untrusted text.
std::optional<nlohmann::json> parse_tus_metadata(std::string_view header);

}  // namespace praktika::uploads
