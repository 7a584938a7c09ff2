#include "api/http.h"

#include "common/json_guard.h"
#include "common/utf8.h"

#include <charconv>

namespace praktika::api {
namespace {

bool names_this_site(std::string_view origin, const net::Request& request,
                     const std::vector<std::string>& extra_allowed) {
  auto host = request.header("host");
  if (!host.empty() && (origin == "http://" + std::string(host) || origin == "https://" + std::string(host)))
    return true;
  for (const auto& allowed : extra_allowed)
    if (origin == allowed) return true;
  return false;
}

// "scheme://host[:port]" of an absolute http(s) URL; empty for anything else (a relative URL,
// another scheme, user info, which would let "http://ours@evil" pass for ours).
std::string_view origin_of_url(std::string_view url) {
  std::size_t authority = 0;
  if (url.starts_with("http://")) authority = 7;
  else if (url.starts_with("https://")) authority = 8;
  else return {};
  std::string_view origin = url.substr(0, url.find_first_of("/?#", authority));
  if (origin.size() == authority || origin.find('@') != std::string_view::npos) return {};
  return origin;
}

}  // namespace

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

net::Response error_response(const Status& status) {
  net::Response r = json_response(status.http_status(), error_json(status));
  r.log.error = status.code();
  if (status.http_status() >= 500) r.log.detail = status.message();
  return r;
}

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
  if (origin.empty()) return true;  // no page named: sender_page_allowed decides where it matters
  return names_this_site(origin, request, extra_allowed);
}

bool sender_page_allowed(const net::Request& request, const std::vector<std::string>& extra_allowed) {
  auto origin = request.header("origin");
  if (!origin.empty()) return names_this_site(origin, request, extra_allowed);
  auto referer = origin_of_url(request.header("referer"));
  return !referer.empty() && names_this_site(referer, request, extra_allowed);
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
