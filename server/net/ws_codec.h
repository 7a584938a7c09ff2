// The server side of RFC 6455 framing once the handshake is done: a parser of the client's frames
// and the encoding of the server's control frames. Pure: no sockets, no clock, no Asio; a Parser
// belongs to one connection and is used on its strand only. The session (net/server.cpp) feeds it
// what recv() returned and acts on each event.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace praktika::net::ws {

enum class Opcode : std::uint8_t { continuation = 0, text = 1, binary = 2, close = 8, ping = 9, pong = 10 };

// RFC 6455 §7.4.1 close codes the server sends or expects.
namespace close_code {
inline constexpr std::uint16_t normal = 1000;
inline constexpr std::uint16_t going_away = 1001;
inline constexpr std::uint16_t protocol_error = 1002;
inline constexpr std::uint16_t no_status = 1005;  // a close frame without a code (never sent)
inline constexpr std::uint16_t bad_payload = 1007;
inline constexpr std::uint16_t too_big = 1009;
}  // namespace close_code

// One thing the parser found in the client's bytes.
struct Event {
  enum class Kind : std::uint8_t {
    none,            // the input ran out before anything complete
    message,         // a whole text or binary message: payload
    ping,            // payload: what the pong must echo
    pong,
    close,           // code (no_status when the frame had none) and payload (the reason)
    too_big,         // a message passed the limit: close with 1009; its rest is read and dropped
    protocol_error,  // close with 1002; nothing more is parsed
    bad_payload,     // text that is not UTF-8: close with 1007; nothing more is parsed
  };
  Kind kind = Kind::none;
  std::string_view payload;  // valid until the next call to Parser::next
  std::uint16_t code = 0;
  bool text = false;  // for a message: its opcode was text
};

// Reads the frames of one client connection. Holds no heap memory between messages: a message
// that arrives whole in one input is handed out from the input itself (unmasked in place); only a
// message or control frame split across inputs is gathered in a buffer of its own, released when
// it has been handed out.
class Parser {
 public:
  // `message_limit`: bytes of one message, all its fragments together; a longer one is too_big.
  explicit Parser(std::size_t message_limit) : limit_(message_limit) {}

  // Consumes `input` from its front up to the end of the next event, and returns it (none when the
  // input ran out first; then it is all consumed). Unmasks the payload in place, hence mutable.
  Event next(std::span<char>& input);

  // A frame or message is partly read.
  bool mid_message() const { return header_have_ != 0 || in_frame_ || message_op_ != 0; }
  // Bytes of heap the parser holds now (0 between messages).
  std::size_t held_bytes() const { return on_heap(gathered_) + on_heap(control_); }

 private:
  bool read_header(std::span<char>& input);
  Event check_header();
  Event take_payload(std::span<char>& input);
  Event end_of_frame(std::string_view tail);
  Event control_event(std::string_view payload);
  Event fail(Event::Kind why);
  static std::size_t on_heap(const std::string& s) { return s.capacity() > std::string().capacity() ? s.capacity() : 0; }

  std::size_t limit_;
  // The frame being read.
  unsigned char header_[14] = {};
  std::uint8_t header_have_ = 0;
  bool in_frame_ = false;  // the header is complete; payload_left_ bytes of the payload follow
  bool fin_ = false;
  std::uint8_t opcode_ = 0;
  std::uint8_t mask_[4] = {};
  std::uint8_t mask_at_ = 0;  // position in the mask of the next payload byte
  std::uint64_t payload_left_ = 0;
  // The message being read (its first frame's opcode; 0: none), how many bytes so far.
  std::uint8_t message_op_ = 0;
  std::uint64_t message_size_ = 0;
  bool dropping_ = false;  // the message passed the limit: its frames are read and dropped
  bool failed_ = false;
  bool release_ = false;   // what the last event pointed into is to be freed on the next call
  std::string gathered_;   // a data message split across inputs or frames
  std::string control_;    // a control frame split across inputs
};

// A server frame (FIN set, unmasked) of a control opcode, payload at most 125 bytes.
std::string encode_control(Opcode opcode, std::string_view payload);
// A close frame: the code, then the reason cut to fit 125 bytes on a UTF-8 boundary.
std::string encode_close(std::uint16_t code, std::string_view reason);
// Whether a code may appear in a close frame on the wire (RFC 6455 §7.4).
bool valid_close_code(std::uint16_t code);
// Well-formed UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool valid_utf8(std::string_view text);

}  // namespace praktika::net::ws
