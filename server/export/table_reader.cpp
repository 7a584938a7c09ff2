#include "export/table_reader.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <span>

#include <pugixml.hpp>

#include "common/utf8.h"
#include "documents/zip_reader.h"
#include "common/trim.h"

namespace praktika::exporting {
namespace {

constexpr std::uint64_t kMaxSheetBytes = 32ull << 20;  // one XML part, inflated

Status too_large() {
  return Status::too_large("table_too_large", "Таблица слишком велика: не больше " + std::to_string(kMaxTableRows) +
                                                  " строк и " + std::to_string(kMaxTableColumns) + " столбцов.");
}

Status damaged_xlsx() {
  return Status::unprocessable("damaged_xlsx",
                               "Файл не читается как таблица Excel (.xlsx); сохраните его в Excel заново как "
                               "«Книга Excel (.xlsx)» или как CSV.");
}

// Windows-1251 to UTF-8: what a Russian Excel writes when told to save «CSV (разделители — запятые)».
std::string from_cp1251(std::string_view bytes) {
  static constexpr std::array<char16_t, 64> kHigh = {
      0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021, 0x20AC, 0x2030, 0x0409, 0x2039, 0x040A,
      0x040C, 0x040B, 0x040F, 0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0xFFFD, 0x2122,
      0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F, 0x00A0, 0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6,
      0x00A7, 0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407, 0x00B0, 0x00B1, 0x0406, 0x0456,
      0x0491, 0x00B5, 0x00B6, 0x00B7, 0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405, 0x0455, 0x0457};
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    if (c < 0x80) out += static_cast<char>(c);
    else if (c >= 0xC0) append_utf8(out, 0x0410 + (c - 0xC0));
    else append_utf8(out, kHigh[c - 0x80]);
  }
  return out;
}

// Adds a finished row unless every cell is empty. False when the table grows past its caps.
bool add_row(TextRows& rows, std::vector<std::string>& row) {
  for (auto& cell : row) cell = std::string(trim(cell, kWhiteSpace));
  bool any = std::any_of(row.begin(), row.end(), [](const std::string& c) { return !c.empty(); });
  if (any) {
    if (rows.size() >= kMaxTableRows) return false;
    rows.push_back(std::move(row));
  }
  row.clear();
  return true;
}

char separator_of(std::string_view text) {
  std::size_t counts[3] = {0, 0, 0};
  const char kCandidates[3] = {';', ',', '\t'};
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (!quoted && (c == '\n' || c == '\r')) break;
    for (int i = 0; i < 3; ++i)
      if (!quoted && c == kCandidates[i]) ++counts[i];
  }
  int best = 0;
  for (int i = 1; i < 3; ++i)
    if (counts[i] > counts[best]) best = i;
  return kCandidates[best];
}

// "B12" -> 1 (zero-based column); -1 when the reference has no letters.
int column_of(std::string_view ref) {
  int col = 0;
  std::size_t i = 0;
  for (; i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z'; ++i) {
    col = col * 26 + (ref[i] - 'A' + 1);
    if (col > 1 << 14) return -1;
  }
  return i == 0 ? -1 : col - 1;
}

// A number cell as a person wrote it: "7.701000001E9" is 7701000001, "2022.0" is 2022.
std::string number_text(const std::string& v) {
  if (v.find_first_of("eE.") == std::string::npos) return v;
  char* end = nullptr;
  double d = std::strtod(v.c_str(), &end);
  if (end == v.c_str() || *end != '\0' || !std::isfinite(d)) return v;
  if (d == std::floor(d) && std::fabs(d) < 1e15) return std::to_string(static_cast<long long>(d));
  return v;
}

// The text of a shared string or an inline string: its <t>, or the <t> of each rich-text run.
std::string string_item(const pugi::xml_node& si) {
  if (auto t = si.child("t")) return t.text().get();
  std::string out;
  for (auto r : si.children("r")) out += r.child("t").text().get();
  return out;
}

constexpr unsigned kParseOptions = pugi::parse_default | pugi::parse_ws_pcdata_single;

// No DTD processing: pugixml skips <!DOCTYPE> and expands only the predefined entities, so an
// entity bomb stays literal text.
Status parse(std::string& xml, pugi::xml_document& doc) {
  if (!doc.load_buffer_inplace(xml.data(), xml.size(), kParseOptions, pugi::encoding_utf8)) return damaged_xlsx();
  return Status::ok();
}

}  // namespace

Result<TextRows> read_csv(std::string_view bytes) {
  std::string decoded;
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  if (bytes.find('\0') != std::string_view::npos)
    return Status::unprocessable("invalid_csv", "Файл не похож на CSV: в нём есть двоичные данные. Сохраните таблицу как CSV или XLSX.");
  if (!is_valid_utf8(bytes)) decoded = from_cp1251(bytes);
  else decoded.assign(bytes);
  std::string_view text = decoded;
  const char sep = separator_of(text);
  TextRows rows;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false, was_quoted = false;
  std::size_t line = 1, quote_line = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          cell += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        cell += c;
      }
      if (cell.size() > kMaxCellBytes) return too_large();
      continue;
    }
    if (c == '"') {
      if (!trim(cell, kWhiteSpace).empty() || was_quoted)
        return Status::unprocessable("invalid_csv", "Строка " + std::to_string(line) +
                                                        ": кавычка посреди значения; значение с кавычками целиком "
                                                        "заключают в кавычки, а кавычки внутри удваивают.");
      cell.clear();
      quoted = was_quoted = true;
      quote_line = line;
    } else if (c == sep) {
      row.push_back(std::move(cell));
      cell.clear();
      was_quoted = false;
      if (row.size() > kMaxTableColumns) return too_large();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      row.push_back(std::move(cell));
      cell.clear();
      was_quoted = false;
      if (row.size() > kMaxTableColumns || !add_row(rows, row)) return too_large();
      ++line;
    } else {
      if (was_quoted && c != ' ' && c != '\t')
        return Status::unprocessable("invalid_csv", "Строка " + std::to_string(line) +
                                                        ": после закрывающей кавычки идёт текст до разделителя.");
      cell += c;
      if (cell.size() > kMaxCellBytes) return too_large();
    }
  }
  if (quoted)
    return Status::unprocessable("invalid_csv", "Строка " + std::to_string(quote_line) +
                                                    ": кавычка открыта и не закрыта до конца файла.");
  if (!cell.empty() || !row.empty()) {
    row.push_back(std::move(cell));
    if (row.size() > kMaxTableColumns || !add_row(rows, row)) return too_large();
  }
  return rows;
}

Result<TextRows> read_xlsx(std::string_view bytes) {
  if (bytes.substr(0, 4) != std::string_view("PK\x03\x04", 4))
    return Status::unprocessable("not_xlsx", "Файл не является таблицей Excel (.xlsx): такая таблица — это ZIP-архив, а "
                                             "этот файл им не является. Сохраните таблицу в Excel как «Книга Excel (.xlsx)» или как CSV.");
  auto opened = documents::detail::ZipReader::open(
      std::span<const unsigned char>(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()));
  // The reader's own statuses speak of Word documents; a table says it in its own words.
  auto own = [](const Status& s) { return s.code() == "too_large" ? too_large() : damaged_xlsx(); };
  if (!opened) return own(opened.status());
  auto& zip = *opened;

  std::vector<std::string> shared;
  if (const auto* entry = zip.find("xl/sharedStrings.xml")) {
    auto xml = zip.read(*entry, kMaxSheetBytes);
    if (!xml) return own(xml.status());
    pugi::xml_document doc;
    if (auto s = parse(*xml, doc); !s) return s;
    for (auto si : doc.child("sst").children("si")) {
      if (shared.size() >= kMaxTableRows * kMaxTableColumns) return too_large();
      shared.push_back(string_item(si));
    }
  }
  const auto* sheet = zip.find("xl/worksheets/sheet1.xml");
  if (!sheet) return damaged_xlsx();
  auto xml = zip.read(*sheet, kMaxSheetBytes);
  if (!xml) return own(xml.status());
  pugi::xml_document doc;
  if (auto s = parse(*xml, doc); !s) return s;

  TextRows rows;
  for (auto r : doc.child("worksheet").child("sheetData").children("row")) {
    std::vector<std::string> row;
    int next = 0;
    for (auto c : r.children("c")) {
      int col = column_of(c.attribute("r").value());
      if (col < 0) col = next;
      if (col >= static_cast<int>(kMaxTableColumns)) return too_large();
      next = col + 1;
      std::string type = c.attribute("t").value();
      std::string text;
      if (type == "s") {
        char* end = nullptr;
        const char* v = c.child("v").text().get();
        unsigned long index = std::strtoul(v, &end, 10);
        if (end == v || index >= shared.size()) return damaged_xlsx();
        text = shared[index];
      } else if (type == "inlineStr") {
        text = string_item(c.child("is"));
      } else if (type == "str" || type == "e") {
        text = c.child("v").text().get();
      } else if (type == "b") {
        text = std::string(c.child("v").text().get()) == "1" ? "да" : "нет";
      } else {
        text = number_text(c.child("v").text().get());
      }
      if (text.size() > kMaxCellBytes) return too_large();
      if (row.size() <= static_cast<std::size_t>(col)) row.resize(col + 1);
      row[col] = std::move(text);
    }
    if (!add_row(rows, row)) return too_large();
  }
  return rows;
}

Result<TextRows> read_table(std::string_view bytes, TableFormat format) {
  if (format == TableFormat::detect)
    format = bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4) ? TableFormat::xlsx : TableFormat::csv;
  return format == TableFormat::xlsx ? read_xlsx(bytes) : read_csv(bytes);
}

}  // namespace praktika::exporting
