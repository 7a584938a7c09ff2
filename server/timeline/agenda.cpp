#include "timeline/agenda.h"
#include "timeline/agenda_reader.h"

#include "common/json_guard.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

namespace praktika::timeline {
namespace {

using nlohmann::json;

using namespace reader;

bool known_stage(std::string_view id) {
  return std::find(std::begin(kStageIds), std::end(kStageIds), id) != std::end(kStageIds);
}

std::string stage_id(Obj& o) {
  std::string id = o.str("id");
  if (!known_stage(id)) {
    std::string known;
    for (auto k : kStageIds) known += (known.empty() ? "" : ", ") + std::string(k);
    fail(o.at("id"), in_quotes(id) + " is not a known stage id (" + known + ")");
  }
  return id;
}

Stage read_stage(const json& j, const std::string& path) {
  return read_object(j, path, [](Obj& o) {
    Stage s{.id = stage_id(o), .title = o.str("title"), .description = o.opt_str("description"),
            .opens = o.instant("opens"), .closes = o.instant("closes")};
    if (s.opens >= s.closes) fail(o.at("closes"), "must be later than opens");
    return s;
  });
}

Milestone read_milestone(const json& j, const std::string& path) {
  return read_object(j, path, [](Obj& o) {
    return Milestone{.id = o.id("id", "_"), .title = o.str("title"), .at = o.instant("at"),
                     .warn_days_before = o.opt_int("warn_days_before", 1, 365)};
  });
}

// "placeholder": true (every value of the object) or a list of its keys.
std::vector<std::string> read_placeholder(Obj& o, const std::vector<std::string>& keys) {
  const json* p = o.find("placeholder");
  if (!p) return {};
  if (p->is_boolean()) return p->get<bool>() ? keys : std::vector<std::string>{};
  if (!p->is_array()) fail(o.at("placeholder"), "must be true, false or a list of keys");
  std::vector<std::string> out;
  each(*p, o.at("placeholder"), [&](const json& k, const std::string& kp) {
    if (!k.is_string() || std::find(keys.begin(), keys.end(), k.get<std::string>()) == keys.end())
      fail(kp, "must be a key of this object with a value");
    out.push_back(k.get<std::string>());
  });
  return out;
}

Contact read_contact(const json& j, const std::string& path, bool name_required) {
  Obj o(j, path);
  Contact c;
  c.name = name_required ? o.str("name") : o.opt_str("name");
  c.phone = o.opt_str("phone");
  c.email = o.opt_str("email");
  std::vector<std::string> present;
  for (const auto& [key, value] : {std::pair{"name", &c.name}, {"phone", &c.phone}, {"email", &c.email}})
    if (!value->empty()) present.emplace_back(key);
  c.placeholder = read_placeholder(o, present);
  o.finish();
  return c;
}

// The object's "contact", or none when it has none.
Contact opt_contact(Obj& o, bool name_required) {
  const json* c = o.find("contact");
  return c ? read_contact(*c, o.at("contact"), name_required) : Contact{};
}

Organiser read_organiser(const json& j, const std::string& path) {
  return read_object(j, path, [](Obj& o) {
    return Organiser{.id = o.id("id", "_-"), .title = o.str("title"), .description = o.opt_str("description"),
                     .contact = opt_contact(o, false)};
  });
}

Section read_section(const json& j, const std::string& path) {
  return read_object(j, path, [](Obj& o) {
    return Section{.number = static_cast<int>(o.int64("number", 1, 99)), .title = o.str("title"),
                   .description = o.opt_str("description"), .contact = opt_contact(o, true),
                   .room_url = o.opt_str("room_url")};
  });
}

Session read_session(const json& j, const std::string& path, const std::vector<Stage>& stages) {
  return read_object(j, path, [&](Obj& o) {
    Session s{.id = o.id("id", "_-"), .title = o.str("title"), .starts = o.instant("starts"), .ends = o.instant("ends"),
              .stage = o.opt_str("stage"), .room_url = o.opt_str("room_url"), .moderator = o.opt_str("moderator"),
              .access_by = o.opt_str("access_by")};
    if (s.starts >= s.ends) fail(o.at("ends"), "must be later than starts");
    if (!s.stage.empty() &&
        std::none_of(stages.begin(), stages.end(), [&](const Stage& st) { return st.id == s.stage; }))
      fail(o.at("stage"), in_quotes(s.stage) + " is not a stage of this agenda");
    return s;
  });
}

Venue read_venue(const json& j, const std::string& path) {
  return read_object(j, path, [](Obj& o) {
    return Venue{.id = o.id("id", "_-"), .title = o.str("title"), .url = o.opt_str("url")};
  });
}

std::vector<ContractLabel> read_labels(Obj& parent, std::string_view key, std::string_view key_field) {
  std::vector<ContractLabel> out;
  each(parent.array(key, true), parent.at(key), [&](const json& j, const std::string& p) {
    Obj o(j, p);
    out.push_back({o.str(key_field), o.str("label")});
    o.finish();
  });
  return out;
}

std::vector<std::string> read_strings(Obj& parent, std::string_view key) {
  std::vector<std::string> out;
  each(parent.array(key, true), parent.at(key), [&](const json& j, const std::string& p) {
    if (!j.is_string() || j.get<std::string>().empty()) fail(p, "must be a non-empty string");
    out.push_back(j.get<std::string>());
  });
  return out;
}

// A text for every payment form, and nothing else.
std::map<std::string, std::string> read_by_form(Obj& parent, std::string_view key, const Fees& fees) {
  Obj o(parent.need(key), parent.at(key));
  std::map<std::string, std::string> out;
  for (const auto& form : fees.payment_forms) out[form.id] = o.str(form.id);
  o.finish();
  return out;
}

ContractDocument read_contract_document(const json& j, const std::string& path, const Fees& fees) {
  Obj o(j, path);
  ContractDocument d;
  d.title = o.str("title");
  d.place = o.opt_str("place");
  d.preamble = read_by_form(o, "preamble", fees);
  d.payer_field = read_by_form(o, "payer_field", fees);
  d.clauses = read_strings(o, "clauses");
  d.practices_heading = o.str("practices_heading");
  d.practice_line = o.str("practice_line");
  d.total = o.str("total");
  d.purpose = o.str("purpose");
  d.requisites_heading = o.str("requisites_heading");
  d.requisites = read_labels(o, "requisites", "key");
  for (size_t i = 0; i < d.requisites.size(); ++i)
    if (!fees.contract.count(d.requisites[i].key))
      fail(child(child(o.at("requisites"), i), "key"), in_quotes(d.requisites[i].key) + " is not a key of fees.contract");
  d.payer_heading = o.str("payer_heading");
  d.payer_rows = read_labels(o, "payer_rows", "field");
  d.signatures = read_strings(o, "signatures");
  d.currency_short = o.str("currency_short");
  d.currency_words = read_strings(o, "currency_words");
  if (d.currency_words.size() != 3) fail(o.at("currency_words"), "must name the currency for 1, 2 and 5 (three words)");
  d.counted = read_strings(o, "counted");
  if (d.counted.size() != 3) fail(o.at("counted"), "must name what is counted for 1, 2 and 5 (three words)");
  o.finish();
  return d;
}

Fees read_fees(const json& j, const std::string& path) {
  Obj o(j, path);
  Fees f;
  f.currency = o.str("currency");
  f.per_practice = o.int64("per_practice", 0, kMaxBytes);
  f.payment_forms = read_choices(o, "payment_forms", true);
  if (const json* c = o.find("contract")) {
    if (!c->is_object()) fail(o.at("contract"), "must be an object of strings");
    for (auto it = c->begin(); it != c->end(); ++it) {
      if (it.key() == "placeholder" || it.key() == "note") {
        if (it.key() == "placeholder" && !it->is_boolean()) fail(child(o.at("contract"), it.key()), "must be true or false");
        if (it.key() == "placeholder") f.contract_placeholder = it->get<bool>();
        continue;
      }
      if (!it->is_string()) fail(child(o.at("contract"), it.key()), "must be a string");
      f.contract[it.key()] = it->get<std::string>();
    }
  }
  if (const json* d = o.find("contract_document"))
    f.contract_document = read_contract_document(*d, o.at("contract_document"), f);
  f.payment_proof = o.opt_str("payment_proof");
  o.finish();
  return f;
}

DocumentFormat read_format(const json& j, const std::string& path) {
  Obj o(j, path);
  DocumentFormat d;
  d.font = o.str("font");
  d.font_size_pt = o.number("font_size_pt", 1, 200);
  d.line_spacing = o.number("line_spacing", 0.5, 10);
  d.alignment = o.str("alignment");
  if (d.alignment != "justify" && d.alignment != "left" && d.alignment != "right" && d.alignment != "center")
    fail(o.at("alignment"), "must be one of justify, left, right, center");
  d.bold_headings = o.boolean("bold_headings", false);
  Obj m(o.need("margins_cm"), o.at("margins_cm"));
  d.margin_left_cm = m.number("left", 0, 20);
  d.margin_top_cm = m.number("top", 0, 20);
  d.margin_bottom_cm = m.number("bottom", 0, 20);
  d.margin_right_cm = m.number("right", 0, 20);
  m.finish();
  d.first_line_indent_cm = o.number("first_line_indent_cm", 0, 20);
  d.caption_font_size_pt = o.number("caption_font_size_pt", 1, 200);
  d.caption_line_spacing = o.number("caption_line_spacing", 0.5, 10);
  d.reference_pattern = o.opt_str("reference_pattern");
  d.reference_example = o.opt_str("reference_example");
  d.language = o.opt_str("language");
  o.finish();
  return d;
}

FileKind read_file_kind(const json& j, const std::string& path) {
  Obj o(j, path);
  FileKind k;
  k.id = o.id("id", "_-");
  k.title = o.opt_str("title");
  each(o.array("extensions", true), o.at("extensions"), [&](const json& e, const std::string& p) {
    if (!e.is_string()) fail(p, "must be a string");
    auto ext = e.get<std::string>();
    if (!matches_charset(ext, "")) fail(p, in_quotes(ext) + " must be a lower-case extension without the dot");
    k.extensions.push_back(ext);
  });
  k.min_bytes = o.opt_int64("min_bytes", 0, kMaxBytes).value_or(0);
  k.max_bytes = o.opt_int64("max_bytes", 1, kMaxBytes);
  if (k.max_bytes && *k.max_bytes < k.min_bytes) fail(o.at("max_bytes"), "must not be less than min_bytes");
  k.max_duration_seconds = o.opt_int("max_duration_seconds", 1, kMaxInt);
  k.max_slides = o.opt_int("max_slides", 1, kMaxInt);
  o.finish();
  return k;
}

FilePurpose read_file_purpose(const json& j, const std::string& path, std::string id) {
  Obj o(j, path);
  FilePurpose f;
  f.id = std::move(id);
  if (!matches_charset(f.id, "_-")) fail(path, in_quotes(f.id) + " must consist of a-z, 0-9, '_' and '-' only");
  f.title = o.opt_str("title");
  each(o.array("kinds", true), o.at("kinds"),
       [&](const json& k, const std::string& p) { f.kinds.push_back(read_file_kind(k, p)); });
  unique(f.kinds, o.at("kinds"), "id", [](const FileKind& k) { return k.id; });
  f.archives_allowed = o.boolean("archives_allowed", false);
  if (o.find("accepted_during"))
    each(o.array("accepted_during", true), o.at("accepted_during"), [&](const json& e, const std::string& p) {
      if (!e.is_string() || !known_stage(e.get<std::string>())) fail(p, "must be a known stage id");
      f.accepted_during.push_back(e.get<std::string>());
    });
  f.finish_within_hours = o.opt_int("finish_within_hours", 0, 24 * 365);
  if (o.find("accepted_until")) f.accepted_until = o.instant("accepted_until");
  f.max_files = o.opt_int("max_files", 1, kMaxInt);
  if (const json* fm = o.find("formatting")) f.formatting = read_format(*fm, o.at("formatting"));
  f.work_kinds = read_choices(o, "work_kinds", false);
  f.required_at_submission = o.boolean("required_at_submission", false);
  o.finish();
  return f;
}

const std::set<std::string, std::less<>> kScalarTypes = {"text",   "textarea", "phone",   "email", "url", "year",
                                                         "integer", "choice",  "consent", "inn",   "kpp"};

FormField read_field(const json& j, const std::string& path) {
  Obj o(j, path);
  FormField f;
  f.number = o.opt_int("number", 1, 999).value_or(0);
  f.id = o.id("id", "_");
  f.label = o.str("label");
  f.hint = o.opt_str("hint");
  f.type = o.str("type");
  if (!kScalarTypes.count(f.type) && f.type != "object" && f.type != "list")
    fail(o.at("type"), in_quotes(f.type) +
                           " is not a field type (text, textarea, phone, email, url, year, integer, choice, "
                           "consent, inn, kpp, object, list)");
  f.required = o.boolean("required", false);
  if (const json* r = o.find("required_if")) {
    if (f.required) fail(o.at("required_if"), "makes no sense together with \"required\": true");
    Obj ro(*r, o.at("required_if"));
    RequiredIf ri;
    ri.running_years_gt = static_cast<int>(ro.int64("running_years_gt", 0, 1000));
    ri.year_field = ro.str("year_field");
    ro.finish();
    f.required_if = ri;
  }
  if (const json* w = o.find("shown_if")) {
    Obj wo(*w, o.at("shown_if"));
    ShownIf si;
    si.field = wo.str("field");
    each(wo.array("values", true), wo.at("values"), [&](const json& v, const std::string& vp) {
      if (!v.is_string() && !v.is_number_integer()) fail(vp, "must be a string or a whole number");
      si.values.push_back(v);
    });
    wo.finish();
    f.shown_if = std::move(si);
  }
  if (const json* fs = o.opt_array("fields")) {
    if (f.type != "object" && f.type != "list") fail(o.at("fields"), "belongs only to an object or a list");
    each(*fs, o.at("fields"), [&](const json& k, const std::string& p) { f.fields.push_back(read_field(k, p)); });
    unique(f.fields, o.at("fields"), "id", [](const FormField& x) { return x.id; });
  }
  f.item_type = o.opt_str("item_type");
  if (f.type == "object" && f.fields.empty()) fail(o.at("fields"), "an object field needs a non-empty list of fields");
  if (f.type == "list") {
    if (f.fields.empty() == f.item_type.empty())
      fail(path, "a list needs either \"fields\" (items are objects) or \"item_type\" (items are scalars)");
    if (!f.item_type.empty() && !kScalarTypes.count(f.item_type))
      fail(o.at("item_type"), in_quotes(f.item_type) + " is not a scalar field type");
    f.min_items = o.opt_int("min_items", 0, kMaxInt);
    f.max_items = o.opt_int("max_items", 1, kMaxInt);
    if (f.min_items && f.max_items && *f.min_items > *f.max_items)
      fail(o.at("max_items"), "must not be less than min_items");
  } else if (!f.item_type.empty()) {
    fail(o.at("item_type"), "belongs only to a list");
  }
  f.options = read_choices(o, "options", false);
  f.options_from = o.opt_str("options_from");
  bool is_choice = f.type == "choice" || f.item_type == "choice";
  if (is_choice && f.options.empty() == f.options_from.empty())
    fail(path, "a choice needs either \"options\" or \"options_from\"");
  if (!is_choice && (!f.options.empty() || !f.options_from.empty()))
    fail(o.at(f.options.empty() ? "options_from" : "options"), "belongs only to a choice");
  f.max_length = o.opt_int("max_length", 1, kMaxInt);
  f.attachments = o.opt_str("attachments");
  if (!f.attachments.empty() && (f.type == "object" || f.type == "list" || f.type == "consent"))
    fail(o.at("attachments"), "belongs only to a text field");
  o.finish();
  return f;
}

std::vector<FormField> read_fields(Obj& parent) {
  std::vector<FormField> out;
  each(parent.array("fields", true), parent.at("fields"),
       [&](const json& j, const std::string& p) { out.push_back(read_field(j, p)); });
  unique(out, parent.at("fields"), "id", [](const FormField& f) { return f.id; });
  return out;
}


// Cross-references that need the whole agenda: options_from and required_if.year_field.
void check_references(const std::vector<FormField>& fields, const std::vector<FormField>& top,
                      const std::string& path, const Agenda& a) {
  for (size_t i = 0; i < fields.size(); ++i) {
    const FormField& f = fields[i];
    std::string p = child(path, i);
    if (!f.options_from.empty()) {
      bool present = (f.options_from == "sections" && !a.sections.empty()) ||
                     (f.options_from == "payment_forms" && a.fees) ||
                     (f.options_from == "practice_types" && a.practice && !a.practice->types.empty());
      if (!present)
        fail(child(p, "options_from"),
             in_quotes(f.options_from) + " must name a list this agenda has: sections, payment_forms or practice_types");
    }
    if (!f.attachments.empty() && !a.find_files(f.attachments))
      fail(child(p, "attachments"), in_quotes(f.attachments) + " must name an upload purpose of /files");
    if (f.shown_if) {
      const FormField* w = find_field(top, f.shown_if->field);
      if (!w || w->shown_if || w->id == f.id)
        fail(child(child(p, "shown_if"), "field"),
             in_quotes(f.shown_if->field) + " must name another field of this form that is always asked");
    }
    if (f.required_if) {
      const FormField* y = find_field(top, f.required_if->year_field);
      if (!y || y->type != "year")
        fail(child(child(p, "required_if"), "year_field"),
             in_quotes(f.required_if->year_field) + " must name a field of type year in this form");
    }
    check_references(f.fields, top, child(p, "fields"), a);
  }
}

// How the site and the server's messages name a practice of this event (the contest: «заявка»).
void read_words(Obj& po, Noun& n) {
  Obj wo(po.need("words"), po.at("words"));
  for (auto [key, form] : {std::pair<std::string_view, std::string*>{"one", &n.one}, {"accusative", &n.accusative},
                           {"genitive", &n.genitive}, {"dative", &n.dative}, {"many", &n.many},
                           {"dative_plural", &n.dative_plural}, {"genitive_plural", &n.genitive_plural}})
    if (std::string v = wo.opt_str(key); !v.empty()) *form = std::move(v);
  for (std::string_view key : {"to_review", "decision"}) wo.opt_str(key);  // the front end's only
  // The noun's gender, for the words that agree with it («Новая заявка», «Новый доклад»).
  if (wo.find("gender")) {
    const std::string gender = wo.str("gender");
    if (gender == "masculine") n.gender = Gender::masculine;
    else if (gender == "neuter") n.gender = Gender::neuter;
    else if (gender != "feminine") fail(wo.at("gender"), "must be feminine, masculine or neuter");
  }
  wo.finish();
}

RegistrationForm read_registration_form(Obj& o) {
  Obj ro(o.need("registration_form"), o.at("registration_form"));
  RegistrationForm form;
  form.title = ro.opt_str("title");
  form.per = ro.opt_str("per");
  form.fields = read_fields(ro);
  // The withdrawal of the consent given here (152-ФЗ): which of these fields describe the person
  // and the words of the withdrawal. server/privacy reads it from `raw` at start-up.
  if (const json* privacy = ro.find("privacy"); privacy && !privacy->is_object())
    fail(ro.at("privacy"), "must be an object");
  ro.finish();
  return form;
}

PracticeForm read_practice_form(Obj& o, Noun& words) {
  Obj po(o.need("practice"), o.at("practice"));
  PracticeForm form;
  form.types = read_choices(po, "types", false);
  if (const json* rules = po.opt_array("type_rules"))
    each(*rules, po.at("type_rules"), [&](const json& j, const std::string& rp) {
      Obj ro(j, rp);
      TypeRule r;
      r.type = ro.str("type");
      if (std::none_of(form.types.begin(), form.types.end(), [&](const Choice& c) { return c.id == r.type; }))
        fail(ro.at("type"), in_quotes(r.type) + " is not one of practice.types");
      r.min_running_years = static_cast<int>(ro.int64("min_running_years", 1, 1000));
      r.year_field = ro.str("year_field");
      ro.finish();
      form.type_rules.push_back(std::move(r));
    });
  if (po.find("words")) read_words(po, words);
  form.fields = read_fields(po);
  for (size_t i = 0; i < form.fields.size(); ++i)
    for (size_t k = 0; k < i && form.fields[i].number; ++k)
      if (form.fields[k].number == form.fields[i].number)
        fail(child(child(po.at("fields"), i), "number"), "repeats the number of item " + std::to_string(k));
  po.finish();
  return form;
}

// What one part names in another: form fields in their forms, the contract's payer in the
// registration form.
void check_cross_references(const Agenda& a, const Obj& o) {
  if (a.registration)
    check_references(a.registration->fields, a.registration->fields, child(o.at("registration_form"), "fields"), a);
  if (a.practice) {
    check_references(a.practice->fields, a.practice->fields, child(o.at("practice"), "fields"), a);
    for (size_t i = 0; i < a.practice->type_rules.size(); ++i) {
      const FormField* y = find_field(a.practice->fields, a.practice->type_rules[i].year_field);
      if (!y || y->type != "year")
        fail(child(child(child(o.at("practice"), "type_rules"), i), "year_field"),
             in_quotes(a.practice->type_rules[i].year_field) + " must name a field of type year in the practice form");
    }
  }
  if (a.fees && a.fees->contract_document) {
    // The payer is read from the registration form: every field the contract names must be one of it.
    const ContractDocument& d = *a.fees->contract_document;
    const std::string at = child(child(o.at("fees"), "contract_document"), "payer_rows");
    auto known = [&](const std::string& id) {
      return a.registration && std::any_of(a.registration->fields.begin(), a.registration->fields.end(),
                                           [&](const FormField& f) { return f.id == id; });
    };
    for (const auto& [form, field] : d.payer_field)
      if (!known(field))
        fail(child(child(child(o.at("fees"), "contract_document"), "payer_field"), form),
             in_quotes(field) + " is not a field of registration_form");
    for (size_t i = 0; i < d.payer_rows.size(); ++i)
      if (!known(d.payer_rows[i].key))
        fail(child(child(at, i), "field"), in_quotes(d.payer_rows[i].key) + " is not a field of registration_form");
  }
}

Agenda read_agenda(const json& doc) {
  Obj o(doc, "");
  Agenda a;
  // For editors ("$schema") and for the organiser's eyes only ("private", left out of public_json).
  if (const json* s = o.find("$schema"); s && !s->is_string()) fail(o.at("$schema"), "must be a string");
  if (const json* p = o.find("private"); p && !p->is_object()) fail(o.at("private"), "must be an object");
  o.int64("format", 1, 1);
  a.id = o.id("id", "-");
  a.kind = o.opt_str("kind");
  a.title = o.str("title");
  a.title_genitive = o.opt_str("title_genitive");
  if (a.title_genitive.empty()) a.title_genitive = a.title;
  a.title_prepositional = o.opt_str("title_prepositional");
  if (a.title_prepositional.empty()) a.title_prepositional = a.title;
  a.subtitle = o.opt_str("subtitle");
  a.forum = o.opt_str("forum");
  a.forum_genitive = o.opt_str("forum_genitive");
  if (const json* g = o.opt_array("organisers")) {
    each(*g, o.at("organisers"), [&](const json& j, const std::string& p) { a.organisers.push_back(read_organiser(j, p)); });
    unique(a.organisers, o.at("organisers"), "id", [](const Organiser& x) { return x.id; });
  }
  a.time_zone = o.str("time_zone");
  std::string offset = o.str("utc_offset");
  auto minutes = parse_utc_offset(offset);
  if (!minutes) fail(o.at("utc_offset"), in_quotes(offset) + " is not an offset like +08:00");
  a.utc_offset_minutes = *minutes;

  const std::string stages_path = o.at("stages");
  each(o.array("stages", true), stages_path,
       [&](const json& j, const std::string& p) { a.stages.push_back(read_stage(j, p)); });
  unique(a.stages, stages_path, "id", [](const Stage& s) { return s.id; });

  if (const json* m = o.opt_array("milestones")) {
    each(*m, o.at("milestones"), [&](const json& j, const std::string& p) { a.milestones.push_back(read_milestone(j, p)); });
    unique(a.milestones, o.at("milestones"), "id", [](const Milestone& x) { return x.id; });
  }
  if (const json* s = o.opt_array("sections")) {
    each(*s, o.at("sections"), [&](const json& j, const std::string& p) { a.sections.push_back(read_section(j, p)); });
    unique(a.sections, o.at("sections"), "number", [](const Section& x) { return x.number; });
  }
  if (const json* t = o.opt_array("timetable")) {
    each(*t, o.at("timetable"),
         [&](const json& j, const std::string& p) { a.timetable.push_back(read_session(j, p, a.stages)); });
    unique(a.timetable, o.at("timetable"), "id", [](const Session& x) { return x.id; });
  }
  if (const json* v = o.opt_array("venues")) {
    each(*v, o.at("venues"), [&](const json& j, const std::string& p) { a.venues.push_back(read_venue(j, p)); });
    unique(a.venues, o.at("venues"), "id", [](const Venue& x) { return x.id; });
  }
  if (const json* f = o.find("fees")) a.fees = read_fees(*f, o.at("fees"));
  if (const json* files = o.find("files")) {
    if (!files->is_object()) fail(o.at("files"), "must be an object keyed by upload purpose");
    for (auto it = files->begin(); it != files->end(); ++it)
      a.files.emplace(it.key(), read_file_purpose(*it, child(o.at("files"), it.key()), it.key()));
  }
  if (o.find("registration_form")) a.registration = read_registration_form(o);
  if (o.find("practice")) a.practice = read_practice_form(o, a.words);
  for (std::string_view key : kModuleParts) {
    if (const json* part = o.find(key)) {
      if (!part->is_object()) fail(o.at(key), "must be an object");
      a.modules.emplace(std::string(key), *part);
    }
  }
  o.finish();

  check_cross_references(a, o);
  return a;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace

const FormField* find_field(const std::vector<FormField>& fields, std::string_view dotted) {
  auto dot = dotted.find('.');
  auto head = dotted.substr(0, dot);
  for (const auto& f : fields) {
    if (f.id != head) continue;
    if (dot == std::string_view::npos) return &f;
    return f.type == "object" ? find_field(f.fields, dotted.substr(dot + 1)) : nullptr;
  }
  return nullptr;
}

const FileKind* FilePurpose::find_kind_for_extension(std::string_view extension) const {
  std::string ext = lower(extension);
  for (const auto& k : kinds)
    if (std::find(k.extensions.begin(), k.extensions.end(), ext) != k.extensions.end()) return &k;
  return nullptr;
}

namespace {
// The first of `items` whose `key` is `value`, or nullptr.
template <typename T, typename Key, typename Value>
const T* find_by(const std::vector<T>& items, Key T::*key, const Value& value) {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& item) { return item.*key == value; });
  return it == items.end() ? nullptr : &*it;
}
}  // namespace

const Stage* Agenda::find_stage(std::string_view id) const { return find_by(stages, &Stage::id, id); }

const Milestone* Agenda::find_milestone(std::string_view id) const { return find_by(milestones, &Milestone::id, id); }

const Section* Agenda::find_section(int number) const { return find_by(sections, &Section::number, number); }

const Session* Agenda::find_session(std::string_view id) const { return find_by(timetable, &Session::id, id); }

const FilePurpose* Agenda::find_files(std::string_view purpose) const {
  auto it = files.find(std::string(purpose));
  return it == files.end() ? nullptr : &it->second;
}

std::string AgendaError::describe() const {
  return file + ": " + (json_path.empty() ? "(document)" : json_path) + ": " + problem;
}

namespace {

// Values marked as placeholders leave the public document: an object marked whole keeps only its
// mark ({"placeholder": true}, so a page can say what is missing), one marked by keys loses those.
void strip_placeholders(nlohmann::ordered_json& j) {
  if (j.is_array()) {
    for (auto& item : j) strip_placeholders(item);
    return;
  }
  if (!j.is_object()) return;
  if (auto mark = j.find("placeholder"); mark != j.end()) {
    if (mark->is_boolean() && mark->get<bool>()) {
      j = nlohmann::ordered_json{{"placeholder", true}};
      return;
    }
    if (mark->is_array()) {
      const nlohmann::ordered_json keys = *mark;  // erasing moves the object's members
      for (const auto& key : keys)
        if (key.is_string()) j.erase(key.get<std::string>());
    }
  }
  for (auto& [key, value] : j.items()) strip_placeholders(value);
}

std::vector<std::string> contact_labels(const Contact& c) {
  static const std::map<std::string, std::string, std::less<>> kLabels = {
      {"name", "ФИО"}, {"phone", "Телефон"}, {"email", "Электронная почта"}};
  std::vector<std::string> out;
  for (const auto& key : c.placeholder) out.push_back(kLabels.at(key));
  return out;
}

}  // namespace

bool Contact::is_placeholder(std::string_view key) const {
  return std::find(placeholder.begin(), placeholder.end(), key) != placeholder.end();
}

std::string Contact::reach() const {
  std::string out;
  if (!email.empty() && !is_placeholder("email")) out = email;
  if (!phone.empty() && !is_placeholder("phone")) out += (out.empty() ? "тел. " : ", тел. ") + phone;
  return out;
}

std::string organiser_contact(const Agenda& agenda) {
  for (const auto& g : agenda.organisers)
    if (auto reach = g.contact.reach(); !reach.empty()) return reach;
  return {};
}

std::vector<Placeholder> placeholders(const Agenda& agenda) {
  std::vector<Placeholder> out;
  for (size_t i = 0; i < agenda.organisers.size(); ++i)
    if (!agenda.organisers[i].contact.placeholder.empty())
      out.push_back({"/organisers/" + std::to_string(i) + "/contact", "Контакты организатора «" + agenda.organisers[i].title + "»",
                     contact_labels(agenda.organisers[i].contact)});
  for (size_t i = 0; i < agenda.sections.size(); ++i)
    if (!agenda.sections[i].contact.placeholder.empty())
      out.push_back({"/sections/" + std::to_string(i) + "/contact",
                     "Контактное лицо секции " + std::to_string(agenda.sections[i].number),
                     contact_labels(agenda.sections[i].contact)});
  if (agenda.fees && agenda.fees->contract_placeholder) {
    Placeholder p{"/fees/contract", "Реквизиты организатора для договора об оплате", {}};
    if (agenda.fees->contract_document)
      for (const auto& r : agenda.fees->contract_document->requisites) p.fields.push_back(r.label);
    else
      for (const auto& [key, value] : agenda.fees->contract) p.fields.push_back(key);
    out.push_back(std::move(p));
  }
  return out;
}

nlohmann::ordered_json public_json(const Agenda& agenda) {
  // An agenda built in code has no file: its keys come sorted.
  nlohmann::ordered_json out =
      agenda.ordered.is_null() ? nlohmann::ordered_json::parse(agenda.raw.dump()) : agenda.ordered;
  if (out.is_object()) {
    out.erase("private");
    out.erase("$schema");
  }
  strip_placeholders(out);
  return out;
}

std::variant<Agenda, AgendaError> parse_agenda(std::string_view text, const std::string& file_label) {
  auto error = [&](std::string path, std::string problem) {
    return AgendaError{file_label, std::move(path), std::move(problem)};
  };
  try {
    if (auto at = praktika::too_deep_at(text, kMaxAgendaDepth))
      return error("", "nesting deeper than " + std::to_string(kMaxAgendaDepth) + " levels at byte " +
                           std::to_string(*at));
    json doc;
    try {
      doc = json::parse(text.begin(), text.end());
    } catch (const json::parse_error& e) {
      return error("", std::string("invalid JSON: ") + e.what());
    }
    Agenda a = read_agenda(doc);
    a.ordered = nlohmann::ordered_json::parse(text.begin(), text.end());
    a.raw = std::move(doc);
    a.source = file_label;
    return a;
  } catch (const Bad& bad) {
    return error(bad.path, bad.problem);
  } catch (const std::exception& e) {
    return error("", std::string("cannot be read: ") + e.what());
  }
}

std::variant<Agenda, AgendaError> load_agenda(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return AgendaError{file.string(), "", "cannot open the file"};
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return AgendaError{file.string(), "", "cannot read the file"};
  return parse_agenda(buf.str(), file.string());
}

std::variant<std::vector<Agenda>, AgendaError> load_agendas(const std::filesystem::path& folder) {
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (std::filesystem::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const auto& p = it->path();
    if (p.extension() == ".json" && p.filename() != "schema.json") files.push_back(p);
  }
  if (ec) return AgendaError{folder.string(), "", "cannot list the folder: " + ec.message()};
  if (files.empty()) return AgendaError{folder.string(), "", "holds no agenda (*.json)"};
  std::sort(files.begin(), files.end());
  std::vector<Agenda> out;
  for (const auto& f : files) {
    auto r = load_agenda(f);
    if (auto* e = std::get_if<AgendaError>(&r)) return std::move(*e);
    auto& a = std::get<Agenda>(r);
    for (const auto& other : out)
      if (other.id == a.id) return AgendaError{f.string(), "/id", in_quotes(a.id) + " is also the id of " + other.source};
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace praktika::timeline
