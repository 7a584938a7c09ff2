#include "review/assignment.h"
#include "common/utf8.h"

#include <algorithm>
#include <string>
#include <vector>

namespace praktika::review {
namespace {

}  // namespace

namespace {

// A Latin letter that looks like a Cyrillic one, in a word that mixes the two («OГБУ» typed with
// a Latin O): read as the Cyrillic letter.
char32_t cyrillic_twin(char32_t cp) {
  switch (cp) {
    case 'a': return 0x0430;
    case 'b': return 0x0432;
    case 'c': return 0x0441;
    case 'e': return 0x0435;
    case 'h': return 0x043D;
    case 'k': return 0x043A;
    case 'm': return 0x043C;
    case 'o': return 0x043E;
    case 'p': return 0x0440;
    case 't': return 0x0442;
    case 'x': return 0x0445;
    case 'y': return 0x0443;
    default: return cp;
  }
}

// Lower case, ё as е, every run of other characters (quotes of every kind, punctuation, spaces)
// one space between words.
std::vector<std::u32string> words_of(std::string_view name) {
  std::vector<std::u32string> words(1);
  size_t i = 0;
  while (i < name.size()) {
    char32_t cp = next_code_point(name, i);
    if (cp >= 'A' && cp <= 'Z') cp += 0x20;
    else if (cp >= 0x0410 && cp <= 0x042F) cp += 0x20;  // А-Я
    if (cp == 0x0401 || cp == 0x0451) cp = 0x0435;      // Ё, ё
    bool word = (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || (cp >= 0x0430 && cp <= 0x044F);
    if (word) words.back() += cp;
    else if (!words.back().empty()) words.emplace_back();
  }
  if (words.back().empty()) words.pop_back();
  for (auto& w : words) {
    bool cyrillic = std::any_of(w.begin(), w.end(), [](char32_t c) { return c >= 0x0430; });
    if (cyrillic)
      for (auto& c : w) c = cyrillic_twin(c);
  }
  return words;
}

std::u32string u32(std::string_view ascii_or_utf8) {
  std::u32string out;
  size_t i = 0;
  while (i < ascii_or_utf8.size()) out += next_code_point(ascii_or_utf8, i);
  return out;
}

// An abbreviated legal form: [ф][о|к|р](г|м)[б|к|а][с|д|п][о]у[со|сон|з|к|дпо|до] — ГБУ, ГКУ, ОГБУ,
// МБУ, КГБУ, ГБУСО, ОГБУСО, ГБСУСО, МБОУ, МБДОУ, ГБПОУ, ОГБУЗ, ФГБУ …; or one of the forms of
// non-profits and companies.
bool is_legal_abbreviation(const std::u32string& w) {
  static const std::vector<std::u32string> kOther = {u32("ано"), u32("нко"), u32("ооо"), u32("оао"), u32("зао"),
                                                     u32("пао"), u32("ао"), u32("бф"), u32("рооо"), u32("ооо")};
  if (std::find(kOther.begin(), kOther.end(), w) != kOther.end()) return true;
  size_t i = 0;
  auto take = [&](std::u32string_view set) {
    if (i < w.size() && set.find(w[i]) != std::u32string_view::npos) {
      ++i;
      return true;
    }
    return false;
  };
  take(U"ф");
  take(U"окр");
  if (!take(U"гм")) return false;
  take(U"бка");
  take(U"сдп");
  take(U"о");
  if (!take(U"у")) return false;
  std::u32string_view rest(w.data() + i, w.size() - i);
  return rest.empty() || rest == U"со" || rest == U"сон" || rest == U"з" || rest == U"к" || rest == U"дпо" ||
         rest == U"до";
}

// Words that follow an abbreviated legal form as part of it: «ГБУ СО», «ОГБУ ДПО».
bool is_form_tail(const std::u32string& w) { return w == U"со" || w == U"сон" || w == U"дпо" || w == U"до"; }

// The words of a legal form written out: «областное государственное бюджетное учреждение
// [социального обслуживания | дополнительного профессионального образования | здравоохранения]»,
// «автономная некоммерческая организация». Returns how many words from `at` it spans (0: none).
size_t spelled_form_length(const std::vector<std::u32string>& words, size_t at) {
  static const std::vector<std::u32string> kAdjectives = {
      U"федеральное",    U"областное",     U"краевое",       U"республиканское", U"окружное",  U"городское",
      U"районное",       U"муниципальное", U"государственное", U"бюджетное",     U"казенное",  U"автономное",
      U"стационарное",   U"специализированное"};
  auto is = [&](size_t k, std::u32string_view w) { return k < words.size() && words[k] == w; };
  if (is(at, U"автономная") && is(at + 1, U"некоммерческая") && is(at + 2, U"организация")) return 3;
  size_t k = at;
  while (k < words.size() && std::find(kAdjectives.begin(), kAdjectives.end(), words[k]) != kAdjectives.end()) ++k;
  if (k == at || !is(k, U"учреждение")) return 0;
  ++k;
  if (is(k, U"социального") && is(k + 1, U"обслуживания")) return k + 2 - at;
  if (is(k, U"дополнительного") && is(k + 1, U"профессионального") && is(k + 2, U"образования")) return k + 3 - at;
  if (is(k, U"здравоохранения")) return k + 1 - at;
  return k - at;
}

}  // namespace

std::string normalise_institution(std::string_view name) {
  auto words = words_of(name);
  std::string out;
  bool after_form = false;
  for (size_t i = 0; i < words.size();) {
    if (size_t n = spelled_form_length(words, i)) {
      i += n;
      after_form = true;
      continue;
    }
    if (is_legal_abbreviation(words[i]) || (after_form && is_form_tail(words[i]))) {
      ++i;
      after_form = true;
      continue;
    }
    after_form = false;
    if (!out.empty()) out += ' ';
    for (char32_t cp : words[i]) append_utf8(out, cp);
    ++i;
  }
  return out;
}

std::vector<std::pair<std::int64_t, std::int64_t>> balance(const std::vector<PracticeSlot>& practices,
                                                           std::vector<ExpertLoad> experts, int per_practice) {
  std::vector<std::pair<std::int64_t, std::int64_t>> chosen;
  std::vector<const PracticeSlot*> order;
  for (const auto& p : practices) order.push_back(&p);
  std::sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->practice < b->practice; });
  for (const PracticeSlot* p : order) {
    int need = per_practice - static_cast<int>(p->assigned.size());
    while (need-- > 0) {
      ExpertLoad* best = nullptr;
      for (auto& e : experts) {
        bool covers = e.sections.empty() || e.sections.count(p->section);
        bool taken = p->assigned.count(e.expert) ||
                     std::any_of(chosen.begin(), chosen.end(),
                                 [&](const auto& pair) { return pair.first == p->practice && pair.second == e.expert; });
        if (!covers || taken || p->conflicted.count(e.expert) || e.full()) continue;
        if (!best || e.load < best->load || (e.load == best->load && e.expert < best->expert)) best = &e;
      }
      if (!best) break;
      ++best->load;
      chosen.emplace_back(p->practice, best->expert);
    }
  }
  return chosen;
}

}  // namespace praktika::review
