// How the section tables store running orders: JSON lists of {"practice", "seconds"} (instants
// are common/time.h's to_ms). Pure; any thread.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "sections/sections.h"

namespace praktika::sections {

nlohmann::json slots_to_json(const std::vector<Slot>& slots);
// Entries that are not objects are skipped; a text that is not a list reads as none.
std::vector<Slot> slots_from_json(const nlohmann::json& j);

}  // namespace praktika::sections
