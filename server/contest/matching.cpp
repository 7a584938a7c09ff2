#include "contest/matching.h"

#include <algorithm>
#include <set>
#include <sstream>
#include <vector>

namespace praktika::contest {
namespace {

// Code points of UTF-8 text (already normalised, so valid).
std::u32string code_points(std::string_view s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int extra = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : 3;
    char32_t cp = extra == 0 ? c : c & (0x3F >> extra);
    for (int k = 1; k <= extra && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out += cp;
    i += extra + 1;
  }
  return out;
}

// Levenshtein distance, or limit + 1 as soon as it must pass `limit`.
size_t distance_within(const std::u32string& a, const std::u32string& b, size_t limit) {
  if ((a.size() > b.size() ? a.size() - b.size() : b.size() - a.size()) > limit) return limit + 1;
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    size_t best = cur[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      best = std::min(best, cur[j]);
    }
    if (best > limit) return limit + 1;
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::set<std::string> words(std::string_view s) {
  std::set<std::string> out;
  std::istringstream in{std::string(s)};
  for (std::string w; in >> w;) out.insert(w);
  return out;
}

}  // namespace

bool sure(MatchKind kind) { return kind == MatchKind::same_inn || kind == MatchKind::same_name; }
bool unsure(MatchKind kind) { return kind == MatchKind::similar_name || kind == MatchKind::name_other_inn; }

std::string_view to_string(MatchKind kind) {
  switch (kind) {
    case MatchKind::same_inn: return "same_inn";
    case MatchKind::same_name: return "same_name";
    case MatchKind::similar_name: return "similar_name";
    case MatchKind::name_other_inn: return "name_other_inn";
    case MatchKind::none: break;
  }
  return "none";
}

bool similar_names(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty() || a == b) return false;
  auto ca = code_points(a), cb = code_points(b);
  size_t shorter = std::min(ca.size(), cb.size());
  size_t limit = std::max<size_t>(1, shorter / 8);
  if (distance_within(ca, cb, limit) <= limit) return true;
  auto wa = words(a), wb = words(b);
  const auto& small = wa.size() <= wb.size() ? wa : wb;
  const auto& large = wa.size() <= wb.size() ? wb : wa;
  return small.size() >= 2 && std::includes(large.begin(), large.end(), small.begin(), small.end());
}

MatchKind match(const InstitutionId& applicant, const InstitutionId& past) {
  if (!applicant.inn.empty() && !past.inn.empty()) {
    if (applicant.inn == past.inn) return MatchKind::same_inn;
    // Two INNs that differ are two legal entities, unless the names say otherwise: then a person decides.
    return !applicant.key.empty() && applicant.key == past.key ? MatchKind::name_other_inn : MatchKind::none;
  }
  if (applicant.key.empty() || past.key.empty()) return MatchKind::none;
  if (applicant.key == past.key) return MatchKind::same_name;
  return similar_names(applicant.key, past.key) ? MatchKind::similar_name : MatchKind::none;
}

}  // namespace praktika::contest
