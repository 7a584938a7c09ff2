#include "api/ws_request.h"

#include "api/http.h"
#include "common/json_guard.h"

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
    return Status::bad_request("invalid_topic", "Не указана тема подписки.");
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

nlohmann::json ws_error(const Status& status, const nlohmann::json& re) {
  nlohmann::json out = error_json(status);
  out["re"] = re;
  return out;
}

}  // namespace praktika::api
