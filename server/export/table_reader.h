// The other way round from export.h: a table an organiser uploads (CSV as a spreadsheet program
// saves it, or the first sheet of an XLSX) read into rows of text. Bounded: the number of rows and
// columns is capped, and an XLSX is opened with the documents module's ZIP reader, which refuses
// ZIP bombs before inflating. Pure; any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace praktika::exporting {

inline constexpr std::size_t kMaxTableRows = 20'000;
inline constexpr std::size_t kMaxTableColumns = 64;
inline constexpr std::size_t kMaxCellBytes = 4'000;

// Every row as read, the header too; cells trimmed of surrounding white space; rows with no
// text left out. A row shorter than others is not padded.
using TextRows = std::vector<std::vector<std::string>>;

// UTF-8 (a byte-order mark skipped) or, when the bytes are not UTF-8, Windows-1251 (what a
// Russian Excel saves as «CSV»); the separator is the first line's most frequent of ; , and tab;
// quotes as RFC 4180. Errors: 422 "invalid_csv" (naming the line), 413 "table_too_large".
Result<TextRows> read_csv(std::string_view bytes);

// The first worksheet (xl/worksheets/sheet1.xml) with its shared strings; numbers as written in
// the cell ("7701000001"; a whole number in exponent form is written out). Errors: 422
// "not_xlsx" (not a ZIP at all), 422 "damaged_xlsx", 413 "table_too_large".
Result<TextRows> read_xlsx(std::string_view bytes);

enum class TableFormat { detect, csv, xlsx };
// By `format`, or for detect by the bytes: a ZIP's signature is XLSX, anything else CSV.
Result<TextRows> read_table(std::string_view bytes, TableFormat format);

}  // namespace praktika::exporting
