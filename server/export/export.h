// The organiser's table exports: one table (column titles and rows of cells) written as CSV or as
// XLSX, so every list that can be downloaded is built once and offered in both formats. Pure
// apart from to_xlsx, which writes a temporary file (libxlsxwriter 1.1 cannot write to memory).
// Any thread; no shared state.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "net/http_types.h"

namespace praktika::exporting {

// A cell is text, or a number that a spreadsheet can sum (written as a number in XLSX; as its
// shortest decimal text in CSV).
class Cell {
 public:
  Cell() = default;
  Cell(std::string text) : text_(std::move(text)) {}
  Cell(std::string_view text) : text_(text) {}
  Cell(const char* text) : text_(text) {}
  Cell(int number) : Cell(static_cast<double>(number)) {}
  Cell(std::int64_t number) : Cell(static_cast<double>(number)) {}
  Cell(double number);

  bool is_number() const { return number_.has_value(); }
  double number() const { return number_.value_or(0); }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::optional<double> number_;
};

using Row = std::vector<Cell>;

struct Table {
  std::string title;  // the XLSX sheet's name (cut to 31 characters, []:*?/\ replaced)
  std::vector<std::string> columns;
  std::vector<Row> rows;
};

// UTF-8 with a byte-order mark (so spreadsheet programs read Cyrillic), ';'-separated as a
// Russian-locale Excel expects, every cell quoted, and text that would start a formula
// (= + - @ tab CR) defused with a leading apostrophe: a spreadsheet runs such a cell as a formula
// (CSV injection: =HYPERLINK(…), DDE), and quoting does not stop it. Numbers are never defused, and
// neither is a phone number («+7 (3952) 20-30-40»: digits, spaces, ( ) - only), which has no name
// or reference for a formula to call, so the apostrophe would only spoil it in every row.
std::string to_csv(const Table& table);

// Whether `text` is a phone number as people write one: an optional leading +, then digits,
// spaces, parentheses and hyphens only, with at least 5 digits.
bool looks_like_phone(std::string_view text);

// An instant as the event's timeline writes it ("2026-12-04T10:04:00+08:00", already in the
// event's offset) as a person reads it in a table: «04.12.2026 10:04». Other text is returned
// as it is ("" stays "").
std::string date_time_text(std::string_view instant);

// One worksheet: the titles bold in a frozen first row with an autofilter, numbers as numbers,
// column widths from the content. The file is made in `temp_dir` and removed before returning.
// Errors: "export_failed" (the temporary file could not be written or read).
Result<std::string> to_xlsx(const Table& table, const std::filesystem::path& temp_dir);

enum class Format { json, csv, xlsx };
// ?format= of a list route: absent or "json", "csv", "xlsx". Errors: "invalid_format".
Result<Format> format_from_query(const std::optional<std::string>& value);

// The table as a download named `<base_name>.csv|.xlsx` (base_name is ASCII), not cached.
// `format` must be csv or xlsx. Errors as to_xlsx.
Result<net::Response> download(const Table& table, Format format, std::string_view base_name,
                               const std::filesystem::path& temp_dir = std::filesystem::temp_directory_path());

}  // namespace praktika::exporting
