#include "certificates/content.h"

#include <algorithm>
#include <cstdlib>

namespace praktika::certificates {
namespace {

using nlohmann::json;

bool role_fits(const Rule& rule, const std::set<std::string>& roles) {
  if (rule.roles.empty()) return true;
  return std::any_of(rule.roles.begin(), rule.roles.end(), [&](const auto& r) { return roles.count(r) > 0; });
}

// The first practice whose outcome the rule accepts, or null when none does (a rule without
// outcomes accepts any practice, and also a person without one).
const Recipient::Practice* outcome_match(const Rule& rule, const Recipient& recipient, bool& fits) {
  fits = rule.outcomes.empty();
  for (const auto& p : recipient.practices) {
    if (rule.outcomes.empty() ||
        std::find(rule.outcomes.begin(), rule.outcomes.end(), p.outcome) != rule.outcomes.end()) {
      fits = true;
      return &p;
    }
  }
  return nullptr;
}

// The settings' named values: each the first non-empty of its sources.
json named_values(const Settings& settings, const Recipient& recipient, const json& practice) {
  json values = json::object();
  for (const auto& [name, sources] : settings.values) {
    std::string v;
    for (const auto& src : sources) {
      if (src == "user.full_name") v = recipient.full_name;
      else if (src == "user.email") v = recipient.account_email;
      else if (src.rfind("registration.", 0) == 0) v = at_path(recipient.registration, src.substr(13));
      else if (src.rfind("practice.", 0) == 0) v = at_path(practice, src.substr(9));
      if (!v.empty()) break;
    }
    values[name] = v;
  }
  return values;
}

std::string section_title(const timeline::Agenda& agenda, int n) {
  const auto* s = agenda.find_section(n);
  return s ? s->title : std::string();
}

}  // namespace

std::string Recipient::email() const {
  std::string e = at_path(registration, "email");
  return e.empty() ? account_email : e;
}

Content content_for(const Settings& settings, const timeline::Agenda& agenda, const Recipient& recipient) {
  Content c;
  const json* chosen_practice = nullptr;
  for (const auto& rule : settings.rules) {
    if (!role_fits(rule, recipient.roles)) continue;
    bool fits = false;
    const Recipient::Practice* matched = outcome_match(rule, recipient, fits);
    if (!fits) continue;
    c.tmpl = settings.find_template(rule.template_id);
    if (matched) chosen_practice = &matched->answers;
    else if (!recipient.practices.empty()) chosen_practice = &recipient.practices.front().answers;
    break;
  }
  if (!c.tmpl) return c;
  static const json kEmpty = json::object();
  json values = named_values(settings, recipient, chosen_practice ? *chosen_practice : kEmpty);
  json took = json::array(), ids = json::array(), sections = json::array(), titles = json::array();
  std::set<int> practice_sections;
  for (const auto& p : recipient.practices) {
    auto it = settings.took_part.find(p.outcome);
    const std::string& line = it != settings.took_part.end() ? it->second : settings.took_part.at("practice");
    std::string title = practice_title(agenda.words, p.id, p.answers);
    took.push_back(mail::fill(line, {{"title", title},
                                     {"section", std::to_string(p.section)},
                                     {"section_title", section_title(agenda, p.section)}}));
    ids.push_back(p.id);
    titles.push_back({{"title", title}, {"section", p.section}, {"outcome", p.outcome}});
    practice_sections.insert(p.section);
  }
  for (const auto& [section, minutes] : recipient.attended) {
    sections.push_back(section);
    if (practice_sections.count(section)) continue;
    took.push_back(mail::fill(settings.took_part.at("attendee"), {{"section", std::to_string(section)},
                                                                  {"section_title", section_title(agenda, section)},
                                                                  {"minutes", std::to_string(minutes)}}));
  }
  // The roles and practices' titles as issued: the verify page shows them, so a PDF edited
  // afterwards disagrees with what the number certifies.
  json held = json::array();
  for (const auto& r : recipient.roles) held.push_back(r);
  c.data = {{"template", c.tmpl->id}, {"template_title", c.tmpl->title}, {"values", values},
            {"took_part", took},      {"practices", ids},                {"sections", sections},
            {"roles", held},          {"practice_titles", titles}};
  return c;
}

std::map<std::string, std::string> document_values(const timeline::Agenda& agenda, const Settings& settings,
                                                   const json& data, const std::string& number,
                                                   const std::string& issued_on) {
  std::map<std::string, std::string> v;
  const json named = data.value("values", json::object());  // items() must not outlive it
  for (const auto& [name, value] : named.items())
    if (value.is_string()) v[name] = value.get<std::string>();
  std::string took;
  for (const auto& line : data.value("took_part", json::array()))
    if (line.is_string()) took += (took.empty() ? "" : "\n") + line.get<std::string>();
  v["took_part"] = took;
  v["template_title"] = data.value("template_title", "");
  v["number"] = number;
  v["verify_url"] = settings.site_url + "/verify/" + number;
  v["cabinet_url"] = settings.site_url + "/events/" + agenda.id + "/cabinet";
  v["date"] = issued_on;
  v["event_title"] = agenda.title;
  v["event_title_genitive"] = agenda.title_genitive;
  v["event_title_prepositional"] = agenda.title_prepositional;
  v["event_subtitle"] = agenda.subtitle;
  v["forum"] = agenda.forum;
  v["forum_genitive"] = agenda.forum_genitive;
  return v;
}

std::string letter_key_prefix(std::string_view event_id) { return "certificate:" + std::string(event_id) + ":"; }

std::string letter_key(std::string_view event_id, std::int64_t user_id) {
  return letter_key_prefix(event_id) + std::to_string(user_id);
}

mail::Message certificate_letter(const mail::Template& letter, const Template& tmpl, std::string_view event_id,
                                 std::int64_t user_id, const std::string& email,
                                 const std::map<std::string, std::string>& values, const std::filesystem::path& pdf) {
  mail::Message m;
  m.idempotency_key = letter_key(event_id, user_id);
  m.event_id = std::string(event_id);
  m.recipients = {email};
  m.subject = mail::fill(letter.subject, values);
  m.body = mail::fill(letter.body, values);
  m.attachments.push_back({std::filesystem::absolute(pdf).string(), mail::fill(tmpl.file_name, values),
                           "application/pdf", {}});
  return m;
}

std::string at_path(const json& answers, std::string_view path) {
  const json* at = &answers;
  size_t start = 0;
  while (start <= path.size()) {
    size_t dot = path.find('.', start);
    std::string key(path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (!at->is_object()) return {};
    auto it = at->find(key);
    if (it == at->end()) return {};
    at = &*it;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (at->is_string()) return at->get<std::string>();
  if (at->is_number_integer()) return std::to_string(at->get<std::int64_t>());
  return {};
}

std::string practice_title(const Noun& words, std::int64_t id, const json& answers) {
  std::string name = at_path(answers, "name");
  return name.empty() ? capitalised(words.one) + " № " + std::to_string(id) : name;
}

std::string russian_date(const Settings& s, const std::string& iso) {
  if (iso.size() < 10 || s.months.size() != 12) return iso;
  int month = std::atoi(iso.substr(5, 2).c_str());
  if (month < 1 || month > 12) return iso;
  return mail::fill(s.date_format, {{"day", std::to_string(std::atoi(iso.substr(8, 2).c_str()))},
                                    {"month", s.months[month - 1]},
                                    {"year", iso.substr(0, 4)}});
}

}  // namespace praktika::certificates
