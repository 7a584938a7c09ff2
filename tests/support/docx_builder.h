// Test helper: writes real .docx packages (and other ZIPs) in memory with libzip, so that each test
// states in a few lines which rule of clause 6.5 its document breaks.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace praktika::documents::testing {

using Bytes = std::vector<unsigned char>;

// One file of a ZIP: either literal bytes, or `zeros` bytes of zeros produced lazily (for bombs).
struct ZipFile {
  std::string name;
  std::string data;
  std::uint64_t zeros = 0;
  bool store = false;  // no compression (pictures)
};
Bytes make_zip(const std::vector<ZipFile>& files);

// Paragraph and table XML. `ppr` and `rpr` are inner XML of w:pPr and w:rPr.
std::string para(const std::string& text, const std::string& ppr = "", const std::string& rpr = "");
std::string styled(const std::string& style, const std::string& text, const std::string& ppr = "",
                   const std::string& rpr = "");
std::string table(const std::vector<std::vector<std::string>>& rows, const std::string& cell_rpr = "");
std::string figure(const std::string& relationship_id);
// A w:sectPr with page margins in twips: 3 cm = 1701, 2 cm = 1134, 1.5 cm = 851.
std::string section(int left, int top, int bottom, int right);

// Bytes that start like a JPEG / PNG and are `size` long.
std::string jpeg(std::size_t size);
std::string png(std::size_t size);

// A .docx that meets every rule of clause 6.5; tests change one piece and expect one rule to fire.
struct Docx {
  std::string styles;  // word/styles.xml; empty leaves the part out
  std::string theme;   // word/theme/theme1.xml; empty leaves it out
  std::vector<std::string> body;
  std::string sect;
  std::vector<std::pair<std::string, std::string>> media;  // file name in word/media → bytes
  std::string document_override;                          // when set, word/document.xml verbatim

  static Docx compliant();
  std::string document_xml() const;
  Bytes bytes() const;
};

// Where the parts of Docx::compliant() sit in `body`.
inline constexpr std::size_t kHeading = 0, kCitations = 1, kBody = 2, kTableCaption = 3, kTable = 4,
                             kAfterTable = 5, kFigure = 6, kFigureCaption = 7, kLast = 8;

extern const char* const kStyles;  // TNR 14 / 1.5 / justified / 1.25 by the Normal style; heading, caption, table text

}  // namespace praktika::documents::testing
