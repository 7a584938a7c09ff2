// The Word document check of clause 6.5: opens an uploaded practice description and lists, in Russian,
// every place that breaks the event's formatting rules, for the author to see before the organiser does.
// It decides nothing: the organiser decides what blocks. Pure functions, no shared state: any thread may
// call them at once. Fuzzed: whatever the bytes, they never throw, never crash and bound their memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "timeline/agenda.h"

namespace praktika::documents {

// Rule ids (stable English words, the wire contract): format, archive, font, font_size, line_spacing,
// alignment, bold_headings, margins, first_line_indent, caption, references. Pictures inside the document
// are figures, held only to their caption: the clause's JPEG 1–5 MB rule is for the photographs sent
// beside it, which media::check_file checks.
// One finding per rule and per distinct (found, expected), naming every place it holds for.
struct Finding {
  std::string rule;
  // Russian: «абзац 12 («Первые слова…»)» for one paragraph, «абзацы 1–3, 5, 7–9» for several, other
  // places joined with «; » («таблица 2, строки 1, 3; таблица 4, строка 2», «поля страницы»), and past
  // the few kept «… и ещё 5 мест».
  std::string where;
  std::string found;     // Russian, what the document has: «Arial», «12 пт»
  std::string expected;  // Russian, what clause 6.5 asks for: «Times New Roman», «14 пт»
};

struct CheckResult {
  bool ok = false;    // no findings
  std::string kind;   // what the bytes are: "docx", "doc" (Word 97–2003), "other" (a ZIP that is no .docx, RTF)
  std::vector<Finding> findings;  // grouped by rule, in order of first place; at most kMaxFindingsPerRule + 1 per rule
  std::size_t paragraphs = 0;     // non-empty paragraphs outside tables
  std::size_t tables = 0;         // top-level tables
  std::size_t images = 0;         // drawings and pictures in the text

  // {"ok", "kind", "findings": [{"rule","where","found","expected"}], "paragraphs", "tables", "images"}
  nlohmann::json to_json() const;
};

// Each rule reports at most kMaxFindingsPerRule distinct findings, then one «ещё N мест в документе».
inline constexpr std::size_t kMaxFindingsPerRule = 20;
// Refused with too_large before anything is opened.
inline constexpr std::uint64_t kMaxDocumentBytes = 64ull << 20;
// The main document part (word/document.xml) may inflate to this; styles, theme and relationships to
// kMaxSidePartBytes each. Beyond either the check answers too_large.
inline constexpr std::uint64_t kMaxMainPartBytes = 50ull << 20;
inline constexpr std::uint64_t kMaxSidePartBytes = 8ull << 20;
// pugixml spends about 50 bytes per element or attribute: a main part with more markup than this
// ('<' and '=' counted) is refused with too_large, so the tree stays below a few hundred megabytes.
inline constexpr std::size_t kMaxMarkup = 4'000'000;

// The type is sniffed from the bytes, never from a file name:
//  - ZIP with a main document part → "docx", checked against `rules`;
//  - ZIP without one → "other" with the finding "archive" (clause 6.5: «без архивации»);
//  - OLE2 compound file (Word 97–2003 .doc) → "doc" with the finding "format" asking to re-save as .docx;
//  - RTF → "other" with the finding "format";
//  - anything else, or empty → Status 415 "unsupported_document".
// Other answers: 413 "too_large" (the file or what it inflates to is too big, or it is a ZIP bomb),
// 422 "damaged_document" (a broken ZIP or XML), 500 "document_check_failed" (an internal failure).
Result<CheckResult> check_document(std::span<const unsigned char> bytes, const timeline::DocumentFormat& rules);
// The same for a file on disk; 404 "document_not_found" when it cannot be read.
Result<CheckResult> check_document_file(const std::filesystem::path& file, const timeline::DocumentFormat& rules);

}  // namespace praktika::documents
