// The lists of earlier editions as the organiser uploads them (a CSV or XLSX table: institution,
// INN, region, edition year, outcome) read into past results, with each row's problem in Russian.
// Pure; any thread.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "export/table_reader.h"

namespace praktika::contest {

// One institution's result in an earlier edition.
struct PastResult {
  int edition = 0;      // the year of that edition: 2022, 2023
  std::string outcome;  // "laureate", "participant"
  std::string institution;
  std::string institution_key;  // review::normalise_institution
  std::string inn;              // digits only, or empty
  std::string region;

  // Names this result in the organiser's decisions on unsure matches (stable across reloads of
  // the same list).
  std::string key() const;
};

struct RowError {
  std::size_t row = 0;  // 1-based, as a spreadsheet numbers it
  std::string message;  // Russian
};

struct ReadPastResults {
  std::vector<PastResult> results;
  std::vector<RowError> errors;
  std::vector<int> editions;  // the years the valid rows name, ascending
};

// An outcome id ("laureate") and the words a person writes for it in a list («лауреат»,
// «Лауреат конкурса»): a cell names the outcome when, lower-cased, it is the id or starts with one
// of its words.
using OutcomeWords = std::map<std::string, std::vector<std::string>>;

// The columns are found by the header row (a cell with «учреждение», «наименование» or
// «организация»; then «ИНН», «регион»/«субъект», «год», «итог»/«результат»); without a header
// they are taken in the order institution, INN, region, edition year, outcome.
ReadPastResults read_past_results(const exporting::TextRows& rows, const OutcomeWords& outcomes);

}  // namespace praktika::contest
