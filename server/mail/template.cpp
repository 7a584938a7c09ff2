#include "mail/template.h"

#include "timeline/agenda_reader.h"

namespace praktika::mail {

std::variant<MailPart, timeline::AgendaError> read_mail_part(const timeline::Agenda& agenda) {
  using namespace timeline::reader;
  MailPart part;
  auto error = read_part(agenda, "mail", [&](Obj& o) {
    if (const json* t = o.find("templates")) {
      Obj templates(*t, o.at("templates"));
      for (auto it = t->begin(); it != t->end(); ++it) {
        Obj one(templates.need(it.key()), templates.at(it.key()));
        part.templates[it.key()] = Template{one.str("subject"), one.str("body")};
        one.finish();
      }
      templates.finish();
    }
    if (const json* s = o.find("snippets")) {
      Obj snippets(*s, o.at("snippets"));
      for (auto it = s->begin(); it != s->end(); ++it) part.snippets[it.key()] = snippets.opt_str(it.key());
      snippets.finish();
    }
    o.finish();
  });
  if (error) return *error;
  return part;
}

std::string fill(std::string_view text, const std::map<std::string, std::string>& values) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t open = text.find('{', i);
    if (open == std::string_view::npos) break;
    size_t close = text.find('}', open);
    if (close == std::string_view::npos) break;
    out.append(text.substr(i, open - i));
    auto it = values.find(std::string(text.substr(open + 1, close - open - 1)));
    if (it != values.end()) out += it->second;
    else out.append(text.substr(open, close - open + 1));
    i = close + 1;
  }
  out.append(text.substr(i));
  return out;
}

}  // namespace praktika::mail
