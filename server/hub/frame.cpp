#include "hub/frame.h"

namespace praktika::hub {

EncodedFrame::EncodedFrame(std::string_view payload, std::uint64_t seq) : seq_(seq) {
  // RFC 6455 §5.2: 7-bit length up to 125, then 126 + 16-bit, then 127 + 64-bit, in network order.
  char header[10];
  std::size_t n = payload.size();
  header[0] = static_cast<char>(0x81);  // FIN, text
  std::size_t h;
  if (n <= 125) {
    header[1] = static_cast<char>(n);
    h = 2;
  } else if (n <= 0xFFFF) {
    header[1] = 126;
    header[2] = static_cast<char>(n >> 8);
    header[3] = static_cast<char>(n);
    h = 4;
  } else {
    header[1] = 127;
    for (int i = 0; i < 8; ++i) header[2 + i] = static_cast<char>(static_cast<std::uint64_t>(n) >> (56 - 8 * i));
    h = 10;
  }
  bytes_.reserve(h + n);
  bytes_.append(header, h);
  bytes_.append(payload);
  header_size_ = static_cast<std::uint8_t>(h);
}

Frame encode_text_frame(std::string_view payload, std::uint64_t seq) {
  return std::make_shared<const EncodedFrame>(payload, seq);
}

}  // namespace praktika::hub
