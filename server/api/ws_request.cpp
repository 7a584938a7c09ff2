#include "api/ws_request.h"

#include <charconv>
#include <optional>

#include "api/http.h"
#include "common/errors.h"
#include "common/json_guard.h"
#include "net/http_types.h"

namespace praktika::api {

WsRequest parse_ws_request(std::string_view text) {
  WsRequest request;
  auto message = parse_json_guarded(text, kMaxMessageDepth);
  if (!message || !message->is_object()) {
    request.problem = Status::bad_request("invalid_json", "Сообщение должно быть объектом JSON.");
    return request;
  }
  if (auto id = message->find("id"); id != message->end() && (id->is_number_integer() || id->is_string()))
    request.re = *id;
  auto op = message->find("op");
  if (op == message->end() || !op->is_string()) {
    request.problem = Status::bad_request("invalid_op", "Не указана операция.");
    return request;
  }
  request.op = op->get<std::string>();
  request.message = std::move(*message);
  return request;
}

Result<std::string> topic_of(const nlohmann::json& message) {
  auto topic = message.find("topic");
  if (topic == message.end() || !topic->is_string() || topic->get_ref<const std::string&>().size() > kMaxTopicBytes)
    return errors::invalid_topic();
  return topic->get<std::string>();
}

std::vector<std::string> split_topic(std::string_view topic) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    std::size_t at = topic.find(':', start);
    parts.emplace_back(topic.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  return parts;
}

namespace {

std::optional<std::uint64_t> decimal(std::string_view text) {
  std::uint64_t value = 0;
  if (text.empty() || text.size() > 15) return std::nullopt;  // below 2^53: exact in any client's JSON
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// One `subscribe` parameter's value, already percent-decoded.
WsRequest subscribe_from_query(std::string_view value) {
  WsRequest request;
  const auto malformed = [&] {
    request.problem = Status::bad_request("invalid_subscribe", "Подписка в адресе соединения записана неверно.");
    return request;
  };
  std::size_t comma = value.find(',');
  auto id = decimal(value.substr(0, comma));
  if (!id || comma == std::string_view::npos) return malformed();
  request.re = *id;
  std::string_view rest = value.substr(comma + 1);
  std::size_t second = rest.find(',');
  std::string_view topic = rest.substr(0, second);
  std::optional<std::uint64_t> since;
  if (second != std::string_view::npos && !(since = decimal(rest.substr(second + 1)))) return malformed();
  if (topic.empty()) return malformed();
  request.op = "subscribe";
  request.message = {{"op", "subscribe"}, {"id", *id}, {"topic", std::string(topic)}};
  if (since) request.message["since"] = *since;
  return request;
}

}  // namespace

std::vector<WsRequest> subscribes_in_query(std::string_view query) {
  std::vector<WsRequest> out;
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos || net::percent_decode(pair.substr(0, eq), true) != "subscribe") continue;
    if (out.size() == kMaxQuerySubscribes) {
      WsRequest refused;
      refused.problem = errors::too_many_topics();
      out.push_back(std::move(refused));
      break;
    }
    auto value = net::percent_decode(pair.substr(eq + 1), true);
    out.push_back(value ? subscribe_from_query(*value) : subscribe_from_query(""));
  }
  return out;
}

nlohmann::json ws_error(const Status& status, const nlohmann::json& re) {
  nlohmann::json out = error_json(status);
  out["re"] = re;
  return out;
}

}  // namespace praktika::api
