// The one place that turns Status values and JSON into HTTP responses and reads JSON bodies:
// every module's API layer answers through these, so the wire shape of errors
// ({"error":{"code","message"}}) and the body limits are the same everywhere. Stateless.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "net/http_types.h"

namespace praktika::api {

constexpr int kMaxBodyDepth = 32;

net::Response json_response(int status, const nlohmann::json& body);
net::Response error_response(const Status& status);
nlohmann::json error_json(const Status& status);
// A service's answer as a response: `status` with the JSON, or the error.
net::Response reply(const Result<nlohmann::json>& result, int status = 200);
// A service's typed answer as a response: `status` with the JSON its to_json makes (the module's
// wire.h, found by argument-dependent lookup, given `context` when it needs more), or the error.
template <typename T, typename... Context>
net::Response reply_typed_as(int status, const Result<T>& result, const Context&... context) {
  if (!result) return error_response(result.status());
  return json_response(status, to_json(*result, context...));
}
template <typename T, typename... Context>
net::Response reply_typed(const Result<T>& result, const Context&... context) {
  return reply_typed_as(200, result, context...);
}

// A positive decimal id from a path segment ("42"); nullopt for anything else ("0", "4x", "-1").
std::optional<std::int64_t> parse_id(std::string_view text);

// The body as a JSON object; 400 invalid_json / 415 unsupported_media_type otherwise.
Result<nlohmann::json> parse_json_object(const net::Request& request);

// A string field of a JSON object, cleaned by clean_text keeping line breaks (a reason may have
// several lines; a service whose field is one line cleans it again as one); `required` refuses a
// missing or empty one.
// Errors are 422 with code `invalid_field` and a message naming the field (`label`, Russian).
Result<std::string> string_field(const nlohmann::json& object, std::string_view name, std::string_view label,
                                 std::size_t max_bytes, bool required);

// A state-changing request or a WebSocket upgrade from a page of another site is refused: the
// Origin header, when present, must name this host (or one of `extra_allowed`).
bool origin_allowed(const net::Request& request, const std::vector<std::string>& extra_allowed);

// Stricter, for a state-changing request that carries credentials: the page that sent it must be
// named and allowed, by Origin or, when that is absent, by the origin of Referer. Browsers send
// Origin on every request but GET and HEAD, and Referer to their own site under our
// Referrer-Policy (same-origin); a request naming no page is not from one of our pages.
bool sender_page_allowed(const net::Request& request, const std::vector<std::string>& extra_allowed);

}  // namespace praktika::api
