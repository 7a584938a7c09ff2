#include "review/assignment.h"

#include <algorithm>

namespace praktika::review {
namespace {

// Decodes one UTF-8 code point at s[i]; a broken sequence reads as one replacement character.
char32_t next_code_point(std::string_view s, size_t& i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  int extra = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
  if (extra < 0 || i + extra >= s.size() + (extra == 0 ? 1 : 0)) {
    ++i;
    return 0xFFFD;
  }
  char32_t cp = extra == 0 ? c : c & (0x3F >> extra);
  for (int k = 1; k <= extra; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  i += extra + 1;
  return cp;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

std::string normalise_institution(std::string_view name) {
  std::string out;
  bool pending_space = false;
  size_t i = 0;
  while (i < name.size()) {
    char32_t cp = next_code_point(name, i);
    if (cp >= 'A' && cp <= 'Z') cp += 0x20;
    else if (cp >= 0x0410 && cp <= 0x042F) cp += 0x20;  // А-Я
    if (cp == 0x0401 || cp == 0x0451) cp = 0x0435;      // Ё, ё
    bool word = (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || (cp >= 0x0430 && cp <= 0x044F);
    if (!word) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    append_utf8(out, cp);
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
        if (!covers || taken || p->conflicted.count(e.expert)) continue;
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
