#include "export/export.h"
#include "common/errors.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <iterator>
#include <system_error>

#include <xlsxwriter.h>

namespace praktika::exporting {
namespace {

std::string number_text(double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15)
    return std::to_string(static_cast<long long>(v));
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::string("0");
}

std::string csv_cell(const Cell& c) {
  std::string v = c.text();
  if (!c.is_number() && !v.empty() && !looks_like_phone(v) &&
      (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r'))
    v.insert(v.begin(), '\'');
  std::string out = "\"";
  for (char ch : v) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

void append_csv_row(std::string& out, const std::vector<std::string>& cells) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i) out += ';';
    out += cells[i];
  }
  out += "\r\n";
}

// XML 1.0 forbids most control characters; libxlsxwriter writes them as they are, which would
// make a file Excel refuses to open. A cell holds at most 32767 characters.
std::string xlsx_text(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char ch : text)
    if (ch >= 0x20 || ch == '\t' || ch == '\n' || ch == '\r') out += static_cast<char>(ch);
  if (out.size() > 32767) {
    std::size_t cut = 32767;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;  // whole characters
    out.resize(cut);
  }
  return out;
}

std::string sheet_name(const std::string& title) {
  std::string out;
  std::size_t chars = 0;
  for (std::size_t i = 0; i < title.size() && chars < 31; ++chars) {
    std::size_t len = 1;
    auto lead = static_cast<unsigned char>(title[i]);
    if (lead >= 0xF0) len = 4;
    else if (lead >= 0xE0) len = 3;
    else if (lead >= 0xC0) len = 2;
    std::string ch = title.substr(i, len);
    if (ch.size() == 1 && std::string_view("[]:*?/\\").find(ch[0]) != std::string_view::npos) ch = "_";
    out += ch;
    i += len;
  }
  return out.empty() ? "Sheet1" : out;
}

// Width in characters as a spreadsheet counts them (UTF-8 continuation bytes not counted).
std::size_t display_width(const std::string& text) {
  std::size_t n = 0, widest = 0;
  for (unsigned char ch : text) {
    if (ch == '\n') {
      widest = std::max(widest, n);
      n = 0;
    } else if ((ch & 0xC0) != 0x80) {
      ++n;
    }
  }
  return std::max(widest, n);
}

Status failed(const std::string& why) {
  return Status::internal("export_failed", "Не удалось сформировать файл выгрузки: " + why + ".");
}

}  // namespace

bool looks_like_phone(std::string_view text) {
  if (text.empty() || !(text[0] == '+' || text[0] == '(' || (text[0] >= '0' && text[0] <= '9'))) return false;
  std::size_t digits = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (ch >= '0' && ch <= '9') ++digits;
    else if (ch == '+' && i == 0) continue;
    else if (ch != ' ' && ch != '(' && ch != ')' && ch != '-') return false;
  }
  return digits >= 5;
}

std::string date_time_text(std::string_view instant) {
  // YYYY-MM-DDTHH:MM…, the offset after it being the event's own.
  auto digit = [&](std::size_t i) { return i < instant.size() && instant[i] >= '0' && instant[i] <= '9'; };
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15})
    if (!digit(i)) return std::string(instant);
  if (instant[4] != '-' || instant[7] != '-' || instant[10] != 'T' || instant[13] != ':') return std::string(instant);
  std::string out;
  out.append(instant.substr(8, 2)).append(".").append(instant.substr(5, 2)).append(".").append(instant.substr(0, 4));
  out.append(" ").append(instant.substr(11, 5));
  return out;
}

Cell::Cell(double number) : text_(number_text(number)), number_(number) {}

std::string to_csv(const Table& table) {
  std::string out = "\xEF\xBB\xBF";
  std::vector<std::string> cells;
  for (const auto& c : table.columns) cells.push_back(csv_cell(Cell(c)));
  append_csv_row(out, cells);
  for (const auto& row : table.rows) {
    cells.clear();
    for (const auto& c : row) cells.push_back(csv_cell(c));
    append_csv_row(out, cells);
  }
  return out;
}

Result<std::string> to_xlsx(const Table& table, const std::filesystem::path& temp_dir) {
  std::string pattern = (temp_dir / "export-XXXXXX.xlsx").string();
  int fd = mkstemps(pattern.data(), 5);
  if (fd < 0) return failed("нет временного файла");
  ::close(fd);
  const std::filesystem::path file = pattern;
  struct Remove {
    std::filesystem::path path;
    ~Remove() {
      std::error_code ec;
      std::filesystem::remove(path, ec);
    }
  } remove{file};

  std::string tmpdir = temp_dir.string();
  lxw_workbook_options options{};
  options.constant_memory = LXW_FALSE;
  options.tmpdir = tmpdir.data();
  lxw_workbook* book = workbook_new_opt(file.c_str(), &options);
  if (!book) return failed("libxlsxwriter не создал книгу");
  const std::string name = sheet_name(table.title);
  lxw_worksheet* sheet = workbook_add_worksheet(book, name.c_str());
  lxw_format* bold = workbook_add_format(book);
  format_set_bold(bold);
  lxw_format* wrap = workbook_add_format(book);
  format_set_text_wrap(wrap);
  format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);

  std::vector<std::size_t> widths(table.columns.size(), 8);
  for (std::size_t c = 0; c < table.columns.size(); ++c) {
    std::string text = xlsx_text(table.columns[c]);
    worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), text.c_str(), bold);
    widths[c] = std::max(widths[c], display_width(text) + 2);
  }
  lxw_row_t r = 1;
  for (const auto& row : table.rows) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      const auto col = static_cast<lxw_col_t>(c);
      if (row[c].is_number()) {
        worksheet_write_number(sheet, r, col, row[c].number(), nullptr);
      } else if (!row[c].text().empty()) {
        std::string text = xlsx_text(row[c].text());
        worksheet_write_string(sheet, r, col, text.c_str(), wrap);
      }
      if (c < widths.size()) widths[c] = std::max(widths[c], display_width(row[c].text()) + 2);
    }
    ++r;
  }
  for (std::size_t c = 0; c < widths.size(); ++c)
    worksheet_set_column(sheet, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                         static_cast<double>(std::min<std::size_t>(widths[c], 60)), nullptr);
  if (!table.columns.empty()) {
    worksheet_freeze_panes(sheet, 1, 0);
    worksheet_autofilter(sheet, 0, 0, static_cast<lxw_row_t>(table.rows.size()),
                         static_cast<lxw_col_t>(table.columns.size() - 1));
  }
  if (lxw_error e = workbook_close(book); e != LXW_NO_ERROR) return failed(lxw_strerror(e));

  std::ifstream in(file, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) return failed("файл не прочитан");
  if (bytes.empty()) return failed("пустой файл");
  return bytes;
}

Result<Format> format_from_query(const std::optional<std::string>& value) {
  if (!value || value->empty() || *value == "json") return Format::json;
  if (*value == "csv") return Format::csv;
  if (*value == "xlsx") return Format::xlsx;
  return errors::invalid_export_format();
}

Result<net::Response> download(const Table& table, Format format, std::string_view base_name,
                               const std::filesystem::path& temp_dir) {
  net::Response r;
  if (format == Format::xlsx) {
    auto bytes = to_xlsx(table, temp_dir);
    if (!bytes) return bytes.status();
    r.body = std::move(*bytes);
    r.set_header("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    r.set_header("Content-Disposition", net::content_disposition("attachment", std::string(base_name) + ".xlsx"));
  } else {
    r.body = to_csv(table);
    r.set_header("Content-Type", "text/csv; charset=utf-8");
    r.set_header("Content-Disposition", net::content_disposition("attachment", std::string(base_name) + ".csv"));
  }
  r.set_header("Cache-Control", "no-store");
  return r;
}

}  // namespace praktika::exporting
