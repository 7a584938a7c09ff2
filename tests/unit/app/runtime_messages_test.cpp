// The messages the server builds at run time (a field's label, a limit, the list of allowed values
// put into a sentence) are as Russian as the ones written whole in the sources: every field of every
// form of every agenda is sent bad input of each kind its type can get wrong, and each message that
// comes back is read for Latin identifiers and for a count that does not agree with its noun.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "forms/forms.h"
#include "latin_words.h"
#include "timeline/agenda.h"

namespace praktika {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using timeline::FormField;

// Every shipped agenda and the third one the tests use (a seminar that names its things otherwise).
std::vector<timeline::Agenda> agendas() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(fs::path(PRAKTIKA_SOURCE_DIR) / "agenda"))
    if (entry.path().extension() == ".json" && entry.path().filename() != "schema.json") files.push_back(entry.path());
  files.push_back(fs::path(PRAKTIKA_SOURCE_DIR) / "tests/fixtures/agenda/seminar-2021.json");
  std::vector<timeline::Agenda> out;
  for (const auto& file : files) {
    auto loaded = timeline::load_agenda(file);
    if (auto* a = std::get_if<timeline::Agenda>(&loaded)) out.push_back(std::move(*a));
    else ADD_FAILURE() << file << ": " << std::get<timeline::AgendaError>(loaded).describe();
  }
  return out;
}

forms::Context context_of(const timeline::Agenda& agenda) {
  forms::Context c;
  c.current_year = 2020;
  c.options_from = [&agenda](std::string_view source) {
    std::vector<json> v;
    if (source == "sections")
      for (const auto& s : agenda.sections) v.emplace_back(s.number);
    if (source == "payment_forms" && agenda.fees)
      for (const auto& f : agenda.fees->payment_forms) v.emplace_back(f.id);
    if (source == "practice_types" && agenda.practice)
      for (const auto& t : agenda.practice->types) v.emplace_back(t.id);
    return v;
  };
  return c;
}

// The values a field of this type can get wrong.
std::vector<json> bad_values(const FormField& f) {
  const std::string& t = f.type;
  std::vector<json> out = {json(12345), json::array({1}), json::object({{"x", 1}})};
  if (t == "text" || t == "textarea" || t == "phone" || t == "email" || t == "url" || t == "inn" || t == "kpp") {
    std::string longer;
    for (int i = 0; i < (f.max_length ? *f.max_length : 30000) + 1; ++i) longer += "я";
    out.push_back(longer);
    out.push_back("not valid ж");
    out.push_back("12");
  } else if (t == "year") {
    out = {json("около двух лет"), json(1800), json(2999), json(true)};
  } else if (t == "consent") {
    out = {json("yes"), json(false)};
  } else if (t == "choice") {
    out = {json("no_such_option"), json(987654), json(true)};
  } else if (t == "object") {
    out = {json("text"), json::object({{"no_such_field", "x"}}), json::array()};
  } else if (t == "list") {
    json many = json::array();
    for (int i = 0; i < (f.max_items ? *f.max_items : 100) + 1; ++i)
      many.push_back(f.fields.empty() ? json("пункт") : json::object({{f.fields.front().id, "пункт"}}));
    out = {json("text"), many, json::array({"text"}), json::array({12345}), json::array({json::object({{"no_such_field", 1}})})};
  }
  return out;
}

// `value` placed at the field's place in a form, with what shows the field (shown_if) answered.
json form_with(const std::vector<const FormField*>& chain, const json& value) {
  json inner = value;
  for (auto it = chain.rbegin(); it + 1 != chain.rend(); ++it) {
    const FormField& parent = **(it + 1);
    json holder = json::object({{(*it)->id, inner}});
    inner = parent.type == "list" ? json::array({holder}) : holder;
  }
  json root = json::object({{chain.front()->id, inner}});
  for (const auto* f : chain)
    if (f->shown_if && !f->shown_if->values.empty() && !root.contains(f->shown_if->field))
      root[f->shown_if->field] = f->shown_if->values.front();
  return root;
}

struct Said {
  std::string where;
  std::string message;
};

void walk(const std::vector<FormField>& fields, std::vector<const FormField*>& chain, const std::vector<FormField>& top,
          const forms::Context& context, const std::string& where, std::vector<Said>& out) {
  for (const auto& f : fields) {
    chain.push_back(&f);
    for (const auto& bad : bad_values(f))
      for (auto mode : {forms::Mode::draft, forms::Mode::complete}) {
        auto checked = forms::check(top, form_with(chain, bad), mode, context);
        for (const auto& e : checked.errors) out.push_back({where + " " + e.path + " (" + e.code + ")", e.message});
        if (!checked.ok()) out.push_back({where + " " + f.id + " (summary)", forms::to_status(checked.errors).message()});
      }
    walk(f.fields, chain, top, context, where, out);
    chain.pop_back();
  }
}

// Every message the forms give for bad input to any field of any agenda.
std::vector<Said> form_messages() {
  std::vector<Said> out;
  for (const auto& agenda : agendas()) {
    const auto context = context_of(agenda);
    std::vector<const FormField*> chain;
    if (agenda.registration) {
      walk(agenda.registration->fields, chain, agenda.registration->fields, context, agenda.id + " registration", out);
      for (const auto& e : forms::check(agenda.registration->fields, json::object(), forms::Mode::complete, context).errors)
        out.push_back({agenda.id + " registration (empty)", e.message});
    }
    if (agenda.practice) {
      walk(agenda.practice->fields, chain, agenda.practice->fields, context, agenda.id + " practice", out);
      for (const auto& e : forms::check(agenda.practice->fields, json::object(), forms::Mode::complete, context).errors)
        out.push_back({agenda.id + " practice (empty)", e.message});
      auto unknown = forms::check(agenda.practice->fields, {{"no_such_field", "x"}}, forms::Mode::draft, context);
      for (const auto& e : unknown.errors) out.push_back({agenda.id + " practice (unknown)", e.message});
    }
  }
  return out;
}

// After «длиннее», «не больше», «не меньше», «не менее», «до» a count asks the genitive: «1 пункта»,
// «21 знака», but «2 пунктов», «5 знаков». True when a count's noun is in the other form.
bool count_disagrees(const std::string& text) {
  static const std::regex count(R"((длиннее|больше|меньше|менее|более|до) (\d+) (пункт\S*|знак\S*|минут\S*|года|лет))");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), count); it != std::sregex_iterator(); ++it) {
    const long n = std::stol((*it)[2]);
    std::string noun = (*it)[3];
    while (!noun.empty() && (noun.back() == '.' || noun.back() == ',' || noun.back() == ':')) noun.pop_back();
    const bool one = n % 10 == 1 && n % 100 != 11;
    const bool singular = noun == "пункта" || noun == "знака" || noun == "минуты" || noun == "года";
    if (one != singular) return true;
  }
  return false;
}

TEST(RuntimeMessages, EveryFieldOfEveryFormIsDrivenWithBadInput) {
  // A walk that stopped reaching the fields would pass every message: make sure it says much.
  EXPECT_GT(form_messages().size(), 1000u);
}

TEST(RuntimeMessages, NoFormMessageNamesAFieldByItsIdOrSpeaksEnglish) {
  std::set<std::string> seen;
  for (const auto& said : form_messages()) {
    if (!seen.insert(said.message).second) continue;
    auto words = latin_words(said.message);
    if (words.empty()) continue;
    std::string list;
    for (const auto& w : words) list += (list.empty() ? "" : ", ") + w;
    ADD_FAILURE() << said.where << ": «" << said.message << "» has " << list;
  }
}

TEST(RuntimeMessages, EveryCountInAFormMessageAgreesWithItsNoun) {
  std::set<std::string> seen;
  for (const auto& said : form_messages())
    if (seen.insert(said.message).second) {
      EXPECT_FALSE(count_disagrees(said.message)) << said.where << ": «" << said.message << "»";
    }
}

}  // namespace
}  // namespace praktika
