// The real agenda the harnesses take their rules from (forms, file purposes, Word formatting), so
// the fuzzed code runs with the limits it runs with in production. Loaded once per process.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <variant>

#include "timeline/agenda.h"

namespace praktika::fuzz {

inline const timeline::Agenda& agenda() {
  static const timeline::Agenda loaded = [] {
    auto r = timeline::load_agenda(PRAKTIKA_SOURCE_DIR "/agenda/irkutsk-2020.json");
    if (auto* error = std::get_if<timeline::AgendaError>(&r)) {
      std::fprintf(stderr, "fuzz: %s\n", error->describe().c_str());
      std::abort();
    }
    return std::get<timeline::Agenda>(std::move(r));
  }();
  return loaded;
}

inline const timeline::FilePurpose& purpose(const char* id) {
  const auto* found = agenda().find_files(id);
  if (!found) std::abort();
  return *found;
}

}  // namespace praktika::fuzz
