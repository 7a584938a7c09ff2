// The stages of the event, in the order they are built, wired and started (stopped in reverse):
// a stage may ask for any stage listed before it while it is built. Adding a stage is one folder
// server/<stage>/ with its <stage>_module.{h,cpp} and one line in stages.cpp.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "stage/stage_module.h"
#include "timeline/agenda.h"

namespace praktika::app {

// Fresh, unbuilt modules: main checks the agendas with them, App builds its own.
std::vector<std::unique_ptr<stage::StageModule>> stages();

// Reads the letters' part of `agenda` and every stage's strictly: the first mistake, naming its
// JSON path. main calls it for every agenda before the App is built, so a mistake stops the start.
std::optional<timeline::AgendaError> check_agenda(const timeline::Agenda& agenda);

}  // namespace praktika::app
