#include "contest/past_results.h"

#include <algorithm>
#include <array>
#include <optional>
#include <set>

#include "review/assignment.h"

namespace praktika::contest {
namespace {

enum Column { kInstitution, kInn, kRegion, kEdition, kOutcome, kColumns };

std::string digits_of(std::string_view text) {
  std::string out;
  for (char c : text)
    if (c >= '0' && c <= '9') out += c;
  return out;
}

bool contains(const std::string& key, std::string_view word) { return key.find(word) != std::string::npos; }

// Which column each field is in, from a header row; nullopt when the row is no header.
std::optional<std::array<int, kColumns>> header_columns(const std::vector<std::string>& row) {
  std::array<int, kColumns> at;
  at.fill(-1);
  for (size_t i = 0; i < row.size(); ++i) {
    std::string key = review::normalise_institution(row[i]);
    int col = static_cast<int>(i);
    if (key == "инн" || contains(key, "инн ")) at[kInn] = col;
    else if (contains(key, "регион") || contains(key, "субъект")) at[kRegion] = col;
    else if (contains(key, "год") || key == "edition" || key == "year") at[kEdition] = col;
    else if (contains(key, "итог") || contains(key, "результат") || contains(key, "статус") || key == "outcome")
      at[kOutcome] = col;
    else if (contains(key, "учрежд") || contains(key, "наименов") || contains(key, "организац") || key == "institution")
      at[kInstitution] = col;
  }
  // A data row may name «учреждение» too, but never has a header's year column.
  if (at[kInstitution] < 0 || at[kEdition] < 0) return std::nullopt;
  return at;
}

std::string cell(const std::vector<std::string>& row, int col) {
  return col >= 0 && static_cast<size_t>(col) < row.size() ? row[col] : std::string();
}

std::string outcome_of(const std::string& text, const OutcomeWords& outcomes) {
  std::string key = review::normalise_institution(text);
  for (const auto& [id, words] : outcomes) {
    if (key == id) return id;
    for (const auto& w : words)
      if (!w.empty() && key.rfind(w, 0) == 0) return id;
  }
  return {};
}

std::string expected_outcomes(const OutcomeWords& outcomes) {
  std::string out;
  for (const auto& [id, words] : outcomes)
    out += (out.empty() ? "«" : ", «") + (words.empty() ? id : words.front()) + "»";
  return out;
}

}  // namespace

std::string PastResult::key() const {
  return std::to_string(edition) + "|" + outcome + "|" + inn + "|" + institution_key;
}

ReadPastResults read_past_results(const exporting::TextRows& rows, const OutcomeWords& outcomes) {
  ReadPastResults out;
  std::array<int, kColumns> at = {0, 1, 2, 3, 4};
  size_t first = 0;
  if (!rows.empty())
    if (auto header = header_columns(rows[0])) {
      at = *header;
      first = 1;
    }
  std::set<int> editions;
  for (size_t i = first; i < rows.size(); ++i) {
    const auto& row = rows[i];
    const size_t number = i + 1;
    std::vector<std::string> problems;
    PastResult p;
    p.institution = cell(row, at[kInstitution]);
    p.institution_key = review::normalise_institution(p.institution);
    if (p.institution_key.empty()) problems.push_back("не указано учреждение");
    std::string inn_text = cell(row, at[kInn]);
    p.inn = digits_of(inn_text);
    if (!inn_text.empty() && p.inn.size() != 10 && p.inn.size() != 12)
      problems.push_back("ИНН «" + inn_text + "» — нужно 10 или 12 цифр");
    p.region = cell(row, at[kRegion]);
    std::string year_text = cell(row, at[kEdition]);
    std::string year = digits_of(year_text);
    if (year.size() == 4 && year >= "1900" && year <= "3000") p.edition = std::stoi(year);
    else problems.push_back(year_text.empty() ? "не указан год конкурса" : "год конкурса «" + year_text + "» — нужен год из четырёх цифр");
    std::string outcome_text = cell(row, at[kOutcome]);
    p.outcome = outcome_of(outcome_text, outcomes);
    if (p.outcome.empty())
      problems.push_back(outcome_text.empty() ? "не указан итог (" + expected_outcomes(outcomes) + ")"
                                              : "итог «" + outcome_text + "» не распознан: ожидается " +
                                                    expected_outcomes(outcomes));
    if (!problems.empty()) {
      std::string message = "Строка " + std::to_string(number) + ": ";
      for (size_t k = 0; k < problems.size(); ++k) message += (k ? "; " : "") + problems[k];
      out.errors.push_back({number, message + "."});
      continue;
    }
    editions.insert(p.edition);
    out.results.push_back(std::move(p));
  }
  out.editions.assign(editions.begin(), editions.end());
  return out;
}

}  // namespace praktika::contest
