// Guards for JSON that comes from outside (request bodies, WebSocket ops, agenda files).
// nlohmann's parser recurses per nesting level, so depth is checked on the raw bytes first.
// Pure functions, any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace praktika {

// The deepest nesting of [ and { outside strings; stops counting past `limit`.
int json_nesting_depth(std::string_view text, int limit);

// Parses `text` as JSON unless it nests deeper than `max_depth` or is malformed; never throws.
// On failure `problem` (when given) says what is wrong, in English.
std::optional<nlohmann::json> parse_json_guarded(std::string_view text, int max_depth, std::string* problem = nullptr);

}  // namespace praktika
