// The JSON of the gallery's types that both the service (a practice's page, still built as JSON)
// and the routes (the list) send: one way to write each.
#pragma once

#include <nlohmann/json.hpp>

#include "gallery/gallery.h"

namespace praktika::gallery {

// {"id","title","section","section_title","type","type_title","institution","year","outcome",
// "target_groups","excerpt"}; "year" null when not given.
nlohmann::json wire(const PracticeSummary& p);

}  // namespace praktika::gallery
