// The envelope of a WebSocket message from a client ({"op", "id", "topic", …}): parsed here, in one
// pure function, so the transport's bytes reach App's operations only as checked values and the
// parsing can be fuzzed without a server. Stateless, any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace praktika::api {

constexpr int kMaxMessageDepth = 16;
constexpr std::size_t kMaxTopicBytes = 200;

struct WsRequest {
  nlohmann::json re = nullptr;  // the message's "id" (an integer or a string), echoed as "re"; else null
  std::string op;               // empty when `problem` is set
  nlohmann::json message;       // the whole object, for the operation's own fields
  Status problem;               // invalid_json or invalid_op; the reply is then this error with `re`
};

// Never throws, whatever the bytes.
WsRequest parse_ws_request(std::string_view text);

// The subscribes a client puts in the upgrade's query, so their replies go out with the 101
// instead of a round trip later: each `subscribe` parameter is `id,topic` or `id,topic,since`
// (`/ws?subscribe=1,timeline:irkutsk-2020&subscribe=2,section:irkutsk-2020:3,41`), the id a
// decimal number. Each becomes the subscribe op it stands for, in order; a malformed one an
// invalid_subscribe problem (with its id when that much was readable), those past
// kMaxQuerySubscribes a too_many_topics one. Never throws, whatever the bytes.
constexpr std::size_t kMaxQuerySubscribes = 16;
std::vector<WsRequest> subscribes_in_query(std::string_view query);

// The "topic" of a subscribe/unsubscribe message: a string of at most kMaxTopicBytes, else
// 400 invalid_topic.
Result<std::string> topic_of(const nlohmann::json& message);

// "family:a:b" → {"family", "a", "b"}; always at least one element.
std::vector<std::string> split_topic(std::string_view topic);

// {"re": re, "error": {...}}: the reply to a refused message.
nlohmann::json ws_error(const Status& status, const nlohmann::json& re);

}  // namespace praktika::api
