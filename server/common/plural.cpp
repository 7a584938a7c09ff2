#include "common/plural.h"

namespace praktika {

int count_form(std::int64_t n) {
  const std::int64_t abs = n < 0 ? -(n % 100) : n % 100;
  if (abs >= 11 && abs <= 14) return 2;
  const std::int64_t ones = abs % 10;
  if (ones == 1) return 0;
  if (ones >= 2 && ones <= 4) return 1;
  return 2;
}

std::string with_count(std::int64_t n, const CountForms& forms) {
  return std::to_string(n) + " " + std::string(forms[count_form(n)]);
}

}  // namespace praktika
