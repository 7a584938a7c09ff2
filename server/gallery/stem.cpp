#include "gallery/stem.h"

#include <hunspell/hunspell.hxx>
#include <libstemmer.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <mutex>

#include "common/mutex.h"

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

// The dictionary, loaded once; nullptr when it is not installed. Hunspell keeps work buffers
// inside, so calls are serialised: a lookup costs microseconds, and only the gallery's search and
// its index rebuild call it.
class Lemmas {
 public:
  static Lemmas& instance() {
    static Lemmas lemmas(kRussianDictionary);
    return lemmas;
  }
  bool loaded() const { return hunspell_ != nullptr; }
  std::vector<std::string> of(const std::string& word) {
    if (!hunspell_) return {};
    MutexLock lock(mutex_);
    return hunspell_->stem(word);
  }

 private:
  explicit Lemmas(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::exists(path + ".aff", ec) && std::filesystem::exists(path + ".dic", ec))
      hunspell_ = std::make_unique<Hunspell>((path + ".aff").c_str(), (path + ".dic").c_str());
  }

  // Constant after construction.
  std::unique_ptr<Hunspell> hunspell_;
  // Guards every call into hunspell_.
  Mutex mutex_;
};

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

std::string snowball(const std::string& word) {
  const sb_symbol* stem = nullptr;
  if (sb_stemmer* stemmer = thread_stemmer())
    stem = sb_stemmer_stem(stemmer, reinterpret_cast<const sb_symbol*>(word.data()), static_cast<int>(word.size()));
  if (!stem) return word;  // out of memory in the stemmer: the word itself still finds itself
  return std::string(reinterpret_cast<const char*>(stem), static_cast<std::size_t>(sb_stemmer_length(thread_stemmer())));
}

// `text` lower-cased and with ё read as е, as fold() does for a word's letters.
std::string folded(std::string_view text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size())
    if (long cp = fold(next_code_point(text, i)); cp >= 0) append_utf8(out, cp);
  return out;
}

// The dictionary lists the genitive plural of many nouns in -ец as a word of its own («отцов»,
// «пальцев», «образцов»: also possessive adjectives), so its only answer is the word itself. Read
// as a plural, through the nominative plural («отцы», «пальцы»), it meets the rest of its forms.
std::vector<std::string> genitive_plural_lemmas(const std::string& word) {
  constexpr std::string_view kOv = "ов", kEv = "ев";
  if (word.size() <= kOv.size() + 2) return {};
  std::string_view end(word.data() + word.size() - kOv.size(), kOv.size());
  if (end != kOv && end != kEv) return {};
  const std::string base = word.substr(0, word.size() - kOv.size());
  std::vector<std::string> out;
  for (const char* plural : {"ы", "и"})
    for (auto& lemma : Lemmas::instance().of(base + plural))
      if (lemma != base + plural) out.push_back(std::move(lemma));
  return out;
}

// A word (already folded) to its terms: the Snowball stems of its lemmas and of the word itself.
// The word's own stem stays because the dictionary lists some oblique forms as words of their own
// («отцом», «сна», «огня»): Snowball still joins those with the forms that share their stem.
void add_word(std::vector<std::vector<std::string>>& out, const std::string& word) {
  if (word.empty()) return;
  std::vector<std::string> terms;
  auto add = [&](std::string term) {
    if (!term.empty() && std::find(terms.begin(), terms.end(), term) == terms.end()) terms.push_back(std::move(term));
  };
  auto lemmas = Lemmas::instance().of(word);
  for (const auto& lemma : lemmas) add(snowball(folded(lemma)));
  if (lemmas.size() <= 1 && (lemmas.empty() || lemmas[0] == word))
    for (const auto& lemma : genitive_plural_lemmas(word)) add(snowball(folded(lemma)));
  add(snowball(word));
  out.push_back(std::move(terms));
}

}  // namespace

std::vector<std::vector<std::string>> word_terms(std::string_view text) {
  std::vector<std::vector<std::string>> out;
  std::string word;
  std::size_t i = 0;
  while (i < text.size()) {
    long cp = fold(next_code_point(text, i));
    if (cp < 0) {
      add_word(out, word);
      word.clear();
      continue;
    }
    std::string piece;
    append_utf8(piece, cp);
    if (word.size() + piece.size() <= kMaxWordBytes) word += piece;
  }
  add_word(out, word);
  return out;
}

std::vector<std::string> stems(std::string_view text) {
  std::vector<std::string> out;
  for (auto& terms : word_terms(text))
    for (auto& term : terms) out.push_back(std::move(term));
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

std::string_view term_scheme() { return Lemmas::instance().loaded() ? "lemma+snowball" : "snowball"; }

}  // namespace praktika::gallery
