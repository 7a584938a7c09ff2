// Renders the pages of a PDF presentation to PNG images (poppler's page_renderer), one file per
// slide, for the flashmob feed to show each for a set time. Blocks on disk and CPU: call it from
// the conversion workers. Any thread; no shared state.
#pragma once

#include <filesystem>
#include <functional>

#include "common/status.h"

namespace praktika::flashmob {

// Writes <dir>/1.png … <dir>/N.png, each `width` pixels wide (the height keeps the page's
// proportions). Renders at most `max_pages`; `on_page(done, total)` after each page.
// Errors: "pdf_unreadable", "pdf_locked", "render_failed" (with the page in the message).
Result<int> render_pdf_slides(const std::filesystem::path& pdf, const std::filesystem::path& dir, int width,
                              int max_pages, const std::function<void(int done, int total)>& on_page);

}  // namespace praktika::flashmob
