#include "sections/action.h"

#include <functional>
#include <map>
#include <string>

namespace praktika::sections {
namespace {

using nlohmann::json;
using Parse = std::function<Action(const json& args)>;

std::optional<std::vector<std::int64_t>> int_list(const json& args, std::string_view key) {
  auto it = args.find(std::string(key));
  if (it == args.end() || !it->is_array()) return std::nullopt;
  std::vector<std::int64_t> out;
  for (const auto& item : *it) {
    if (!item.is_number_integer()) return std::nullopt;
    out.push_back(item.get<std::int64_t>());
  }
  return out;
}

std::string text_arg(const json& args, std::string_view key) {
  auto it = args.find(std::string(key));
  return it != args.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<bool> bool_arg(const json& args, std::string_view key) {
  auto it = args.find(std::string(key));
  if (it == args.end() || !it->is_boolean()) return std::nullopt;
  return it->get<bool>();
}

Parse decide(QuestionStatus to) {
  return [to](const json& a) -> Action { return FloorAction{floor_action::Decide{int_arg(a, "question"), to}}; };
}

const std::map<std::string, Parse, std::less<>>& parsers() {
  using namespace run_action;
  using namespace floor_action;
  static const std::map<std::string, Parse, std::less<>> kParsers = {
      {"start", [](const json&) -> Action { return RunAction{Start{}}; }},
      {"next", [](const json&) -> Action { return RunAction{Next{}}; }},
      {"extend", [](const json& a) -> Action { return RunAction{Extend{int_arg(a, "seconds")}}; }},
      {"absent", [](const json& a) -> Action { return RunAction{Absent{int_arg(a, "practice")}}; }},
      {"reorder", [](const json& a) -> Action { return RunAction{Reorder{int_list(a, "order")}}; }},
      {"pause", [](const json&) -> Action { return RunAction{Pause{}}; }},
      {"resume", [](const json&) -> Action { return RunAction{Resume{}}; }},
      {"close", [](const json&) -> Action { return RunAction{Close{}}; }},
      {"reset", [](const json&) -> Action { return RunAction{Reset{}}; }},
      {"hand", [](const json&) -> Action { return FloorAction{Hand{}}; }},
      {"lower", [](const json&) -> Action { return FloorAction{Lower{}}; }},
      {"ask", [](const json& a) -> Action { return FloorAction{Ask{text_arg(a, "text")}}; }},
      {"vote", [](const json& a) -> Action { return FloorAction{Vote{int_arg(a, "question")}}; }},
      {"floor", [](const json& a) -> Action { return FloorAction{Give{int_arg(a, "hand")}}; }},
      {"floor_done", [](const json&) -> Action { return FloorAction{floor_action::Done{}}; }},
      {"approve", decide(QuestionStatus::approved)},
      {"answer", decide(QuestionStatus::answered)},
      {"dismiss", decide(QuestionStatus::dismissed)},
      {"flag", [](const json& a) -> Action { return FloorAction{Flag{int_arg(a, "question")}}; }},
      {"hide", [](const json& a) -> Action { return FloorAction{Hide{int_arg(a, "question")}}; }},
      {"show", [](const json& a) -> Action { return FloorAction{Show{int_arg(a, "question")}}; }},
      {"premoderation", [](const json& a) -> Action { return FloorAction{Premoderate{bool_arg(a, "on")}}; }},
  };
  return kParsers;
}

Status not_moderator() {
  return Status::forbidden("not_moderator", "Это действие доступно только модератору секции.");
}

}  // namespace

std::optional<std::int64_t> int_arg(const json& args, std::string_view key) {
  auto it = args.find(std::string(key));
  if (it == args.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<std::int64_t>();
}

std::vector<std::string_view> action_names() {
  std::vector<std::string_view> out;
  for (const auto& [name, parse] : parsers()) out.push_back(name);
  return out;
}

Result<Action> parse_action(std::string_view name, const json& args) {
  auto it = parsers().find(name);
  if (it == parsers().end())
    return Status::bad_request("unknown_op", "Неизвестное действие секции: " + std::string(name.substr(0, 40)));
  return it->second(args);
}

Status admit(const Actor& actor, const Action& action) {
  if (const auto* run = std::get_if<RunAction>(&action)) {
    if (!actor.moderator) return not_moderator();
    if (std::holds_alternative<run_action::Reset>(*run) && !actor.organiser)
      return Status::forbidden("forbidden", "Сбросить репетицию может только организатор.");
    return Status::ok();
  }
  if (actor.user == 0) return Status::unauthorized("not_authenticated", "Войдите, чтобы участвовать в обсуждении.");
  if (moderating(std::get<FloorAction>(action)) && !actor.moderator) return not_moderator();
  return Status::ok();
}

}  // namespace praktika::sections
