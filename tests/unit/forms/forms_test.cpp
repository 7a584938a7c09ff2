#include "forms/forms.h"

#include <gtest/gtest.h>

#include "timeline/agenda.h"

namespace praktika::forms {
namespace {

using nlohmann::json;

const timeline::Agenda& agenda() {
  static const timeline::Agenda loaded = [] {
    auto a = timeline::load_agenda(std::string(PRAKTIKA_SOURCE_DIR) + "/agenda/irkutsk-2020.json");
    return std::get<timeline::Agenda>(std::move(a));
  }();
  return loaded;
}

Context context() {
  Context c;
  c.current_year = 2020;
  c.options_from = [](std::string_view source) {
    std::vector<json> v;
    if (source == "sections") v = {1, 2, 3, 4};
    if (source == "payment_forms") v = {"legal_entity", "individual"};
    return v;
  };
  return c;
}

std::vector<std::string> paths(const Checked& c) {
  std::vector<std::string> out;
  for (const auto& e : c.errors) out.push_back(e.path + ":" + e.code);
  return out;
}

const auto& practice_fields() { return agenda().practice->fields; }

TEST(Forms, ADraftNeedsNothingButWhatIsThereMustBeWellFormed) {
  auto ok = check(practice_fields(), {{"name", "  Семейная гостиная  "}}, Mode::draft, context());
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(ok.values["name"], "Семейная гостиная");
  auto bad = check(practice_fields(), {{"name", 42}}, Mode::draft, context());
  EXPECT_EQ(paths(bad), std::vector<std::string>{"name:wrong_type"});
}

TEST(Forms, CompleteModeNamesEveryMissingRequiredField) {
  auto c = check(practice_fields(), json::object(), Mode::complete, context());
  auto p = paths(c);
  EXPECT_NE(std::find(p.begin(), p.end(), "name:required"), p.end());
  EXPECT_NE(std::find(p.begin(), p.end(), "cases:required"), p.end());
  EXPECT_EQ(std::find(p.begin(), p.end(), "independent_evaluation:required"), p.end());  // optional (16)
  EXPECT_EQ(std::find(p.begin(), p.end(), "beneficiary_reviews:required"), p.end());     // no start year yet
}

timeline::FormField field(const std::string& id, const std::string& type) {
  timeline::FormField f;
  f.id = id;
  f.label = id;
  f.type = type;
  f.required = true;
  return f;
}

TEST(Forms, AnInnHasTenOrTwelveDigitsWithTheirCheckDigits) {
  const std::vector<timeline::FormField> fields = {field("inn", "inn")};
  for (const char* good : {"7707083893", "3808000007", "500100732259"})
    EXPECT_TRUE(check(fields, {{"inn", good}}, Mode::complete, context()).ok()) << good;
  for (const char* bad : {"7707083894", "500100732258", "500100732269", "770708389", "77070838931", "77O7083893"})
    EXPECT_EQ(paths(check(fields, {{"inn", bad}}, Mode::complete, context())),
              std::vector<std::string>{"inn:invalid_inn"})
        << bad;
}

TEST(Forms, AKppHasNineCharacters) {
  const std::vector<timeline::FormField> fields = {field("kpp", "kpp")};
  for (const char* good : {"773601001", "7736AB001"})
    EXPECT_TRUE(check(fields, {{"kpp", good}}, Mode::complete, context()).ok()) << good;
  for (const char* bad : {"77360100", "7736010011", "77360100x", "AB3601001"})
    EXPECT_EQ(paths(check(fields, {{"kpp", bad}}, Mode::complete, context())),
              std::vector<std::string>{"kpp:invalid_kpp"})
        << bad;
}

TEST(Forms, AFieldShownForSomeAnswersIsAskedAndKeptOnlyForThem) {
  const auto& fields = agenda().registration->fields;
  json legal = {{"payment_form", "legal_entity"}};
  auto asked = paths(check(fields, legal, Mode::complete, context()));
  for (const char* p : {"payer_organisation:required", "payer_inn:required", "payer_kpp:required", "payer_address:required"})
    EXPECT_NE(std::find(asked.begin(), asked.end(), p), asked.end()) << p;
  EXPECT_EQ(std::find(asked.begin(), asked.end(), "payer_person:required"), asked.end());

  // No payment form chosen: none of the payer's fields, and what was sent for them is dropped.
  json none = {{"payer_inn", "1"}};
  auto c = check(fields, none, Mode::draft, context());
  EXPECT_TRUE(c.ok()) << c.errors.size();
  EXPECT_FALSE(c.values.contains("payer_inn"));
}

TEST(Forms, FieldFourteenFollowsTheStartYear) {
  json young = {{"relevance", {{"problem", "x"}, {"started_year", 2019}}}};
  json old = {{"relevance", {{"problem", "x"}, {"started_year", "2017"}}}};
  auto needs = [](const Checked& c) {
    auto p = paths(c);
    return std::find(p.begin(), p.end(), "beneficiary_reviews:required") != p.end();
  };
  EXPECT_FALSE(needs(check(practice_fields(), young, Mode::complete, context())));
  EXPECT_TRUE(needs(check(practice_fields(), old, Mode::complete, context())));
}

TEST(Forms, ListsKeepTheirBoundsAndNestedPathsAreNamed) {
  json values = {{"cases", {"a", "b", "c", "d"}},
                 {"implementers", {{{"full_name", "Анна"}, {"position", 7}}}},
                 {"co_implementers", {{{"website", "not a site"}}}}};
  auto c = check(practice_fields(), values, Mode::draft, context());
  EXPECT_EQ(paths(c), (std::vector<std::string>{"co_implementers[1].website:invalid_url",
                                                "implementers[1].position:wrong_type", "cases:too_many_items"}));
}

TEST(Forms, ChoicesComeFromTheAgendaAndTextNumbersAreAccepted) {
  const auto& fields = agenda().registration->fields;
  auto c = check(fields, {{"section", "3"}, {"payment_form", "individual"}}, Mode::draft, context());
  EXPECT_TRUE(c.ok()) << paths(c).size();
  EXPECT_EQ(c.values["section"], 3);
  auto bad = check(fields, {{"section", 9}, {"payment_form", "barter"}}, Mode::draft, context());
  EXPECT_EQ(paths(bad), (std::vector<std::string>{"section:not_an_option", "payment_form:not_an_option"}));
}

TEST(Forms, ConsentsMustBeGivenToComplete) {
  const auto& fields = agenda().registration->fields;
  json values = {{"position", "Психолог"}, {"work_phone", "(3952) 20-20-20"}, {"mobile_phone", "+79140000000"},
                 {"email", "a@b.ru"}, {"section", 1}, {"consent_regulations", true}, {"consent_personal_data", false}};
  auto c = check(fields, values, Mode::complete, context());
  EXPECT_EQ(paths(c), std::vector<std::string>{"consent_personal_data:consent_required"});
  values["consent_personal_data"] = true;
  EXPECT_TRUE(check(fields, values, Mode::complete, context()).ok());
}

TEST(Forms, UnknownFieldsAndBadShapesAreRefusedNotDropped) {
  auto c = check(practice_fields(), {{"nonsense", "x"}}, Mode::draft, context());
  EXPECT_EQ(paths(c), std::vector<std::string>{"nonsense:unknown_field"});
  EXPECT_FALSE(check(practice_fields(), json::array(), Mode::draft, context()).ok());
  EXPECT_EQ(to_status(c.errors).code(), "invalid_fields");
  ASSERT_NE(to_status(c.errors).details(), nullptr);
}

TEST(Forms, TextIsCleanedOfControlAndBidiCharactersAndOnlyATextareaKeepsLines) {
  const std::string rlo = "\xE2\x80\xAE", nul(1, '\0');
  json values = {{"name", "Семейная " + rlo + "гостиная" + nul + "\r\n"},
                 {"values", " Уважение" + nul + "\r\nк семье\x1b" + rlo + " "},
                 {"cases", json::array({"Случай " + rlo + "семьи К." + nul})}};
  auto c = check(practice_fields(), values, Mode::draft, context());
  ASSERT_TRUE(c.ok()) << c.errors[0].path << ": " << c.errors[0].message;
  EXPECT_EQ(c.values["name"], "Семейная гостиная");
  EXPECT_EQ(c.values["values"], "Уважение\nк семье");
  EXPECT_EQ(c.values["cases"], json::array({"Случай семьи К."}));
}

TEST(Forms, ARequiredTextOfOnlyControlCharactersIsEmpty) {
  auto c = check(practice_fields(), {{"name", std::string(1, '\0') + "\xE2\x80\xAE"}}, Mode::complete, context());
  auto p = paths(c);
  EXPECT_NE(std::find(p.begin(), p.end(), "name:required"), p.end());
}

TEST(Forms, TextLengthIsCountedInCharactersNotBytes) {
  std::string cyrillic;
  for (int i = 0; i < 1000; ++i) cyrillic += "я";  // 2000 bytes, 1000 characters
  auto c = check(practice_fields(), {{"name", cyrillic}}, Mode::draft, context());
  EXPECT_TRUE(c.ok()) << (c.errors.empty() ? "" : c.errors[0].message);
}

}  // namespace
}  // namespace praktika::forms

namespace praktika::forms {
namespace {

// The contest's application (agenda/contest-2025.json): items 6-13 may be answered by files.
TEST(Forms, ARequiredFieldWithAttachmentsHoldsByAFileOfItsPurpose) {
  auto loaded = timeline::load_agenda(std::string(PRAKTIKA_SOURCE_DIR) + "/agenda/contest-2025.json");
  ASSERT_TRUE(std::holds_alternative<timeline::Agenda>(loaded)) << std::get<timeline::AgendaError>(loaded).describe();
  const auto& fields = std::get<timeline::Agenda>(loaded).practice->fields;
  auto has = [](const Checked& c, const std::string& entry) {
    auto p = paths(c);
    return std::find(p.begin(), p.end(), entry) != p.end();
  };
  Context none = context();
  auto without = check(fields, json::object(), Mode::complete, none);
  EXPECT_TRUE(has(without, "innovative_technologies:required"));
  EXPECT_FALSE(has(without, "author_technologies:required"));  // item 7: "if any"
  for (const auto& e : without.errors)
    if (e.path == "innovative_technologies") {
      EXPECT_NE(e.message.find("приложите файл"), std::string::npos) << e.message;
    }

  Context with_file = context();
  with_file.attached = [](std::string_view purpose, std::string_view path) {
    return purpose == "attachment" && path == "innovative_technologies";
  };
  auto attached = check(fields, json::object(), Mode::complete, with_file);
  EXPECT_FALSE(has(attached, "innovative_technologies:required"));
  EXPECT_TRUE(has(attached, "programmes_and_projects:required"));  // a file answers only its own item
  // The subscription to both named journals is a required confirmation (item 14).
  EXPECT_TRUE(has(attached, "subscription:required"));
  auto one_journal =
      check(fields, {{"subscription", {{"social_service", true}, {"social_worker", false}}}}, Mode::complete, with_file);
  EXPECT_TRUE(has(one_journal, "subscription.social_worker:consent_required"));
}

}  // namespace
}  // namespace praktika::forms
