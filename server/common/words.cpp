#include "common/words.h"

#include "common/utf8.h"

namespace praktika {

std::string capitalised(std::string_view text) {
  std::size_t i = 0;
  if (text.empty()) return {};
  char32_t cp = next_code_point(text, i);
  if (cp >= U'а' && cp <= U'я') cp -= 0x20;
  else if (cp == U'ё') cp = U'Ё';
  else if (cp >= U'a' && cp <= U'z') cp -= 0x20;
  std::string out;
  append_utf8(out, cp);
  out.append(text.substr(i));
  return out;
}

}  // namespace praktika
