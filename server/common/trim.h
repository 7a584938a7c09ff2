// Trimming, written once: HTTP's optional white space (space and tab) and, for cells of a table
// people filled in, line breaks too. Pure functions, any thread.
#pragma once

#include <string_view>

namespace praktika {

// `s` without the characters of `blanks` at either end.
inline std::string_view trim(std::string_view s, std::string_view blanks = " \t") {
  while (!s.empty() && blanks.find(s.front()) != std::string_view::npos) s.remove_prefix(1);
  while (!s.empty() && blanks.find(s.back()) != std::string_view::npos) s.remove_suffix(1);
  return s;
}

// Space, tab, CR and LF: a table cell's white space.
inline constexpr std::string_view kWhiteSpace = " \t\r\n";

}  // namespace praktika
