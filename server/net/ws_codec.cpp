#include "net/ws_codec.h"

#include <algorithm>
#include <cstring>

namespace praktika::net::ws {

namespace {

constexpr std::size_t kMaxControlPayload = 125;

bool is_control(std::uint8_t opcode) { return opcode >= 8; }

}  // namespace

Event Parser::next(std::span<char>& input) {
  // What the previous event pointed into is done with: a connection between messages holds nothing.
  if (release_) {
    release_ = false;
    if (message_op_ == 0) std::string().swap(gathered_);
    std::string().swap(control_);
  }
  if (failed_) {
    input = {};
    return {};
  }
  for (;;) {
    if (!in_frame_) {
      if (!read_header(input)) return {};
      Event checked = check_header();
      if (checked.kind != Event::Kind::none) return checked;
    }
    Event taken = take_payload(input);
    if (taken.kind != Event::Kind::none) return taken;
    if (in_frame_) return {};  // the input ended inside the payload
  }
}

// Copies header bytes from the input until the header is complete (true) or the input is used up.
bool Parser::read_header(std::span<char>& input) {
  for (;;) {
    std::size_t need = 2;
    if (header_have_ >= 2) {
      const unsigned length7 = header_[1] & 0x7f;
      need += (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + ((header_[1] & 0x80) ? 4 : 0);
    }
    if (header_have_ >= need) return true;
    if (input.empty()) return false;
    const std::size_t take = std::min<std::size_t>(need - header_have_, input.size());
    std::memcpy(header_ + header_have_, input.data(), take);
    header_have_ = static_cast<std::uint8_t>(header_have_ + take);
    input = input.subspan(take);
  }
}

// RFC 6455 §5.2–5.5 on a complete header: what a client may send, and the message limit.
Event Parser::check_header() {
  const unsigned b0 = header_[0], b1 = header_[1];
  std::uint64_t length = b1 & 0x7f;
  std::size_t at = 2;
  if (length == 126) {
    length = (std::uint64_t{header_[2]} << 8) | header_[3];
    at = 4;
    if (length < 126) return fail(Event::Kind::protocol_error);  // not the shortest form
  } else if (length == 127) {
    length = 0;
    for (int i = 0; i < 8; ++i) length = (length << 8) | header_[2 + i];
    at = 10;
    if (length <= 0xffff || (length >> 63) != 0) return fail(Event::Kind::protocol_error);
  }
  header_have_ = 0;
  fin_ = (b0 & 0x80) != 0;
  opcode_ = static_cast<std::uint8_t>(b0 & 0x0f);
  // No extension is negotiated, so the reserved bits stay clear; a client always masks.
  if ((b0 & 0x70) != 0 || (b1 & 0x80) == 0) return fail(Event::Kind::protocol_error);
  std::memcpy(mask_, header_ + at, 4);
  mask_at_ = 0;
  payload_left_ = length;
  in_frame_ = true;
  if (is_control(opcode_)) {
    if (opcode_ > 10 || !fin_ || length > kMaxControlPayload) return fail(Event::Kind::protocol_error);
    return {};
  }
  if (opcode_ == 0) {
    if (message_op_ == 0) return fail(Event::Kind::protocol_error);  // a continuation of nothing
  } else if (opcode_ <= 2) {
    if (message_op_ != 0) return fail(Event::Kind::protocol_error);  // a new message inside another
    message_op_ = opcode_;
    message_size_ = 0;
  } else {
    return fail(Event::Kind::protocol_error);
  }
  if (dropping_) return {};
  message_size_ += length;
  if (message_size_ <= limit_) return {};
  dropping_ = true;
  std::string().swap(gathered_);
  return {Event::Kind::too_big};
}

Event Parser::take_payload(std::span<char>& input) {
  const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(payload_left_, input.size()));
  char* bytes = input.data();
  input = input.subspan(n);
  payload_left_ -= n;
  if (dropping_ && !is_control(opcode_)) return payload_left_ == 0 ? end_of_frame({}) : Event{};
  for (std::size_t i = 0; i < n; ++i) bytes[i] = static_cast<char>(bytes[i] ^ mask_[(mask_at_ + i) & 3]);
  mask_at_ = static_cast<std::uint8_t>((mask_at_ + n) & 3);
  std::string& buffer = is_control(opcode_) ? control_ : gathered_;
  // The common case: a frame that is a whole message (or control frame), whole in this input,
  // is handed out where it lies.
  const bool alone = is_control(opcode_) || (fin_ && opcode_ != 0);
  if (payload_left_ == 0 && buffer.empty() && alone) return end_of_frame(std::string_view(bytes, n));
  buffer.append(bytes, n);
  if (payload_left_ > 0) return {};
  return end_of_frame(buffer);
}

Event Parser::end_of_frame(std::string_view payload) {
  in_frame_ = false;
  if (is_control(opcode_)) {
    release_ = true;
    return control_event(payload);
  }
  if (!fin_) return {};
  const std::uint8_t opcode = message_op_;
  message_op_ = 0;
  if (dropping_) {
    dropping_ = false;
    return {};
  }
  release_ = true;
  if (opcode == static_cast<std::uint8_t>(Opcode::text) && !valid_utf8(payload))
    return fail(Event::Kind::bad_payload);
  return {Event::Kind::message, payload, 0, opcode == static_cast<std::uint8_t>(Opcode::text)};
}

Event Parser::control_event(std::string_view payload) {
  switch (static_cast<Opcode>(opcode_)) {
    case Opcode::ping:
      return {Event::Kind::ping, payload};
    case Opcode::pong:
      return {Event::Kind::pong, payload};
    default:
      break;
  }
  if (payload.empty()) return {Event::Kind::close, {}, close_code::no_status};
  if (payload.size() == 1) return fail(Event::Kind::protocol_error);
  const auto code = static_cast<std::uint16_t>((static_cast<unsigned char>(payload[0]) << 8) |
                                               static_cast<unsigned char>(payload[1]));
  const std::string_view reason = payload.substr(2);
  if (!valid_close_code(code) || !valid_utf8(reason)) return fail(Event::Kind::protocol_error);
  return {Event::Kind::close, reason, code};
}

Event Parser::fail(Event::Kind why) {
  failed_ = true;
  return {why};
}

std::string encode_control(Opcode opcode, std::string_view payload) {
  payload = payload.substr(0, kMaxControlPayload);
  std::string out;
  out.reserve(2 + payload.size());
  out += static_cast<char>(0x80 | static_cast<unsigned>(opcode));
  out += static_cast<char>(payload.size());
  out += payload;
  return out;
}

std::string encode_close(std::uint16_t code, std::string_view reason) {
  std::size_t keep = std::min(reason.size(), kMaxControlPayload - 2);
  // Cut before a continuation byte would split a character.
  while (keep < reason.size() && keep > 0 && (static_cast<unsigned char>(reason[keep]) & 0xc0) == 0x80) --keep;
  std::string payload;
  payload += static_cast<char>(code >> 8);
  payload += static_cast<char>(code & 0xff);
  payload += reason.substr(0, keep);
  return encode_control(Opcode::close, payload);
}

bool valid_close_code(std::uint16_t code) {
  if (code >= 1000 && code <= 1003) return true;
  if (code >= 1007 && code <= 1014) return true;
  return code >= 3000 && code <= 4999;
}

bool valid_utf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t length;
    std::uint32_t point;
    if (c >= 0xc2 && c <= 0xdf) {
      length = 2;
      point = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      length = 3;
      point = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      length = 4;
      point = c & 0x07;
    } else {
      return false;  // a continuation byte first, an overlong two-byte lead, or past U+10FFFF
    }
    if (n - i < length) return false;
    for (std::size_t k = 1; k < length; ++k) {
      if ((s[i + k] & 0xc0) != 0x80) return false;
      point = (point << 6) | (s[i + k] & 0x3f);
    }
    if (length == 3 && (point < 0x800 || (point >= 0xd800 && point <= 0xdfff))) return false;
    if (length == 4 && (point < 0x10000 || point > 0x10ffff)) return false;
    i += length;
  }
  return true;
}

}  // namespace praktika::net::ws
