#include "review/wire.h"

namespace praktika::review {

using nlohmann::json;

json to_json(const Person& p) {
  json out = {{"id", p.id}};
  if (p.email) out["email"] = *p.email;
  if (p.full_name) out["full_name"] = *p.full_name;
  return out;
}

json to_json(const std::optional<ExpertReview>& r) {
  if (!r) return json();
  return {{"decision", r->decision},
          {"reason", r->reason},
          {"scores", r->scores},
          {"created_at", r->created_at},
          {"updated_at", r->updated_at}};
}

json to_json(const std::vector<Criterion>& criteria) {
  json out = json::array();
  for (const auto& c : criteria) out.push_back({{"id", c.id}, {"title", c.title}, {"max", c.max}});
  return out;
}

}  // namespace praktika::review
