// libFuzzer target for the envelope of a WebSocket message (App's op parsing): any text gives a
// request or an error reply that serialises, never a crash, a throw or deep recursion.
#include <cstdint>
#include <string_view>

#include "api/ws_request.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto request = praktika::api::parse_ws_request(std::string_view(reinterpret_cast<const char*>(data), size));
  nlohmann::json reply;
  if (!request.problem.is_ok()) {
    reply = praktika::api::ws_error(request.problem, request.re);
  } else {
    if (request.op.empty() && !request.message.contains("op")) __builtin_trap();
    if (auto topic = praktika::api::topic_of(request.message); topic.ok()) {
      auto parts = praktika::api::split_topic(*topic);
      if (parts.empty() || topic->size() > praktika::api::kMaxTopicBytes) __builtin_trap();
    }
    reply = {{"re", request.re}, {"op", request.op}};
  }
  (void)reply.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return 0;
}
