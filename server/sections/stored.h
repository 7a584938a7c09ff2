// How the section tables store instants (milliseconds since the epoch, as every table of
// praktika does) and running orders (JSON lists of {"practice", "seconds"}). Pure; any thread.
#pragma once

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/time.h"
#include "sections/sections.h"

namespace praktika::sections {

inline std::int64_t to_ms(TimePoint t) { return t.time_since_epoch().count(); }
inline TimePoint from_ms(std::int64_t ms) { return TimePoint(Millis(ms)); }

nlohmann::json slots_to_json(const std::vector<Slot>& slots);
// Entries that are not objects are skipped; a text that is not a list reads as none.
std::vector<Slot> slots_from_json(const nlohmann::json& j);

}  // namespace praktika::sections
