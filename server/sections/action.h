// A live action on a section as the service receives it: its name and arguments read into a typed
// action of the run (run.h) or of the floor (floor.h), and who may take it. Pure; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "sections/floor.h"
#include "sections/run.h"

namespace praktika::sections {

using Action = std::variant<RunAction, FloorAction>;

// 400 unknown_op for a name that is no action. Arguments are read, never refused, here.
Result<Action> parse_action(std::string_view name, const nlohmann::json& args);

// An integer argument, or empty when absent or not an integer.
std::optional<std::int64_t> int_arg(const nlohmann::json& args, std::string_view key);

// The caller, as far as the section's actions care.
struct Actor {
  std::int64_t user = 0;  // 0: not signed in
  bool moderator = false;  // of this section, or an organiser
  bool organiser = false;
};

// Whether the actor may take the action at all: run actions are the moderators' (not_moderator)
// and a reset the organisers' (forbidden); the floor wants a signed-in person (not_authenticated)
// and its moderating actions a moderator.
Status admit(const Actor& actor, const Action& action);

}  // namespace praktika::sections
