// libFuzzer target for the .docx check of clause 6.5: any bytes give a CheckResult or a Status,
// never a crash, a throw, a sanitizer report or unbounded memory (zip bombs, entity tricks).
// Seeds: tests/fuzz/corpus/docx (made by the tests' Docx builder, see make_seeds.cpp).
#include <cstddef>
#include <cstdint>
#include <span>

#include "documents/check.h"
#include "fuzz_agenda.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto& document = praktika::fuzz::purpose("document");
  auto r = praktika::documents::check_document(std::span(data, size), *document.formatting);
  if (r.ok()) (void)r->to_json().dump();
  return 0;
}
