// Guards for JSON that comes from outside (request bodies, WebSocket ops, agenda files).
// nlohmann's parser recurses per nesting level, so depth is checked on the raw bytes first.
// Pure functions, any thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace praktika {

// The byte offset where [ and { outside strings first nest deeper than `limit`, if they do.
std::optional<std::size_t> too_deep_at(std::string_view text, int limit);

// Parses all of `text` as JSON unless it nests deeper than `max_depth` or is malformed (a NUL
// byte anywhere is malformed, not the end); never throws.
// On failure `problem` (when given) says what is wrong, in English.
std::optional<nlohmann::json> parse_json_guarded(std::string_view text, int max_depth, std::string* problem = nullptr);

}  // namespace praktika
