#include "pdf/pdf.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include <algorithm>
#include <cstdio>
#include <system_error>

namespace praktika::pdf {
namespace fs = std::filesystem;

namespace {

constexpr double kPointsPerMm = 72.0 / 25.4;

double pt(double mm) { return mm * kPointsPerMm; }
double from_pango(int units) { return static_cast<double>(units) / PANGO_SCALE; }
int to_pango(double points) { return static_cast<int>(points * PANGO_SCALE); }

cairo_status_t append_to_string(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

struct Typesetter::Impl {
  PageSetup setup;
  fs::path file;      // empty for in-memory documents
  fs::path partial;   // file + ".part" while writing
  std::string* out = nullptr;
  std::string buffer;  // in-memory bytes until finish()
  cairo_surface_t* surface = nullptr;
  cairo_t* cr = nullptr;
  double y = 0;  // the top of the free space on the current page, in points
  int page = 1;
  bool finished = false;

  double left() const { return pt(setup.margin_left_mm); }
  double text_width() const { return pt(setup.width_mm - setup.margin_left_mm - setup.margin_right_mm); }
  double top() const { return pt(setup.margin_top_mm); }
  double bottom() const { return pt(setup.height_mm - setup.margin_bottom_mm); }

  PangoLayout* layout(std::string_view text, const Style& style, double width) {
    PangoLayout* l = pango_cairo_create_layout(cr);
    PangoFontDescription* font = pango_font_description_new();
    pango_font_description_set_family(font, style.font.c_str());
    pango_font_description_set_absolute_size(font, style.size_pt * PANGO_SCALE);
    pango_font_description_set_weight(font, style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(font, style.italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    pango_layout_set_font_description(l, font);
    pango_font_description_free(font);
    pango_layout_set_width(l, to_pango(width));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_line_spacing(l, static_cast<float>(style.line_spacing));
    pango_layout_set_indent(l, to_pango(pt(style.first_line_indent_mm)));
    switch (style.align) {
      case Align::left: pango_layout_set_alignment(l, PANGO_ALIGN_LEFT); break;
      case Align::centre: pango_layout_set_alignment(l, PANGO_ALIGN_CENTER); break;
      case Align::right: pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT); break;
      case Align::justify:
        pango_layout_set_alignment(l, PANGO_ALIGN_LEFT);
        pango_layout_set_justify(l, TRUE);
        break;
    }
    pango_layout_set_text(l, text.data(), static_cast<int>(text.size()));
    return l;
  }

  void number_page() {
    if (!setup.page_numbers) return;
    Style style;
    style.size_pt = 9;
    style.align = Align::centre;
    PangoLayout* l = layout(std::to_string(page), style, text_width());
    cairo_move_to(cr, left(), bottom() + pt(setup.margin_bottom_mm) / 2 - style.size_pt / 2);
    pango_cairo_show_layout(cr, l);
    g_object_unref(l);
  }

  void next_page() {
    number_page();
    cairo_show_page(cr);
    ++page;
    y = top();
  }

  static Result<std::unique_ptr<Impl>> start(std::unique_ptr<Impl> impl) {
    cairo_status_t status = cairo_surface_status(impl->surface);
    if (status != CAIRO_STATUS_SUCCESS)
      return Status::internal("pdf_failed", std::string("Не удалось создать PDF: ") + cairo_status_to_string(status));
    impl->cr = cairo_create(impl->surface);
    impl->y = impl->top();
    return impl;
  }

  // Draws a laid-out block line by line, moving to a new page where a line does not fit.
  void place(PangoLayout* l, double x) {
    PangoLayoutIter* it = pango_layout_get_iter(l);
    double shift = y;  // page y of the layout's origin on the current page
    do {
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(it, nullptr, &logical);
      double line_top = from_pango(logical.y);
      double line_bottom = from_pango(logical.y + logical.height);
      if (shift + line_bottom > bottom() && shift + line_top > top() + 0.01) {
        next_page();
        shift = top() - line_top;
      }
      PangoLayoutLine* line = pango_layout_iter_get_line_readonly(it);
      cairo_move_to(cr, x + from_pango(logical.x), shift + from_pango(pango_layout_iter_get_baseline(it)));
      pango_cairo_show_layout_line(cr, line);
      y = shift + line_bottom;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
  }
};

Typesetter::Typesetter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Typesetter::~Typesetter() {
  if (impl_->cr) cairo_destroy(impl_->cr);
  if (impl_->surface) cairo_surface_destroy(impl_->surface);
  if (!impl_->finished && !impl_->partial.empty()) {
    std::error_code ec;
    fs::remove(impl_->partial, ec);
  }
}

Result<std::unique_ptr<Typesetter>> Typesetter::to_file(const fs::path& file, const PageSetup& setup) {
  auto impl = std::make_unique<Impl>();
  impl->setup = setup;
  impl->file = file;
  impl->partial = file;
  impl->partial += ".part";
  impl->surface = cairo_pdf_surface_create(impl->partial.c_str(), pt(setup.width_mm), pt(setup.height_mm));
  auto started = Impl::start(std::move(impl));
  if (!started) return started.status();
  return std::unique_ptr<Typesetter>(new Typesetter(std::move(*started)));
}

Result<std::unique_ptr<Typesetter>> Typesetter::to_memory(std::string* out, const PageSetup& setup) {
  auto impl = std::make_unique<Impl>();
  impl->setup = setup;
  impl->out = out;
  impl->surface = cairo_pdf_surface_create_for_stream(append_to_string, &impl->buffer, pt(setup.width_mm),
                                                      pt(setup.height_mm));
  auto started = Impl::start(std::move(impl));
  if (!started) return started.status();
  return std::unique_ptr<Typesetter>(new Typesetter(std::move(*started)));
}

void Typesetter::paragraph(std::string_view text, const Style& style) {
  auto& d = *impl_;
  if (d.y > d.top()) d.y += style.space_before_pt;
  PangoLayout* l = d.layout(text, style, d.text_width());
  d.place(l, d.left());
  g_object_unref(l);
  d.y += style.space_after_pt;
}

void Typesetter::rows(const std::vector<std::pair<std::string, std::string>>& rows, const Style& style,
                      double label_width_mm) {
  auto& d = *impl_;
  const double gap = pt(4);
  const double label_width = pt(label_width_mm);
  for (const auto& [label, value] : rows) {
    Style bold = style;
    bold.bold = true;
    PangoLayout* a = d.layout(label, bold, label_width - gap);
    PangoLayout* b = d.layout(value, style, d.text_width() - label_width);
    int ha = 0, hb = 0;
    pango_layout_get_size(a, nullptr, &ha);
    pango_layout_get_size(b, nullptr, &hb);
    double height = std::max(from_pango(ha), from_pango(hb));
    // A row stays on one page unless it is taller than a page.
    if (d.y + height > d.bottom() && d.y > d.top() && height < d.bottom() - d.top()) d.next_page();
    double row_top = d.y;
    d.place(a, d.left());
    double after_label = d.y;
    d.y = row_top;
    d.place(b, d.left() + label_width);
    d.y = std::max(d.y, after_label) + style.space_after_pt;
    g_object_unref(a);
    g_object_unref(b);
  }
}

Status Typesetter::qr_code(std::string_view text, double size_mm, Align align) {
  auto& d = *impl_;
  std::string copy(text);
  QRcode* code = QRcode_encodeString8bit(copy.c_str(), 0, QR_ECLEVEL_M);
  if (!code) return Status::unprocessable("qr_failed", "Не удалось построить QR-код: слишком длинный текст.");
  const double size = pt(size_mm);
  if (d.y + size > d.bottom()) d.next_page();
  double x = d.left();
  if (align == Align::centre) x += (d.text_width() - size) / 2;
  if (align == Align::right) x += d.text_width() - size;
  const int quiet = 4;  // modules of white border the standard asks for
  const double module = size / (code->width + 2 * quiet);
  cairo_save(d.cr);
  cairo_set_source_rgb(d.cr, 0, 0, 0);
  for (int row = 0; row < code->width; ++row)
    for (int col = 0; col < code->width; ++col)
      if (code->data[row * code->width + col] & 1)
        cairo_rectangle(d.cr, x + (col + quiet) * module, d.y + (row + quiet) * module, module, module);
  cairo_fill(d.cr);
  cairo_restore(d.cr);
  QRcode_free(code);
  d.y += size;
  return Status::ok();
}

void Typesetter::vertical_space(double mm) {
  auto& d = *impl_;
  d.y += pt(mm);
  if (d.y > d.bottom()) d.next_page();
}

void Typesetter::new_page() { impl_->next_page(); }

int Typesetter::page() const { return impl_->page; }

Status Typesetter::finish() {
  auto& d = *impl_;
  if (d.finished) return Status::internal("pdf_failed", "Документ уже завершён.");
  d.number_page();
  cairo_destroy(d.cr);
  d.cr = nullptr;
  cairo_surface_finish(d.surface);
  cairo_status_t status = cairo_surface_status(d.surface);
  cairo_surface_destroy(d.surface);
  d.surface = nullptr;
  if (status != CAIRO_STATUS_SUCCESS)
    return Status::internal("pdf_failed", std::string("Не удалось записать PDF: ") + cairo_status_to_string(status));
  d.finished = true;
  if (d.out) {
    *d.out = std::move(d.buffer);
    return Status::ok();
  }
  std::error_code ec;
  fs::rename(d.partial, d.file, ec);
  if (ec) return Status::internal("pdf_failed", "Не удалось сохранить PDF: " + ec.message());
  return Status::ok();
}

}  // namespace praktika::pdf
