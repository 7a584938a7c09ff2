// The JSON of the gallery's types that more than one place sends: the service (a practice's page,
// still built as JSON) and the routes (the list); the routes' answers and the pushes on a
// practice's topic (a comment). One way to write each.
#pragma once

#include <nlohmann/json.hpp>

#include "gallery/gallery.h"

namespace praktika::gallery {

// {"id","title","section","section_title","type","type_title","institution","year","outcome",
// "target_groups","excerpt"}; "year" null when not given.
nlohmann::json wire(const PracticeSummary& p);

// {"id","practice","parent","author":{"id","full_name"},"text","created_at","edited_at","hidden",
// "deleted"}; "parent", "text" and "edited_at" null when absent.
nlohmann::json wire(const Comment& c);

}  // namespace praktika::gallery
