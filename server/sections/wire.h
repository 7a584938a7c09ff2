// The JSON of the section day's types (types.h): one function per type, shared by the routes
// (sections_api.cpp) and the live pushes and topic snapshots (sections.cpp), so both send the same.
// Keys and nulls are the wire's; docs/protocol.md describes them.
#pragma once

#include <nlohmann/json.hpp>

#include "sections/sections.h"
#include "sections/types.h"

namespace praktika::sections {

nlohmann::json to_json(const PracticeCard& practice);  // {"id","title","institution","authors"}
nlohmann::json to_json(const TimedSlot& slot);
nlohmann::json to_json(const Overview& overview);
nlohmann::json to_json(const Schedule& schedule);
nlohmann::json to_json(const Notice& notice);
nlohmann::json to_json(const MySlots& mine);
nlohmann::json to_json(const SectionState& state);
nlohmann::json to_json(const Moderation& moderation);
nlohmann::json to_json(const ActReply& reply);  // the state alone when the action made nothing
nlohmann::json to_json(const TimerNotice& notice);
nlohmann::json to_json(const std::vector<AttendanceRow>& rows);  // {"attendance": […]}
nlohmann::json to_json(const Results& results);                  // {"results": {…} or null}
nlohmann::json to_json(const CalendarFeed& feed);                // {"url": the subscription address, or null}

}  // namespace praktika::sections
