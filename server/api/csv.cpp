#include "api/csv.h"

namespace praktika::api {
namespace {

std::string cell(const std::string& value) {
  std::string v = value;
  if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r'))
    v.insert(v.begin(), '\'');
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

void append_row(std::string& out, const CsvRow& row) {
  for (size_t i = 0; i < row.size(); ++i) {
    if (i) out += ';';
    out += cell(row[i]);
  }
  out += "\r\n";
}

}  // namespace

std::string to_csv(const CsvRow& header, const std::vector<CsvRow>& rows) {
  std::string out = "\xEF\xBB\xBF";
  append_row(out, header);
  for (const auto& row : rows) append_row(out, row);
  return out;
}

net::Response csv_response(const std::string& file_name, const std::string& body) {
  net::Response r;
  r.body = body;
  r.set_header("Content-Type", "text/csv; charset=utf-8");
  r.set_header("Content-Disposition", "attachment; filename=\"" + file_name + "\"");
  r.set_header("Cache-Control", "no-store");
  return r;
}

}  // namespace praktika::api
