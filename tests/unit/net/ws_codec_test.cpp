#include "net/ws_codec.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace praktika::net::ws {
namespace {

using Kind = Event::Kind;

// A frame as a browser sends it: masked, with the shortest length form unless told otherwise.
std::string client_frame(std::uint8_t opcode, std::string_view payload, bool fin = true, int length_form = 0,
                         bool masked = true, std::uint8_t reserved = 0) {
  std::string out;
  out += static_cast<char>((fin ? 0x80 : 0) | reserved | opcode);
  const std::uint64_t n = payload.size();
  const char mask_bit = masked ? static_cast<char>(0x80) : 0;
  const int form = length_form ? length_form : (n <= 125 ? 7 : n <= 0xffff ? 16 : 64);
  if (form == 7) {
    out += static_cast<char>(mask_bit | static_cast<char>(n));
  } else if (form == 16) {
    out += static_cast<char>(mask_bit | 126);
    out += static_cast<char>(n >> 8);
    out += static_cast<char>(n);
  } else {
    out += static_cast<char>(mask_bit | 127);
    for (int i = 0; i < 8; ++i) out += static_cast<char>(n >> (56 - 8 * i));
  }
  const char key[4] = {0x37, static_cast<char>(0xfa), 0x21, 0x3d};
  if (masked) out.append(key, 4);
  for (std::size_t i = 0; i < payload.size(); ++i) out += masked ? static_cast<char>(payload[i] ^ key[i & 3]) : payload[i];
  return out;
}

std::string close_payload(std::uint16_t code, std::string_view reason) {
  std::string out{static_cast<char>(code >> 8), static_cast<char>(code & 0xff)};
  return out + std::string(reason);
}

struct Seen {
  Kind kind;
  std::string payload;
  std::uint16_t code;
  bool operator==(const Seen&) const = default;
};

void collect(Parser& parser, std::string& bytes, std::size_t from, std::size_t to, std::vector<Seen>& seen) {
  std::span<char> input(bytes.data() + from, to - from);
  for (;;) {
    Event e = parser.next(input);
    if (e.kind == Kind::none) break;
    seen.push_back({e.kind, std::string(e.payload), e.code});
  }
  EXPECT_TRUE(input.empty());
}

// The events of `wire` fed in one piece, and fed in two pieces cut at every byte: all the same.
std::vector<Seen> parse_every_split(const std::string& wire, std::size_t limit = 1 << 16) {
  std::string whole = wire;
  Parser parser(limit);
  std::vector<Seen> expected;
  collect(parser, whole, 0, whole.size(), expected);
  for (std::size_t cut = 0; cut <= wire.size(); ++cut) {
    std::string bytes = wire;
    Parser split(limit);
    std::vector<Seen> seen;
    collect(split, bytes, 0, cut, seen);
    collect(split, bytes, cut, bytes.size(), seen);
    EXPECT_EQ(seen, expected) << "cut at byte " << cut;
  }
  return expected;
}

TEST(WsCodec, AMaskedTextFrameIsOneMessage) {
  auto seen = parse_every_split(client_frame(1, R"({"op":"ping"})"));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0], (Seen{Kind::message, R"({"op":"ping"})", 0}));
}

TEST(WsCodec, EveryLengthFormIsRead) {
  for (std::size_t n : {0u, 1u, 125u, 126u, 1000u, 65535u, 65536u, 70000u}) {
    std::string payload(n, 'a');
    for (std::size_t i = 0; i < n; ++i) payload[i] = static_cast<char>('a' + i % 26);
    std::string wire = client_frame(2, payload);
    Parser parser(1 << 20);
    std::vector<Seen> seen;
    collect(parser, wire, 0, wire.size(), seen);
    ASSERT_EQ(seen.size(), 1u) << n;
    EXPECT_EQ(seen[0].payload, payload) << n;
  }
}

TEST(WsCodec, BytesFedOneAtATimeGiveTheSameMessages) {
  // Byte by byte: the header, the mask and the payload each arrive one at a time.
  std::string wire = client_frame(1, std::string(300, 'x')) + client_frame(1, "два");
  Parser parser(1 << 16);
  std::vector<Seen> seen;
  for (std::size_t i = 0; i < wire.size(); ++i) collect(parser, wire, i, i + 1, seen);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].payload, std::string(300, 'x'));
  EXPECT_EQ(seen[1].payload, "два");
}

TEST(WsCodec, FragmentsMakeOneMessageAndControlFramesMayComeBetween) {
  std::string wire = client_frame(1, "hel", false) + client_frame(9, "are you there", true) +
                     client_frame(0, "lo ", false) + client_frame(0, "world", true) + client_frame(1, "next");
  auto seen = parse_every_split(wire);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0], (Seen{Kind::ping, "are you there", 0}));
  EXPECT_EQ(seen[1], (Seen{Kind::message, "hello world", 0}));
  EXPECT_EQ(seen[2], (Seen{Kind::message, "next", 0}));
}

TEST(WsCodec, EmptyFramesAndAPongAreRead) {
  auto seen = parse_every_split(client_frame(1, "", false) + client_frame(0, "", true) + client_frame(10, "") +
                                client_frame(9, ""));
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0], (Seen{Kind::message, "", 0}));
  EXPECT_EQ(seen[1], (Seen{Kind::pong, "", 0}));
  EXPECT_EQ(seen[2], (Seen{Kind::ping, "", 0}));
}

TEST(WsCodec, ACloseCarriesItsCodeAndReason) {
  auto seen = parse_every_split(client_frame(8, close_payload(4001, "сессия сменилась")));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0], (Seen{Kind::close, "сессия сменилась", 4001}));
  auto bare = parse_every_split(client_frame(8, ""));
  ASSERT_EQ(bare.size(), 1u);
  EXPECT_EQ(bare[0], (Seen{Kind::close, "", close_code::no_status}));
}

TEST(WsCodec, ABadCloseFrameIsAProtocolError) {
  for (const std::string& payload : {std::string("\x03"), close_payload(1005, ""), close_payload(999, ""),
                                     close_payload(2000, ""), close_payload(5000, ""), close_payload(1000, "\xff")}) {
    auto seen = parse_every_split(client_frame(8, payload));
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].kind, Kind::protocol_error);
  }
}

TEST(WsCodec, WhatAClientMayNotSendIsAProtocolErrorAndNothingAfterIsRead) {
  const std::vector<std::string> bad = {
      client_frame(1, "unmasked", true, 0, false),
      client_frame(1, "reserved bit", true, 0, true, 0x40),
      client_frame(3, "unknown data opcode"),
      client_frame(11, "unknown control opcode"),
      client_frame(9, "fragmented ping", false),
      client_frame(9, std::string(126, 'p')),
      client_frame(0, "continuation of nothing"),
      client_frame(1, "a", false) + client_frame(1, "new message inside it"),
      client_frame(1, "short in 16 bits", true, 16),
      client_frame(1, std::string(300, 's'), true, 64),
  };
  for (const auto& wire : bad) {
    auto seen = parse_every_split(wire + client_frame(1, "after"));
    ASSERT_EQ(seen.size(), 1u) << wire.size();
    EXPECT_EQ(seen[0].kind, Kind::protocol_error) << wire.size();
  }
}

TEST(WsCodec, ALengthWithItsTopBitSetIsAProtocolError) {
  std::string wire = {static_cast<char>(0x82), static_cast<char>(0xff)};
  wire += std::string("\x80\0\0\0\0\0\0\0", 8);
  wire += std::string(4, '\0');
  auto seen = parse_every_split(wire);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind, Kind::protocol_error);
}

TEST(WsCodec, TextThatIsNotUtf8IsABadPayload) {
  auto seen = parse_every_split(client_frame(1, "ok \xc3") + client_frame(1, "after"));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind, Kind::bad_payload);
  // Binary is not checked, and a character split across fragments is whole in the message.
  auto binary = parse_every_split(client_frame(2, "\xff\xfe"));
  ASSERT_EQ(binary.size(), 1u);
  EXPECT_EQ(binary[0].kind, Kind::message);
  auto split = parse_every_split(client_frame(1, "\xd0", false) + client_frame(0, "\xb4"));
  ASSERT_EQ(split.size(), 1u);
  EXPECT_EQ(split[0], (Seen{Kind::message, "д", 0}));
}

TEST(WsCodec, AMessageOverTheLimitIsReportedOnceAndDroppedWhileTheConnectionGoesOn) {
  std::string wire = client_frame(1, std::string(60, 'a'), false) + client_frame(0, std::string(60, 'b'), false) +
                     client_frame(9, "still here") + client_frame(0, std::string(60, 'c')) +
                     client_frame(8, close_payload(1000, ""));
  auto seen = parse_every_split(wire, 100);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].kind, Kind::too_big);
  EXPECT_EQ(seen[1], (Seen{Kind::ping, "still here", 0}));
  EXPECT_EQ(seen[2], (Seen{Kind::close, "", 1000}));
  // At the limit exactly is not over it.
  auto at_limit = parse_every_split(client_frame(1, std::string(100, 'a')), 100);
  ASSERT_EQ(at_limit.size(), 1u);
  EXPECT_EQ(at_limit[0].kind, Kind::message);
}

TEST(WsCodec, TheParserHoldsNoMemoryBetweenMessages) {
  std::string wire = client_frame(1, std::string(5000, 'a'), false) + client_frame(0, std::string(5000, 'b'));
  Parser parser(1 << 16);
  std::vector<Seen> seen;
  collect(parser, wire, 0, 3000, seen);
  EXPECT_TRUE(parser.mid_message());
  EXPECT_GT(parser.held_bytes(), 0u);
  collect(parser, wire, 3000, wire.size(), seen);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].payload.size(), 10000u);
  std::span<char> nothing;
  EXPECT_EQ(parser.next(nothing).kind, Kind::none);
  EXPECT_FALSE(parser.mid_message());
  EXPECT_EQ(parser.held_bytes(), 0u);
}

TEST(WsCodec, ServerControlFramesAreUnmaskedAndBounded) {
  EXPECT_EQ(encode_control(Opcode::ping, ""), std::string("\x89\x00", 2));
  EXPECT_EQ(encode_control(Opcode::pong, "abc"), std::string("\x8a\x03" "abc", 5));
  EXPECT_EQ(encode_close(1009, "message too big"), std::string("\x88\x11\x03\xf1", 4) + "message too big");
  std::string long_reason;
  for (int i = 0; i < 100; ++i) long_reason += "д";  // 200 bytes
  std::string frame = encode_close(1000, long_reason);
  ASSERT_EQ(static_cast<unsigned char>(frame[1]), 2u + 122u);  // cut on a character boundary
  EXPECT_TRUE(valid_utf8(std::string_view(frame).substr(4)));
}

TEST(WsCodec, Utf8Validation) {
  EXPECT_TRUE(valid_utf8("plain ascii"));
  EXPECT_TRUE(valid_utf8("кириллица 😀 €"));
  EXPECT_FALSE(valid_utf8("\xc0\xaf"));          // overlong
  EXPECT_FALSE(valid_utf8("\xe0\x80\xaf"));      // overlong
  EXPECT_FALSE(valid_utf8("\xed\xa0\x80"));      // a surrogate
  EXPECT_FALSE(valid_utf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(valid_utf8("\x80"));
  EXPECT_FALSE(valid_utf8("\xe2\x82"));          // cut short
}

}  // namespace
}  // namespace praktika::net::ws
