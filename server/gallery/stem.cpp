#include "gallery/stem.h"

#include <libstemmer.h>

#include <memory>

namespace praktika::gallery {
namespace {

// One stemmer per thread: sb_stemmer keeps its work area inside, so it may not be shared.
sb_stemmer* thread_stemmer() {
  struct Free {
    void operator()(sb_stemmer* s) const { sb_stemmer_delete(s); }
  };
  thread_local std::unique_ptr<sb_stemmer, Free> stemmer(sb_stemmer_new("russian", "UTF_8"));
  return stemmer.get();
}

// The next code point of `s` from `i` (advanced past it), or -1 for a malformed sequence
// (`i` advanced by one byte).
long next_code_point(std::string_view s, std::size_t& i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  int extra = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : -1;
  if (extra < 0 || i + extra >= s.size() + (extra == 0 ? 1 : 0)) {
    ++i;
    return -1;
  }
  long cp = extra == 0 ? c : c & (0x3F >> extra);
  for (int k = 1; k <= extra; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      ++i;
      return -1;
    }
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  i += extra + 1;
  return cp;
}

void append_utf8(std::string& out, long cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// The lower-case form of a word character, or -1 when `cp` separates words.
long fold(long cp) {
  if (cp >= '0' && cp <= '9') return cp;
  if (cp >= 'a' && cp <= 'z') return cp;
  if (cp >= 'A' && cp <= 'Z') return cp + 32;
  if (cp == 0x401 || cp == 0x451) return 0x435;      // Ё, ё -> е: written either way
  if (cp >= 0x410 && cp <= 0x42F) return cp + 0x20;  // А-Я
  if (cp >= 0x430 && cp <= 0x44F) return cp;         // а-я
  if (cp >= 0x400 && cp <= 0x40F) return cp + 0x50;  // Ѐ-Џ (other Cyrillic letters)
  if (cp >= 0x450 && cp <= 0x45F) return cp;
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 0x20;  // Latin-1 capitals
  if (cp >= 0xDF && cp <= 0xFF && cp != 0xF7) return cp;
  return -1;
}

void add_stem(std::vector<std::string>& out, const std::string& word) {
  if (word.empty()) return;
  const sb_symbol* stem = nullptr;
  if (sb_stemmer* stemmer = thread_stemmer())
    stem = sb_stemmer_stem(stemmer, reinterpret_cast<const sb_symbol*>(word.data()), static_cast<int>(word.size()));
  if (!stem) {  // out of memory in the stemmer: the word itself still finds itself
    out.push_back(word);
    return;
  }
  out.emplace_back(reinterpret_cast<const char*>(stem), static_cast<std::size_t>(sb_stemmer_length(thread_stemmer())));
}

}  // namespace

std::vector<std::string> stems(std::string_view text) {
  std::vector<std::string> out;
  std::string word;
  std::size_t i = 0;
  while (i < text.size()) {
    long cp = fold(next_code_point(text, i));
    if (cp < 0) {
      add_stem(out, word);
      word.clear();
      continue;
    }
    std::string piece;
    append_utf8(piece, cp);
    if (word.size() + piece.size() <= kMaxWordBytes) word += piece;
  }
  add_stem(out, word);
  return out;
}

std::string stemmed_text(std::string_view text) {
  std::string out;
  for (const auto& stem : stems(text)) {
    if (!out.empty()) out += ' ';
    out += stem;
  }
  return out;
}

}  // namespace praktika::gallery
