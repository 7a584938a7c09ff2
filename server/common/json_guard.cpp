#include "common/json_guard.h"

namespace praktika {

std::optional<std::size_t> too_deep_at(std::string_view text, int limit) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return i;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return std::nullopt;
}

std::optional<nlohmann::json> parse_json_guarded(std::string_view text, int max_depth, std::string* problem) {
  // nlohmann's lexer takes a NUL byte for the end of input, so "{…}\0garbage" would parse as
  // "{…}". A raw NUL is never valid JSON (inside a string it must be escaped as \u0000), so the
  // whole text is refused instead of the part before it being read.
  if (text.find('\0') != std::string_view::npos) {
    if (problem) *problem = "not valid JSON";
    return std::nullopt;
  }
  if (too_deep_at(text, max_depth)) {
    if (problem) *problem = "nested deeper than " + std::to_string(max_depth) + " levels";
    return std::nullopt;
  }
  auto parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    if (problem) *problem = "not valid JSON";
    return std::nullopt;
  }
  return parsed;
}

}  // namespace praktika
