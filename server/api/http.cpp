#include "api/http.h"

#include "common/json_guard.h"
#include "common/utf8.h"

#include <charconv>

namespace praktika::api {
net::Response json_response(int status, const nlohmann::json& body) {
  net::Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  r.set_header("Content-Type", "application/json; charset=utf-8");
  r.set_header("Cache-Control", "no-store");
  return r;
}

nlohmann::json error_json(const Status& status) {
  nlohmann::json error = {{"code", status.code()}, {"message", status.message()}};
  if (status.details()) error["details"] = *status.details();
  return {{"error", std::move(error)}};
}

net::Response error_response(const Status& status) { return json_response(status.http_status(), error_json(status)); }

Result<nlohmann::json> parse_json_object(const net::Request& request) {
  auto type = request.header("content-type");
  if (!type.empty() && type.substr(0, 16) != "application/json")
    return Status::unsupported("unsupported_media_type", "Ожидается тело запроса в формате JSON.");
  auto parsed = parse_json_guarded(request.body, kMaxBodyDepth);
  if (!parsed || !parsed->is_object())
    return Status::bad_request("invalid_json", "Тело запроса должно быть объектом JSON.");
  return std::move(*parsed);
}

Result<std::string> string_field(const nlohmann::json& object, std::string_view name, std::string_view label,
                                 std::size_t max_bytes, bool required) {
  auto it = object.find(name);
  if (it == object.end() || it->is_null()) {
    if (required) return Status::unprocessable("invalid_field", "Заполните поле «" + std::string(label) + "».");
    return std::string{};
  }
  if (!it->is_string())
    return Status::unprocessable("invalid_field", "Поле «" + std::string(label) + "» должно быть строкой.");
  std::string value = clean_text(it->get_ref<const std::string&>(), TextLines::many);
  if (required && value.empty())
    return Status::unprocessable("invalid_field", "Заполните поле «" + std::string(label) + "».");
  if (value.size() > max_bytes)
    return Status::unprocessable("invalid_field", "Поле «" + std::string(label) + "» слишком длинное.");
  return value;
}

bool origin_allowed(const net::Request& request, const std::vector<std::string>& extra_allowed) {
  auto origin = request.header("origin");
  if (origin.empty()) return true;  // not a browser page: cookies then come only from our own client
  auto host = request.header("host");
  if (!host.empty() && (origin == "http://" + std::string(host) || origin == "https://" + std::string(host)))
    return true;
  for (const auto& allowed : extra_allowed)
    if (origin == allowed) return true;
  return false;
}

net::Response reply(const Result<nlohmann::json>& result, int status) {
  return result ? json_response(status, *result) : error_response(result.status());
}

std::optional<std::int64_t> parse_id(std::string_view text) {
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc{} || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

}  // namespace praktika::api
