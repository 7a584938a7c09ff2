#include "gallery/wire.h"

namespace praktika::gallery {

nlohmann::json wire(const PracticeSummary& p) {
  return {{"id", p.id},
          {"title", p.title},
          {"section", p.section},
          {"section_title", p.section_title},
          {"type", p.type},
          {"type_title", p.type_title},
          {"institution", p.institution},
          {"year", p.year ? nlohmann::json(*p.year) : nlohmann::json()},
          {"outcome", p.outcome},
          {"target_groups", p.target_groups},
          {"excerpt", p.excerpt}};
}

}  // namespace praktika::gallery
