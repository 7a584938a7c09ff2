// libFuzzer target for the document check: any bytes must give a CheckResult or a Status, never a
// crash, a throw, a sanitizer report or unbounded memory. Built only with clang and -DPRAKTIKA_FUZZ=ON;
// seed it with .docx files (the tests' builder makes them: Docx::compliant().bytes()).
#include <cstddef>
#include <cstdint>
#include <span>

#include "documents/check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  praktika::timeline::DocumentFormat rules;
  rules.font = "Times New Roman";
  rules.font_size_pt = 14;
  rules.line_spacing = 1.5;
  rules.alignment = "justify";
  rules.bold_headings = true;
  rules.margin_left_cm = 3;
  rules.margin_top_cm = 2;
  rules.margin_bottom_cm = 2;
  rules.margin_right_cm = 1.5;
  rules.first_line_indent_cm = 1.25;
  rules.caption_font_size_pt = 12;
  rules.caption_line_spacing = 1;
  rules.reference_pattern = R"(\[\d+,\s*(?:c|с)\.\s*\d+(?:\s*(?:-|–)\s*\d+)?\])";
  praktika::timeline::FilePurpose photos;
  photos.kinds.push_back({.id = "jpeg", .extensions = {"jpg"}, .min_bytes = 1 << 20, .max_bytes = 5 << 20});
  auto r = praktika::documents::check_document(std::span(data, size), rules, &photos);
  if (r.ok()) (void)r->to_json().dump();
  return 0;
}
