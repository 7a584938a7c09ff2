#include "gallery/wire.h"

#include "common/or_null.h"

namespace praktika::gallery {

nlohmann::json wire(const PracticeSummary& p) {
  return {{"id", p.id},
          {"title", p.title},
          {"section", p.section},
          {"section_title", p.section_title},
          {"type", p.type},
          {"type_title", p.type_title},
          {"institution", p.institution},
          {"year", or_null(p.year)},
          {"outcome", p.outcome},
          {"target_groups", p.target_groups},
          {"excerpt", p.excerpt}};
}

nlohmann::json wire(const Comment& c) {
  return {{"id", c.id},
          {"practice", c.practice},
          {"parent", or_null(c.parent)},
          {"author", {{"id", c.author.id}, {"full_name", c.author.full_name}}},
          {"text", or_null(c.text)},
          {"created_at", c.created_at},
          {"edited_at", or_null(c.edited_at)},
          {"hidden", c.hidden},
          {"deleted", c.deleted}};
}

}  // namespace praktika::gallery
