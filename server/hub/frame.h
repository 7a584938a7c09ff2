// A server-to-client WebSocket text frame, encoded once: the RFC 6455 header followed by the
// payload, unmasked (servers never mask), so the same bytes go to every subscriber and a
// connection writes them to its socket as they are. Immutable once built; shared across
// threads through Frame. No Asio or Beast here: the header is a few bytes of arithmetic.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace praktika::hub {

class EncodedFrame {
 public:
  // `payload` becomes one final text frame (FIN set, opcode 1, no mask). `seq`: the event's
  // number on its topic (live/fanout.h), 0 for a message that has none.
  explicit EncodedFrame(std::string_view payload, std::uint64_t seq = 0);

  // The whole frame as it goes on the wire.
  std::string_view wire() const { return bytes_; }
  // The message alone (what the client's WebSocket hands to its application).
  std::string_view payload() const { return std::string_view(bytes_).substr(header_size_); }
  std::size_t size() const { return bytes_.size(); }
  std::uint64_t seq() const { return seq_; }

 private:
  std::string bytes_;
  std::uint8_t header_size_;
  std::uint64_t seq_;
};

// One encoded message, shared read-only by every subscriber it is sent to.
using Frame = std::shared_ptr<const EncodedFrame>;

Frame encode_text_frame(std::string_view payload, std::uint64_t seq = 0);

}  // namespace praktika::hub
