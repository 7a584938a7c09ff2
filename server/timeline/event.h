// An event as a module sees it: its agenda and its timeline, both constant after start-up. The
// one type every stage module is given (a module keeps the settings it read beside it), and
// Events, the loaded events that own them. Built by main's thread before any module; read from
// any thread afterwards.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "timeline/agenda.h"
#include "timeline/timeline.h"

namespace praktika::timeline {

struct EventView {
  const Agenda* agenda = nullptr;
  const Timeline* timeline = nullptr;
};

// The loaded event with that id, if any.
using FindEvent = std::function<std::optional<EventView>(std::string_view event_id)>;

// Every loaded event by id. Views point into it: it outlives everything it was shown to.
class Events {
 public:
  explicit Events(std::vector<Agenda> agendas);
  Events(const Events&) = delete;
  Events& operator=(const Events&) = delete;

  std::optional<EventView> find(std::string_view event_id) const;
  FindEvent finder() const {
    return [this](std::string_view id) { return find(id); };
  }
  std::vector<EventView> all() const;  // by id
  std::vector<std::string> ids() const;
  std::size_t size() const { return events_.size(); }

 private:
  struct Loaded {
    Agenda agenda;
    Timeline timeline;
  };
  std::map<std::string, Loaded, std::less<>> events_;  // nodes never move: views stay valid
};

}  // namespace praktika::timeline
