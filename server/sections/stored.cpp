#include "sections/stored.h"

namespace praktika::sections {

using nlohmann::json;

json slots_to_json(const std::vector<Slot>& slots) {
  json out = json::array();
  for (const auto& s : slots) out.push_back({{"practice", s.practice}, {"seconds", s.seconds}});
  return out;
}

std::vector<Slot> slots_from_json(const json& j) {
  std::vector<Slot> out;
  if (!j.is_array()) return out;
  for (const auto& s : j)
    if (s.is_object()) out.push_back({s.value("practice", std::int64_t{0}), s.value("seconds", 0)});
  return out;
}

}  // namespace praktika::sections
