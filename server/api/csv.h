// CSV for the organiser's exports: UTF-8 with a byte-order mark (so spreadsheet programs read
// Cyrillic), ';'-separated as Russian-locale Excel expects, quoted, and with cells that would
// start a formula (= + - @) defused. Pure functions.
#pragma once

#include <string>
#include <vector>

#include "net/http_types.h"

namespace praktika::api {

using CsvRow = std::vector<std::string>;

std::string to_csv(const CsvRow& header, const std::vector<CsvRow>& rows);
net::Response csv_response(const std::string& file_name, const std::string& body);

}  // namespace praktika::api
