#include "convert/pdf_pages.h"

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>

#include <algorithm>
#include <memory>
#include <mutex>

namespace praktika::convert {

Result<int> render_pdf_pages(const std::filesystem::path& pdf, const std::filesystem::path& dir, int width,
                              int max_pages, const std::function<void(int, int)>& on_page) {
  static std::once_flag quiet;
  std::call_once(quiet, [] { poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr); });
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(pdf.string()));
  if (!doc) return Status::unprocessable("pdf_unreadable", "PDF-файл не читается.");
  if (doc->is_locked()) return Status::unprocessable("pdf_locked", "PDF-файл защищён паролем.");
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::unavailable("storage_unavailable", "Сервер не может сохранить слайды.");
  int total = std::min(doc->pages(), max_pages);
  poppler::page_renderer renderer;
  renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
  renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
  renderer.set_image_format(poppler::image::format_rgb24);
  for (int i = 0; i < total; ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    std::string where = "Страницу " + std::to_string(i + 1) + " не удалось отрисовать.";
    if (!page) return Status::unprocessable("render_failed", where);
    double points = page->page_rect(poppler::media_box).width();
    if (!(points > 0)) return Status::unprocessable("render_failed", where);
    // Points are 1/72 inch: this resolution makes the page `width` pixels wide.
    double dpi = std::clamp(width * 72.0 / points, 10.0, 600.0);
    poppler::image image = renderer.render_page(page.get(), dpi, dpi);
    if (!image.is_valid() || !image.save((dir / (std::to_string(i + 1) + ".png")).string(), "png"))
      return Status::unprocessable("render_failed", where);
    if (on_page) on_page(i + 1, total);
  }
  return total;
}

}  // namespace praktika::convert
