#include "common/json_guard.h"

namespace praktika {

int json_nesting_depth(std::string_view text, int limit) {
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

std::optional<nlohmann::json> parse_json_guarded(std::string_view text, int max_depth, std::string* problem) {
  if (json_nesting_depth(text, max_depth) > max_depth) {
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
