// Russian nouns after a number: 1 практику, 2 практики, 5 практик; 21 слайд, 11 слайдов. The one
// rule for every count the product prints. The words themselves are data (the agenda's) where they
// name the event's things. Pure; any thread.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace praktika {

// The three counting forms of a noun: for 1 (21, 101…), for 2–4 (22–24…), for 5–20 and 0 (25…).
using CountForms = std::array<std::string_view, 3>;

// 0, 1 or 2: which of CountForms follows `n` (its absolute value for a negative n).
int count_form(std::int64_t n);

// "n word", the word in its form for n.
std::string with_count(std::int64_t n, const CountForms& forms);

}  // namespace praktika
