#include "gallery/stem.h"

#include <hunspell/hunspell.hxx>
#include <libstemmer.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <map>
#include <mutex>
#include <span>

#include "common/mutex.h"
#include "common/utf8.h"

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

// Nouns whose stem changes inside the paradigm, where the dictionary lists the oblique forms as
// words of their own (hunspell-ru gives «сна», «огня», «матери», «любви», «времени» back as
// their own lemmas): each row is the nominative, the changed stem (folded: ё read as е) and which
// endings follow it. Only these exact forms join the nominative, so no other word is drawn in.
struct Paradigm {
  std::string_view lemma;
  std::string_view stem;
  enum Endings { hard, soft, feminine, neuter_en } endings;
};
constexpr Paradigm kParadigms[] = {
    {"сон", "сн", Paradigm::hard},         {"лёд", "льд", Paradigm::hard},       {"лев", "льв", Paradigm::hard},
    {"пёс", "пс", Paradigm::hard},         {"рот", "рт", Paradigm::hard},        {"лоб", "лб", Paradigm::hard},
    {"ров", "рв", Paradigm::hard},         {"мох", "мх", Paradigm::hard},        {"шов", "шв", Paradigm::hard},
    {"ветер", "ветр", Paradigm::hard},     {"угол", "угл", Paradigm::hard},      {"узел", "узл", Paradigm::hard},
    {"орёл", "орл", Paradigm::hard},       {"котёл", "котл", Paradigm::hard},    {"огонь", "огн", Paradigm::soft},
    {"уголь", "угл", Paradigm::soft},      {"ноготь", "ногт", Paradigm::soft},   {"локоть", "локт", Paradigm::soft},
    {"любовь", "любв", Paradigm::feminine}, {"церковь", "церкв", Paradigm::feminine}, {"ложь", "лж", Paradigm::feminine},
    {"рожь", "рж", Paradigm::feminine},    {"мать", "матер", Paradigm::feminine}, {"дочь", "дочер", Paradigm::feminine},
    {"время", "врем", Paradigm::neuter_en}, {"имя", "им", Paradigm::neuter_en},   {"знамя", "знам", Paradigm::neuter_en},
    {"пламя", "плам", Paradigm::neuter_en}, {"племя", "плем", Paradigm::neuter_en}, {"семя", "сем", Paradigm::neuter_en},
    {"бремя", "брем", Paradigm::neuter_en}, {"темя", "тем", Paradigm::neuter_en}, {"вымя", "вым", Paradigm::neuter_en},
    {"стремя", "стрем", Paradigm::neuter_en},
};
// Forms outside the rows' endings.
constexpr std::pair<std::string_view, std::string_view> kOddForms[] = {
    {"дочерьми", "дочь"}, {"семян", "семя"}, {"стремян", "стремя"}};

// Every form the rows above give, to its nominative (folded words to the lemma as written).
const std::multimap<std::string, std::string>& paradigm_forms() {
  static const std::multimap<std::string, std::string> forms = [] {
    std::multimap<std::string, std::string> out;
    static constexpr std::string_view kHard[] = {"а", "у", "ом", "е", "ы", "и", "ов", "ам", "ами", "ах"};
    static constexpr std::string_view kSoft[] = {"я", "ю", "ем", "е", "и", "ей", "ям", "ями", "ях"};
    static constexpr std::string_view kFeminine[] = {"и", "ью", "ей", "ям", "ями", "ях"};
    static constexpr std::string_view kNeuterEn[] = {"ени", "енем", "ена", "ен", "енам", "енами", "енах"};
    for (const auto& p : kParadigms) {
      using Endings = std::span<const std::string_view>;
      const Endings endings = p.endings == Paradigm::hard       ? Endings(kHard)
                              : p.endings == Paradigm::soft     ? Endings(kSoft)
                              : p.endings == Paradigm::feminine ? Endings(kFeminine)
                                                                : Endings(kNeuterEn);
      for (auto ending : endings) out.emplace(std::string(p.stem) + std::string(ending), std::string(p.lemma));
    }
    for (const auto& [form, lemma] : kOddForms) out.emplace(std::string(form), std::string(lemma));
    return out;
  }();
  return forms;
}

// A word (already folded) to its terms: the Snowball stems of its lemmas and of the word itself.
// The word's own stem stays because the dictionary lists some oblique forms as words of their own
// («отцом», «сна», «огня»): Snowball still joins those with the forms that share their stem.
// Without `stem`, the lemmas and the word as they are (PostgreSQL's russian configuration stems them).
void add_word(std::vector<std::vector<std::string>>& out, const std::string& word, bool stem = true) {
  if (word.empty()) return;
  std::vector<std::string> terms;
  auto add = [&](std::string term) {
    if (!term.empty() && std::find(terms.begin(), terms.end(), term) == terms.end()) terms.push_back(std::move(term));
  };
  auto finish = [stem](const std::string& form) { return stem ? snowball(form) : form; };
  auto lemmas = Lemmas::instance().of(word);
  for (const auto& lemma : lemmas) add(finish(folded(lemma)));
  if (lemmas.size() <= 1 && (lemmas.empty() || lemmas[0] == word))
    for (const auto& lemma : genitive_plural_lemmas(word)) add(finish(folded(lemma)));
  for (auto [it, end] = paradigm_forms().equal_range(word); it != end; ++it) add(finish(folded(it->second)));
  add(finish(word));
  out.push_back(std::move(terms));
}

std::vector<std::vector<std::string>> words_of(std::string_view text, bool stem) {
  std::vector<std::vector<std::string>> out;
  std::string word;
  std::size_t i = 0;
  while (i < text.size()) {
    long cp = fold(next_code_point(text, i));
    if (cp < 0) {
      add_word(out, word, stem);
      word.clear();
      continue;
    }
    std::string piece;
    append_utf8(piece, cp);
    if (word.size() + piece.size() <= kMaxWordBytes) word += piece;
  }
  add_word(out, word, stem);
  return out;
}

std::string joined(const std::vector<std::vector<std::string>>& words) {
  std::string out;
  for (const auto& terms : words)
    for (const auto& term : terms) {
      if (!out.empty()) out += ' ';
      out += term;
    }
  return out;
}

}  // namespace

std::vector<std::vector<std::string>> word_terms(std::string_view text) { return words_of(text, true); }

std::vector<std::vector<std::string>> word_forms(std::string_view text) { return words_of(text, false); }

std::string forms_text(std::string_view text) { return joined(word_forms(text)); }

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

std::string_view term_scheme() {
  return Lemmas::instance().loaded() ? "lemma+paradigms+snowball" : "paradigms+snowball";
}

}  // namespace praktika::gallery
