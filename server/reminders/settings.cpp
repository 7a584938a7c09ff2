#include "reminders/settings.h"

#include <algorithm>
#include <chrono>

#include "mail/template.h"
#include "timeline/agenda_reader.h"

namespace praktika::reminders {

std::string_view kind_id(Kind kind) {
  switch (kind) {
    case Kind::draft: return "draft";
    case Kind::payment: return "payment";
    case Kind::speaker: return "speaker";
    case Kind::certificate: return "certificate";
  }
  return "";
}

std::optional<Kind> kind_of(std::string_view id) {
  for (Kind k : kKinds)
    if (kind_id(k) == id) return k;
  return std::nullopt;
}

const KindSettings* Settings::find(Kind kind) const {
  for (const auto& k : kinds)
    if (k.kind == kind) return &k;
  return nullptr;
}

std::variant<Settings, timeline::AgendaError> read_settings(const timeline::Agenda& agenda) {
  using namespace timeline::reader;
  Settings settings;
  auto mail = mail::read_mail_part(agenda);
  const auto* templates = std::get_if<mail::MailPart>(&mail);
  auto error = read_part(agenda, "reminders", [&](Obj& o) {
    settings.site_url = o.opt_str("site_url");
    while (!settings.site_url.empty() && settings.site_url.back() == '/') settings.site_url.pop_back();
    for (Kind kind : kKinds) {
      const json* part = o.find(kind_id(kind));
      if (!part) continue;
      Obj k(*part, o.at(kind_id(kind)));
      KindSettings s;
      s.kind = kind;
      s.title = k.str("title");
      s.description = k.opt_str("description");
      s.template_id = k.str("template");
      if (!templates || !templates->templates.contains(s.template_id))
        fail(k.at("template"), in_quotes(s.template_id) + " is not a template of the mail part");
      if (kind != Kind::certificate) {
        const json& hours = k.array("hours_before", true);
        each(hours, k.at("hours_before"), [&](const json& h, const std::string& p) {
          if (!h.is_number_integer() || h.get<std::int64_t>() < 1 || h.get<std::int64_t>() > 24 * 90)
            fail(p, "must be a whole number of hours from 1 to 2160");
          s.hours_before.push_back(h.get<int>());
        });
        std::sort(s.hours_before.begin(), s.hours_before.end(), std::greater<>());
        if (std::adjacent_find(s.hours_before.begin(), s.hours_before.end()) != s.hours_before.end())
          fail(k.at("hours_before"), "repeats an hour");
      }
      if (kind == Kind::draft) {
        s.stage = k.str("stage");
        if (!agenda.find_stage(s.stage)) fail(k.at("stage"), in_quotes(s.stage) + " is not a stage of the agenda");
      }
      if (kind == Kind::payment) {
        s.milestone = k.str("milestone");
        if (!agenda.find_milestone(s.milestone))
          fail(k.at("milestone"), in_quotes(s.milestone) + " is not a milestone of the agenda");
      }
      if (kind == Kind::speaker && !agenda.modules.contains("section_day"))
        fail(o.at("speaker"), "needs the section_day part");
      k.finish();
      settings.kinds.push_back(std::move(s));
    }
    o.finish();
  });
  if (error) return *error;
  return settings;
}

std::vector<Occasion> occasions(const std::vector<int>& hours_before, TimePoint deadline) {
  std::vector<Occasion> out;
  for (int h : hours_before) out.push_back({h, deadline - std::chrono::hours(h), deadline});
  std::sort(out.begin(), out.end(), [](const Occasion& a, const Occasion& b) { return a.at < b.at; });
  for (size_t i = 0; i + 1 < out.size(); ++i) out[i].until = out[i + 1].at;
  return out;
}

}  // namespace praktika::reminders
