// Renders the pages of a PDF to PNG images (poppler's page_renderer), one file per page: the
// flashmob's slides, the gallery's document preview. Blocks on disk and CPU: call it from a
// worker or conversion thread. Any thread; no shared state.
#pragma once

#include <filesystem>
#include <functional>

#include "common/status.h"

namespace praktika::convert {

// Writes <dir>/1.png … <dir>/N.png, each `width` pixels wide (the height keeps the page's
// proportions). Renders at most `max_pages`; `on_page(done, total)` after each page (may be empty).
// Errors: "pdf_unreadable", "pdf_locked", "render_failed" (with the page in the message).
Result<int> render_pdf_pages(const std::filesystem::path& pdf, const std::filesystem::path& dir, int width,
                              int max_pages, const std::function<void(int done, int total)>& on_page);

}  // namespace praktika::convert
