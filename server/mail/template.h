// Mail texts as data: the agenda's "mail" part holds every template (Russian), and fill() puts
// values into their {placeholders}. Read once at start-up; pure functions, any thread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "timeline/agenda.h"

namespace praktika::mail {

struct Template {
  std::string subject;
  std::string body;
};

struct MailPart {
  std::map<std::string, Template> templates;   // by id: "decision_notice", ...
  std::map<std::string, std::string> snippets; // smaller pieces a module assembles: "decision_item", ...
};

// The agenda's "mail" part, read strictly (unknown keys and wrong types name their JSON path).
std::variant<MailPart, timeline::AgendaError> read_mail_part(const timeline::Agenda& agenda);

// Replaces each {name} with values[name]; an unknown {name} is left as it is (visible in the
// text, so a typo in the agenda is noticed rather than silently dropped).
std::string fill(std::string_view text, const std::map<std::string, std::string>& values);

}  // namespace praktika::mail
