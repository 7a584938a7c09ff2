// UTF-8 checks for text that comes from outside as raw bytes (tus metadata is base64 of anything;
// JSON bodies are checked by the JSON parser already). Pure functions, any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace praktika {

// Well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view text);

// The longest prefix of well-formed `text` that is at most `max_bytes` long and does not cut a
// character in two: where to truncate.
std::size_t utf8_prefix_length(std::string_view text, std::size_t max_bytes);

// An extended header parameter value (RFC 8187, after RFC 2231), the part after UTF-8'' in
// `filename*=UTF-8''…` of an HTTP or a MIME header: attr-chars stay, every other byte is %XX.
std::string percent_encode_ext_value(std::string_view text);

}  // namespace praktika
