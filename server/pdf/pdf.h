// Typesetting of Russian text into PDF (pango for shaping, line breaking and hyphenation-free
// justification; cairo for the PDF): contracts, certificates, the proceedings. A Typesetter is
// one document being written by one thread; independent documents may be made in parallel.
// Fonts are named by family ("DejaVu Serif", "Liberation Serif"); both ship with Debian.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace praktika::pdf {

struct PageSetup {
  double width_mm = 210;  // A4 portrait
  double height_mm = 297;
  double margin_left_mm = 25;
  double margin_right_mm = 15;
  double margin_top_mm = 20;
  double margin_bottom_mm = 20;
  bool page_numbers = true;  // centred in the bottom margin, from the first page
};

enum class Align { left, centre, right, justify };

struct Style {
  std::string font = "DejaVu Serif";
  double size_pt = 12;
  bool bold = false;
  bool italic = false;
  Align align = Align::left;
  double line_spacing = 1.15;    // multiple of the font's line height
  double space_before_pt = 0;
  double space_after_pt = 6;
  double first_line_indent_mm = 0;
};

class Typesetter {
 public:
  // A document written to `file` (created or replaced) when finish() succeeds.
  static Result<std::unique_ptr<Typesetter>> to_file(const std::filesystem::path& file, const PageSetup& setup);
  // A document kept in memory; finish() then fills `out`.
  static Result<std::unique_ptr<Typesetter>> to_memory(std::string* out, const PageSetup& setup);
  ~Typesetter();
  Typesetter(const Typesetter&) = delete;
  Typesetter& operator=(const Typesetter&) = delete;

  // Plain text (not markup): wrapped to the text width, broken across pages line by line.
  void paragraph(std::string_view text, const Style& style);
  // Label and value rows ("ИНН", "3808…"): the label column `label_width_mm` wide.
  void rows(const std::vector<std::pair<std::string, std::string>>& rows, const Style& style,
            double label_width_mm = 60);
  // A QR code of `text`, `size_mm` square, placed at the current position (aligned as `align`).
  Status qr_code(std::string_view text, double size_mm, Align align);
  void vertical_space(double mm);
  void new_page();
  int page() const;  // 1-based number of the page being written

  Status finish();

 private:
  struct Impl;
  explicit Typesetter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace praktika::pdf
