#include "certificates/settings.h"

#include "timeline/agenda_reader.h"

namespace praktika::certificates {

const Template* Settings::find_template(const std::string& id) const {
  for (const auto& t : templates)
    if (t.id == id) return &t;
  return nullptr;
}

namespace {

using namespace timeline::reader;

std::vector<std::string> strings(Obj& o, std::string_view key, bool non_empty) {
  std::vector<std::string> out;
  const json* a = non_empty ? &o.array(key, true) : o.opt_array(key);
  if (!a) return out;
  each(*a, o.at(key), [&](const json& j, const std::string& path) {
    if (!j.is_string() || j.get<std::string>().empty()) fail(path, "must be a non-empty string");
    out.push_back(j.get<std::string>());
  });
  return out;
}

pdf::Align align(Obj& o) {
  std::string a = o.opt_str("align");
  if (a.empty() || a == "centre") return pdf::Align::centre;
  if (a == "left") return pdf::Align::left;
  if (a == "right") return pdf::Align::right;
  if (a == "justify") return pdf::Align::justify;
  fail(o.at("align"), "must be one of 'left', 'centre', 'right', 'justify'");
}

// A text that replaces the default in `into` when the agenda gives one.
void replace_if_given(Obj& o, std::string_view key, std::string& into) {
  if (auto v = o.opt_str(key); !v.empty()) into = std::move(v);
}

// The module's part `key`, read by `read(o, out)` into an `out` whose `enabled` says whether the
// agenda has the part at all (an absent part is read as empty and keeps the defaults).
template <typename T, typename Read>
std::variant<T, timeline::AgendaError> read_module_part(const timeline::Agenda& agenda, std::string_view key,
                                                        Read&& read) {
  T out;
  out.enabled = agenda.modules.count(std::string(key)) > 0;
  auto error = read_part(agenda, key, [&](Obj& o) {
    if (out.enabled) read(o, out);
    o.finish();
  });
  if (error) return *error;
  return out;
}

double opt_number(Obj& o, std::string_view key, double min, double max, double fallback) {
  return o.find(key) ? o.number(key, min, max) : fallback;
}

Block read_block(const json& j, const std::string& path) {
  return read_object(j, path, [](Obj& o) {
    Block b;
    b.qr = o.boolean("qr", false);
    if (b.qr) {
      b.qr_size_mm = opt_number(o, "size_mm", 10, 100, b.qr_size_mm);
    } else {
      b.text = o.str("text");
      b.size_pt = opt_number(o, "size_pt", 5, 96, b.size_pt);
      b.bold = o.boolean("bold", false);
      b.italic = o.boolean("italic", false);
    }
    b.align = align(o);
    b.space_before_mm = opt_number(o, "space_before_mm", 0, 200, 0);
    b.space_after_mm = opt_number(o, "space_after_mm", 0, 200, b.space_after_mm);
    return b;
  });
}

Template read_template(const json& j, const std::string& path) {
  return read_object(j, path, [](Obj& o) {
    Template t;
    t.id = o.id("id", "_-");
    t.title = o.str("title");
    t.file_name = o.str("file_name");
    std::string orientation = o.opt_str("orientation");
    if (!orientation.empty() && orientation != "portrait" && orientation != "landscape")
      fail(o.at("orientation"), "must be 'portrait' or 'landscape'");
    t.landscape = orientation == "landscape";
    replace_if_given(o, "font", t.font);
    t.margin_mm = opt_number(o, "margin_mm", 5, 60, t.margin_mm);
    each(o.array("blocks", true), o.at("blocks"),
         [&](const json& b, const std::string& p) { t.blocks.push_back(read_block(b, p)); });
    return t;
  });
}

}  // namespace

std::variant<Settings, timeline::AgendaError> read_settings(const timeline::Agenda& agenda) {
  return read_module_part<Settings>(agenda, "certificates", [](Obj& o, Settings& s) {
    s.site_url = o.str("site_url");
    while (!s.site_url.empty() && s.site_url.back() == '/') s.site_url.pop_back();
    s.attendance_min_minutes =
        static_cast<int>(o.opt_int64("attendance_min_minutes", 0, 24 * 60).value_or(s.attendance_min_minutes));
    s.workers = static_cast<int>(o.opt_int64("workers", 1, 8).value_or(s.workers));
    replace_if_given(o, "mail_template", s.mail_template);
    {
      Obj values(o.need("values"), o.at("values"));
      for (const auto& [name, sources] : o.need("values").items()) {
        (void)values.find(name);
        if (!matches_charset(name, "_")) fail(values.at(name), "a value's name must consist of a-z, 0-9 and '_'");
        s.values[name] = strings(values, name, true);
        for (size_t i = 0; i < s.values[name].size(); ++i) {
          const auto& src = s.values[name][i];
          if (src != "user.full_name" && src != "user.email" && src.rfind("registration.", 0) != 0 &&
              src.rfind("practice.", 0) != 0)
            fail(child(values.at(name), i), "must be user.full_name, user.email, registration.<field> or practice.<field>");
        }
      }
      values.finish();
    }
    {
      Obj took(o.need("took_part"), o.at("took_part"));
      for (const auto& [key, line] : o.need("took_part").items()) {
        (void)took.find(key);
        s.took_part[key] = took.str(key);
      }
      took.finish();
      if (!s.took_part.count("practice")) fail(o.at("took_part"), "needs a 'practice' line");
      if (!s.took_part.count("attendee")) fail(o.at("took_part"), "needs an 'attendee' line");
    }
    {
      Obj roles(o.need("roles"), o.at("roles"));
      for (const char* role : {"author", "attendee"}) s.roles[role] = roles.str(role);
      roles.finish();
    }
    s.months = strings(o, "months", true);
    if (s.months.size() != 12) fail(o.at("months"), "must name the 12 months");
    replace_if_given(o, "date_format", s.date_format);
    each(o.array("templates", true), o.at("templates"),
         [&](const json& j, const std::string& p) { s.templates.push_back(read_template(j, p)); });
    unique(s.templates, o.at("templates"), "id", [](const Template& t) { return t.id; });
    each(o.array("rules", true), o.at("rules"), [&](const json& j, const std::string& p) {
      Obj r(j, p);
      Rule rule;
      rule.template_id = r.str("template");
      if (!s.find_template(rule.template_id)) fail(r.at("template"), in_quotes(rule.template_id) + " is no template here");
      rule.roles = strings(r, "roles", false);
      for (size_t i = 0; i < rule.roles.size(); ++i)
        if (rule.roles[i] != "author" && rule.roles[i] != "attendee")
          fail(child(r.at("roles"), i), "must be 'author' or 'attendee'");
      rule.outcomes = strings(r, "outcomes", false);
      r.finish();
      s.rules.push_back(std::move(rule));
    });
  });
}

std::variant<ProceedingsSettings, timeline::AgendaError> read_proceedings(const timeline::Agenda& agenda) {
  return read_module_part<ProceedingsSettings>(agenda, "proceedings", [](Obj& o, ProceedingsSettings& p) {
    p.title = o.str("title");
    p.title_lines = strings(o, "title_lines", false);
    replace_if_given(o, "contents_title", p.contents_title);
    replace_if_given(o, "section_heading", p.section_heading);
    replace_if_given(o, "file_name", p.file_name);
    if (o.find("outcomes")) p.outcomes = strings(o, "outcomes", true);
    replace_if_given(o, "mail_template", p.mail_template);
    replace_if_given(o, "font", p.font);
  });
}

std::variant<OrderSettings, timeline::AgendaError> read_order(const timeline::Agenda& agenda) {
  return read_module_part<OrderSettings>(agenda, "order", [](Obj& o, OrderSettings& out) {
    out.header_lines = strings(o, "header_lines", false);
    out.title = o.str("title");
    out.subject = o.opt_str("subject");
    out.preamble = strings(o, "preamble", false);
    replace_if_given(o, "section_heading", out.section_heading);
    replace_if_given(o, "item", out.item);
    replace_if_given(o, "author", out.author);
    out.empty_section = o.opt_str("empty_section");
    out.closing_lines = strings(o, "closing_lines", false);
    replace_if_given(o, "file_name", out.file_name);
    if (o.find("outcomes")) out.outcomes = strings(o, "outcomes", true);
    replace_if_given(o, "font", out.font);
    out.author_name_field = o.opt_str("author_name_field");
    replace_if_given(o, "author_institution_field", out.author_institution_field);
    replace_if_given(o, "institution_field", out.institution_field);
  });
}

}  // namespace praktika::certificates
