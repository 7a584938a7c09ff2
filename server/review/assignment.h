// The pure rules of the review: who may not see a practice (conflict of interest, by institution
// names compared after normalisation) and the balanced automatic assignment of experts.
// No state; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace praktika::review {

// The key two spellings of one institution share: lower case (Latin and Cyrillic, ё as е, a Latin
// look-alike letter in a Cyrillic word read as Cyrillic), quotes of every kind and punctuation
// dropped, spaces collapsed, and the legal form left out, abbreviated (ГБУ, ОГБУСО, МБУ, КГБУ, «ГБУ
// СО», «ОГБУ ДПО», АНО …) or written out («областное государственное бюджетное учреждение
// социального обслуживания»): «ОГБУСО "Центр помощи детям"» and центр помощи детям are one.
std::string normalise_institution(std::string_view name);

struct PracticeSlot {
  std::int64_t practice = 0;
  int section = 0;
  std::set<std::int64_t> assigned;    // experts already on it (kept)
  std::set<std::int64_t> conflicted;  // experts who may never see it
};

struct ExpertLoad {
  std::int64_t expert = 0;
  std::set<int> sections;  // empty: every section of the event
  int load = 0;            // practices already assigned to them
  std::optional<int> cap;  // the most they may have (the organiser's or the agenda's); none: no limit
  bool full() const { return cap && load >= *cap; }
};

// Gives each practice up to `per_practice` experts of its section, always choosing the least
// loaded eligible expert (ties: the lower user id), never a conflicted one nor one at their cap.
// Keeps existing assignments. Returns the new (practice, expert) pairs in the order chosen.
std::vector<std::pair<std::int64_t, std::int64_t>> balance(const std::vector<PracticeSlot>& practices,
                                                           std::vector<ExpertLoad> experts, int per_practice);

}  // namespace praktika::review
