#include "timeline/event.h"

namespace praktika::timeline {

Events::Events(std::vector<Agenda> agendas) {
  for (auto& agenda : agendas) {
    std::string id = agenda.id;
    Timeline timeline(agenda);
    events_.emplace(std::move(id), Loaded{std::move(agenda), std::move(timeline)});
  }
}

std::optional<EventView> Events::find(std::string_view event_id) const {
  auto it = events_.find(event_id);
  if (it == events_.end()) return std::nullopt;
  return EventView{&it->second.agenda, &it->second.timeline};
}

std::vector<EventView> Events::all() const {
  std::vector<EventView> views;
  for (const auto& [id, loaded] : events_) views.push_back({&loaded.agenda, &loaded.timeline});
  return views;
}

std::vector<std::string> Events::ids() const {
  std::vector<std::string> ids;
  for (const auto& [id, loaded] : events_) ids.push_back(id);
  return ids;
}

}  // namespace praktika::timeline
