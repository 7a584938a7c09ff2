#include "common/utf8.h"

#include <algorithm>
#include <utility>

namespace praktika {
namespace {

// The code point at `i` of well-formed UTF-8 and its length in bytes; length 1 and the byte
// itself for anything else, so broken input passes through byte by byte.
std::pair<char32_t, std::size_t> decode_at(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t length = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
  if (length <= 1 || s.size() - i < length || !is_valid_utf8(s.substr(i, length))) return {c, 1};
  char32_t code = length == 2 ? c & 0x1f : length == 3 ? c & 0x0f : c & 0x07;
  for (std::size_t k = 1; k < length; ++k) code = (code << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
  return {code, length};
}

bool is_bidi_control(char32_t c) {
  return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f || c == 0x061c;
}

// C0 and C1 controls, DEL and the bidi controls. A lone byte 0x80–0x9F of broken input is no C1
// control: it passes through like every other byte that is not UTF-8.
bool is_removed(char32_t c, std::size_t length) {
  return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0 && length == 2) || is_bidi_control(c);
}

bool is_line_break(char32_t c) { return c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029; }

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n'; }

}  // namespace

bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    unsigned min = 0, code = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      length = 2, min = 0x80, code = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      length = 3, min = 0x800, code = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      length = 4, min = 0x10000, code = c & 0x07;
    } else {
      return false;
    }
    if (text.size() - i < length) return false;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xc0) != 0x80) return false;
      code = (code << 6) | (next & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return false;
    i += length;
  }
  return true;
}

std::size_t utf8_prefix_length(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text.size();
  std::size_t end = max_bytes;
  // Step back over continuation bytes to the start of the character that would be cut.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xc0) == 0x80) --end;
  return end;
}

std::string clean_text(std::string_view text, TextLines lines) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto [code, length] = decode_at(text, i);
    const std::string_view bytes = text.substr(i, length);
    i += length;
    if (lines == TextLines::one && (code == '\t' || is_line_break(code))) {
      if (out.empty() || out.back() != ' ') out += ' ';
    } else if (lines == TextLines::many && (code == '\t' || code == '\n')) {
      out += bytes;
    } else if (lines == TextLines::many && (code == 0x2028 || code == 0x2029)) {
      out += '\n';
    } else if (is_removed(code, length)) {
      continue;
    } else {
      out += bytes;
    }
  }
  const auto first = std::find_if_not(out.begin(), out.end(), is_space);
  const auto last = std::find_if_not(out.rbegin(), out.rend(), is_space).base();
  return first < last ? std::string(first, last) : std::string();
}

std::string percent_encode_ext_value(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    bool attr_char = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || c == '!' ||
                     c == '#' || c == '$' || c == '&' || c == '+' || c == '-' || c == '.' || c == '^' || c == '_' ||
                     c == '`' || c == '|' || c == '~';
    if (attr_char) {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

std::size_t utf8_length(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace praktika
