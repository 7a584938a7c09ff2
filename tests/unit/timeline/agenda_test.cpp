#include "timeline/agenda.h"

#include <fstream>
#include <random>
#include <regex>

#include <gtest/gtest.h>
#include "support/temp_dir.h"

namespace praktika::timeline {
namespace {

using nlohmann::json;

const std::string kSource = PRAKTIKA_SOURCE_DIR;
const std::string kShipped = kSource + "/agenda/irkutsk-2020.json";
const std::string kFixtures = kSource + "/tests/fixtures/agenda/";

TimePoint at(std::string_view s) { return *parse_instant(s); }

Agenda load_ok(const std::string& file) {
  auto r = load_agenda(file);
  if (auto* e = std::get_if<AgendaError>(&r)) ADD_FAILURE() << e->describe();
  return std::get<Agenda>(std::move(r));
}

json shipped_json() {
  std::ifstream in(kShipped);
  return json::parse(in);
}

// The JSON path reported for a text, or "OK" when it loads.
std::string path_of(const std::string& text) {
  auto r = parse_agenda(text, "test.json");
  if (auto* e = std::get_if<AgendaError>(&r)) return e->json_path;
  return "OK";
}

std::string path_after(const std::string& pointer, const json& value) {
  json doc = shipped_json();
  doc[json::json_pointer(pointer)] = value;
  return path_of(doc.dump());
}

std::string path_without(const std::string& pointer) {
  json doc = shipped_json();
  json::json_pointer p(pointer);
  doc[p.parent_pointer()].erase(p.back());
  return path_of(doc.dump());
}

TEST(ShippedAgenda, LoadsWithEventFactsAndStages) {
  Agenda a = load_ok(kShipped);
  EXPECT_EQ(a.id, "irkutsk-2020");
  EXPECT_EQ(a.source, kShipped);
  EXPECT_EQ(a.time_zone, "Asia/Irkutsk");
  EXPECT_EQ(a.utc_offset_minutes, 8 * 60);
  EXPECT_NE(a.forum.find("Мир семьи. Страна детства"), std::string::npos);
  std::vector<std::string> ids;
  for (const auto& s : a.stages) ids.push_back(s.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"intake", "review", "gallery", "flashmob", "sections"}));
  EXPECT_EQ(a.find_stage("intake")->closes, at("2020-06-28T16:00Z"));
  EXPECT_EQ(a.find_stage("review")->closes, at("2020-07-05T00:00+08:00"));
  EXPECT_EQ(a.find_stage("sections")->opens, at("2020-07-08T10:00+08:00"));
  EXPECT_EQ(a.find_stage("sections")->closes, at("2020-07-08T13:00+08:00"));
  EXPECT_EQ(a.find_milestone("decision_notice_by")->at, at("2020-07-06T00:00+08:00"));
  // Clause 5.8 and the timetable: the feed starts in the day of 7 July, not at its midnight.
  EXPECT_EQ(a.find_milestone("flashmob_feed_starts")->at, at("2020-07-07T10:00+08:00"));
  EXPECT_EQ(a.find_milestone("decision_notice_by")->warn_days_before, 3);
  EXPECT_FALSE(a.find_milestone("flashmob_feed_starts")->warn_days_before);
  EXPECT_TRUE(a.raw.is_object());
}

TEST(ShippedAgenda, CarriesSectionsTimetableAndFees) {
  Agenda a = load_ok(kShipped);
  ASSERT_EQ(a.sections.size(), 4u);
  EXPECT_EQ(a.find_section(1)->title, "Эффективные практики семейного жизнеустройства");
  EXPECT_FALSE(a.find_section(4)->contact.phone.empty());
  EXPECT_FALSE(a.find_section(2)->room_url.empty());
  EXPECT_EQ(a.find_section(5), nullptr);

  ASSERT_NE(a.find_session("welcome"), nullptr);
  EXPECT_EQ(a.find_session("welcome")->starts, at("2020-07-06T10:00+08:00"));
  EXPECT_EQ(a.find_session("welcome")->ends, at("2020-07-06T10:30+08:00"));
  EXPECT_EQ(a.find_session("sections")->ends, at("2020-07-08T12:00+08:00"));
  EXPECT_EQ(a.find_session("results")->starts, at("2020-07-08T12:30+08:00"));
  EXPECT_EQ(a.find_session("results")->stage, "sections");

  ASSERT_TRUE(a.fees);
  EXPECT_EQ(a.fees->currency, "RUB");
  EXPECT_EQ(a.fees->per_practice, 2000);
  ASSERT_EQ(a.fees->payment_forms.size(), 2u);
  EXPECT_EQ(a.fees->payment_forms[0].id, "legal_entity");
  EXPECT_EQ(a.fees->payment_forms[1].title, "Физическое лицо");
}

TEST(ShippedAgenda, CarriesFileRulesPerPurpose) {
  Agenda a = load_ok(kShipped);
  const FilePurpose* doc = a.find_files("document");
  ASSERT_NE(doc, nullptr);
  EXPECT_FALSE(doc->archives_allowed);
  EXPECT_NE(doc->find_kind_for_extension("DOCX"), nullptr);
  EXPECT_EQ(doc->find_kind_for_extension("pdf"), nullptr);
  ASSERT_TRUE(doc->formatting);
  EXPECT_EQ(doc->formatting->font, "Times New Roman");
  EXPECT_EQ(doc->formatting->font_size_pt, 14);
  EXPECT_EQ(doc->formatting->line_spacing, 1.5);
  EXPECT_EQ(doc->formatting->alignment, "justify");
  EXPECT_EQ(doc->formatting->margin_left_cm, 3);
  EXPECT_EQ(doc->formatting->margin_right_cm, 1.5);
  EXPECT_EQ(doc->formatting->first_line_indent_cm, 1.25);
  EXPECT_EQ(doc->formatting->caption_font_size_pt, 12);
  std::regex reference(doc->formatting->reference_pattern);
  EXPECT_TRUE(std::regex_search(doc->formatting->reference_example, reference));
  EXPECT_TRUE(std::regex_search(std::string("как показано [25, c. 7]."), reference));
  EXPECT_FALSE(std::regex_search(std::string("(Иванов, 2019)"), reference));

  const FileKind* photo = a.find_files("photo")->find_kind_for_extension("jpg");
  ASSERT_NE(photo, nullptr);
  EXPECT_EQ(photo->min_bytes, 1024 * 1024);
  EXPECT_EQ(photo->max_bytes, 5 * 1024 * 1024);

  const FilePurpose* flashmob = a.find_files("flashmob");
  ASSERT_NE(flashmob, nullptr);
  const FileKind* video = flashmob->find_kind_for_extension("mp4");
  ASSERT_NE(video, nullptr);
  EXPECT_EQ(video->max_duration_seconds, 300);
  EXPECT_EQ(video->max_bytes, std::int64_t{1000} * 1024 * 1024);
  EXPECT_EQ(flashmob->find_kind_for_extension("pptx")->max_slides, 10);
  EXPECT_EQ(flashmob->work_kinds.size(), 5u);

  const FilePurpose* presentation = a.find_files("presentation");
  ASSERT_NE(presentation, nullptr);
  for (const char* ext : {"mpg", "mov", "ra", "flv", "rm", "mp4", "vob", "wmv", "png", "jpeg", "gif", "jpg", "pdf",
                          "docx", "xls", "ppt", "doc", "xlsx", "pptx"}) {
    const FileKind* k = presentation->find_kind_for_extension(ext);
    ASSERT_NE(k, nullptr) << ext;
    EXPECT_EQ(k->max_bytes, 100 * 1024 * 1024) << ext;
  }
  EXPECT_FALSE(presentation->max_files);
  EXPECT_NE(a.find_files("payment")->find_kind_for_extension("pdf"), nullptr);
}

TEST(ShippedAgenda, CarriesTheRegistrationFormOfAppendix1) {
  Agenda a = load_ok(kShipped);
  ASSERT_TRUE(a.registration);
  std::map<std::string, bool> required;
  // The payer's requisites (clause 5.10: the contract follows the payment form) are asked only
  // for the form that needs them.
  for (const auto& f : a.registration->fields)
    if (!f.shown_if) required[f.id] = f.required;
  EXPECT_EQ(required, (std::map<std::string, bool>{{"institution", false},
                                                   {"author", false},
                                                   {"position", true},
                                                   {"work_phone", true},
                                                   {"mobile_phone", true},
                                                   {"email", true},
                                                   {"section", true},
                                                   {"article_title", false},
                                                   {"payment_form", false},
                                                   {"consent_regulations", true},
                                                   {"consent_personal_data", true}}));
  EXPECT_EQ(a.registration->fields[6].options_from, "sections");
  EXPECT_EQ(a.registration->fields.back().type, "consent");
  const FormField* inn = find_field(a.registration->fields, "payer_inn");
  ASSERT_NE(inn, nullptr);
  EXPECT_EQ(inn->type, "inn");
  ASSERT_TRUE(inn->shown_if);
  EXPECT_EQ(inn->shown_if->field, "payment_form");
  EXPECT_EQ(inn->shown_if->values, std::vector<json>{"legal_entity"});
}

TEST(ShippedAgenda, CarriesPracticeTypesAndTheSeventeenFields) {
  Agenda a = load_ok(kShipped);
  ASSERT_TRUE(a.practice);
  ASSERT_EQ(a.practice->types.size(), 3u);
  EXPECT_EQ(a.practice->types[2].id, "established");
  ASSERT_EQ(a.practice->fields.size(), 17u);
  for (int i = 0; i < 17; ++i) EXPECT_EQ(a.practice->fields[i].number, i + 1);
  const FormField& reviews = a.practice->fields[13];
  EXPECT_FALSE(reviews.required);
  ASSERT_TRUE(reviews.required_if);
  EXPECT_EQ(reviews.required_if->running_years_gt, 1);
  EXPECT_EQ(reviews.required_if->year_field, "relevance.started_year");
  const FormField& cases = a.practice->fields[14];
  EXPECT_EQ(cases.type, "list");
  EXPECT_EQ(cases.min_items, 1);
  EXPECT_EQ(cases.max_items, 3);
  EXPECT_FALSE(a.practice->fields[15].required);
  EXPECT_TRUE(a.practice->fields[16].required);
  EXPECT_EQ(a.practice->fields[1].type, "object");
  EXPECT_EQ(a.practice->fields[1].fields.size(), 5u);
}

// The third event of the browser tests: its own words, sections, decisions and document rules.
TEST(ThirdAgenda, TheSeminarLoadsWithItsOwnWordsAndAMasculineNoun) {
  Agenda a = load_ok(kFixtures + "seminar-2021.json");
  EXPECT_EQ(a.id, "seminar-2021");
  EXPECT_EQ(a.sections.size(), 3u);
  EXPECT_EQ(a.raw["practice"]["words"]["gender"], "masculine");
  EXPECT_EQ(path_after("/practice/words", {{"one", "практика"}, {"gender", "plural"}}), "/practice/words/gender");
  EXPECT_EQ(path_after("/practice/words", {{"one", "практика"}, {"gender", "feminine"}}), "OK");
}

TEST(PublicJson, LeavesOutThePrivatePart) {
  json doc = shipped_json();
  doc["private"] = {{"bank_login", "secret"}};
  auto r = parse_agenda(doc.dump(), "x.json");
  ASSERT_TRUE(std::holds_alternative<Agenda>(r)) << std::get<AgendaError>(r).describe();
  auto pub = public_json(std::get<Agenda>(r));
  EXPECT_FALSE(pub.contains("private"));
  EXPECT_FALSE(pub.contains("$schema"));
  EXPECT_EQ(pub["stages"].size(), 5u);
  EXPECT_EQ(pub["id"], "irkutsk-2020");
}

TEST(Placeholders, TheShippedAgendaNamesWhatTheOrganiserMustFillIn) {
  Agenda a = load_ok(kShipped);
  EXPECT_TRUE(a.fees->contract_placeholder);
  auto list = placeholders(a);
  ASSERT_EQ(list.size(), 5u);
  EXPECT_EQ(list[0].path, "/sections/0/contact");
  EXPECT_EQ(list[0].title, "Контактное лицо секции 1");
  EXPECT_EQ(list[0].fields, (std::vector<std::string>{"ФИО", "Телефон"}));
  EXPECT_EQ(list[4].path, "/fees/contract");
  EXPECT_EQ(list[4].fields.front(), "Получатель");
  // The organiser's real address is no placeholder: messages that send people to the organiser name it.
  EXPECT_EQ(organiser_contact(a), "attestovan38@mail.ru");
}

TEST(Placeholders, AreLeftOutOfThePublicJsonWholeOrByKey) {
  json doc = shipped_json();
  doc["sections"][1]["contact"]["placeholder"] = json::array({"phone"});
  auto r = parse_agenda(doc.dump(), "x.json");
  ASSERT_TRUE(std::holds_alternative<Agenda>(r)) << std::get<AgendaError>(r).describe();
  const Agenda& a = std::get<Agenda>(r);
  EXPECT_EQ(a.sections[1].contact.reach(), "");
  auto pub = public_json(a);
  EXPECT_EQ(pub["fees"]["contract"], nlohmann::ordered_json({{"placeholder", true}}));
  EXPECT_EQ(pub["sections"][0]["contact"], nlohmann::ordered_json({{"placeholder", true}}));
  EXPECT_EQ(pub["sections"][1]["contact"]["name"], "Контактное лицо секции 2");
  EXPECT_FALSE(pub["sections"][1]["contact"].contains("phone"));
  EXPECT_EQ(path_after("/sections/0/contact/placeholder", json::array({"email"})), "/sections/0/contact/placeholder/0");
  EXPECT_EQ(path_after("/fees/contract/placeholder", "yes"), "/fees/contract/placeholder");
}

TEST(BadAgenda, ConditionsAndTypeRulesNameWhatTheyReferTo) {
  EXPECT_EQ(path_after("/registration_form/fields/9/shown_if/field", "no_such_field"),
            "/registration_form/fields/9/shown_if/field");
  EXPECT_EQ(path_after("/practice/type_rules/0/type", "ancient"), "/practice/type_rules/0/type");
  EXPECT_EQ(path_after("/practice/type_rules/0/year_field", "name"), "/practice/type_rules/0/year_field");
  Agenda a = load_ok(kShipped);
  ASSERT_EQ(a.practice->type_rules.size(), 1u);
  EXPECT_EQ(a.practice->type_rules[0].type, "established");
  EXPECT_EQ(a.practice->type_rules[0].min_running_years, 2);
}

TEST(PublicJson, KeepsTheKeysInTheOrderOfTheFile) {
  auto r = load_agenda(kShipped);
  ASSERT_TRUE(std::holds_alternative<Agenda>(r)) << std::get<AgendaError>(r).describe();
  auto pub = public_json(std::get<Agenda>(r));
  std::vector<std::string> decisions;
  const auto& outcomes = pub["review"]["outcomes"];
  for (auto it = outcomes.begin(); it != outcomes.end(); ++it) decisions.push_back(it.key());
  EXPECT_EQ(decisions, (std::vector<std::string>{"present", "gallery", "rejected"}));
  EXPECT_EQ(pub.begin().key(), "format");
}

TEST(AgendaError, DescribesFilePathAndProblem) {
  auto r = load_agenda(kFixtures + "bad-closes.json");
  ASSERT_TRUE(std::holds_alternative<AgendaError>(r));
  const auto& e = std::get<AgendaError>(r);
  EXPECT_EQ(e.file, kFixtures + "bad-closes.json");
  EXPECT_EQ(e.describe(), kFixtures + "bad-closes.json: /stages/1/closes: '5 July 2020' is not an instant with an "
                                      "explicit offset, like 2020-06-29T00:00+08:00");
}

TEST(BadAgendaFixtures, EachReportsItsJsonPath) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"good-minimal.json", "OK"},
      {"bad-closes.json", "/stages/1/closes"},
      {"bad-no-offset.json", "/stages/0/opens"},
      {"bad-closes-before-opens.json", "/stages/2/closes"},
      {"bad-unknown-stage.json", "/stages/2/id"},
      {"bad-duplicate-stage.json", "/stages/1/id"},
      {"bad-duplicate-section.json", "/sections/1/number"},
      {"bad-negative-limit.json", "/files/photo/kinds/0/max_bytes"},
      {"bad-event-id.json", "/id"},
      {"bad-missing-title.json", "/title"},
      {"bad-stages-type.json", "/stages"},
      {"bad-unknown-field.json", "/stages/0/closes_at"},
      {"bad-json.json", ""},
      {"bad-too-deep.json", ""},
  };
  for (const auto& [file, expected] : cases) {
    auto r = load_agenda(kFixtures + file);
    std::string got = "OK";
    if (auto* e = std::get_if<AgendaError>(&r)) got = e->json_path;
    EXPECT_EQ(got, expected) << file;
  }
}

TEST(BadAgenda, MissingFileIsReportedWithItsName) {
  auto r = load_agenda(kFixtures + "no-such-file.json");
  ASSERT_TRUE(std::holds_alternative<AgendaError>(r));
  EXPECT_EQ(std::get<AgendaError>(r).file, kFixtures + "no-such-file.json");
}

TEST(BadAgenda, ReportsTheFirstProblemAtItsExactPath) {
  EXPECT_EQ(path_after("/utc_offset", "+8"), "/utc_offset");
  EXPECT_EQ(path_after("/format", 2), "/format");
  EXPECT_EQ(path_after("/stages/4/opens", 20200708), "/stages/4/opens");
  EXPECT_EQ(path_after("/stages/3/title", ""), "/stages/3/title");
  EXPECT_EQ(path_after("/stages", json::array()), "/stages");
  EXPECT_EQ(path_after("/milestones/0/at", "2020-07-06"), "/milestones/0/at");
  EXPECT_EQ(path_after("/milestones/0/warn_days_before", 0), "/milestones/0/warn_days_before");
  EXPECT_EQ(path_after("/milestones/0/warn_days_before", "3"), "/milestones/0/warn_days_before");
  EXPECT_EQ(path_after("/timetable/0/ends", "2020-07-06T09:00+08:00"), "/timetable/0/ends");
  EXPECT_EQ(path_after("/timetable/1/stage", "lunch"), "/timetable/1/stage");
  EXPECT_EQ(path_after("/sections/2/contact/name", 5), "/sections/2/contact/name");
  EXPECT_EQ(path_after("/sections/3/number", 0), "/sections/3/number");
  EXPECT_EQ(path_after("/fees/per_practice", "2000"), "/fees/per_practice");
  EXPECT_EQ(path_after("/fees/per_practice", -2000), "/fees/per_practice");
  EXPECT_EQ(path_after("/files/flashmob/kinds/0/max_duration_seconds", -5),
            "/files/flashmob/kinds/0/max_duration_seconds");
  EXPECT_EQ(path_after("/files/photo/kinds/0/max_bytes", 1000), "/files/photo/kinds/0/max_bytes");
  EXPECT_EQ(path_after("/files/presentation/kinds/1/extensions/0", ".PNG"), "/files/presentation/kinds/1/extensions/0");
  EXPECT_EQ(path_after("/files/document/formatting/margins_cm/left", "3 cm"),
            "/files/document/formatting/margins_cm/left");
  EXPECT_EQ(path_after("/files/document/formatting/alignment", "both"), "/files/document/formatting/alignment");
  EXPECT_EQ(path_after("/registration_form/fields/6/options_from", "teachers"),
            "/registration_form/fields/6/options_from");
  EXPECT_EQ(path_after("/registration_form/fields/2/required", "yes"), "/registration_form/fields/2/required");
  EXPECT_EQ(path_after("/registration_form/fields/3/id", "email"), "/registration_form/fields/5/id");
  EXPECT_EQ(path_after("/practice/fields/13/required_if/year_field", "relevance.problem"),
            "/practice/fields/13/required_if/year_field");
  EXPECT_EQ(path_after("/practice/fields/14/min_items", 4), "/practice/fields/14/max_items");
  EXPECT_EQ(path_after("/practice/fields/5/type", "essay"), "/practice/fields/5/type");
  EXPECT_EQ(path_after("/practice/fields/16/number", 1), "/practice/fields/16/number");
  EXPECT_EQ(path_after("/practice/fields/1/fields/0/requried", true), "/practice/fields/1/fields/0/requried");
  EXPECT_EQ(path_after("/practice/types/1/id", "innovative"), "/practice/types/1/id");
  EXPECT_EQ(path_after("/files/flashmob/kinds", json::array()), "/files/flashmob/kinds");
  EXPECT_EQ(path_after("/surprise", 1), "/surprise");
  EXPECT_EQ(path_without("/stages/0/closes"), "/stages/0/closes");
  EXPECT_EQ(path_without("/id"), "/id");
  EXPECT_EQ(path_without("/fees/currency"), "/fees/currency");
}

TEST(BadAgenda, AttachmentsNameAnUploadPurposeOfATextField) {
  EXPECT_EQ(path_after("/practice/fields/5/attachments", "document"), "OK");
  EXPECT_EQ(path_after("/practice/fields/5/attachments", "scans"), "/practice/fields/5/attachments");
  EXPECT_EQ(path_after("/practice/fields/1/attachments", "document"), "/practice/fields/1/attachments");  // an object
  EXPECT_EQ(path_after("/files/payment/required_at_submission", "yes"), "/files/payment/required_at_submission");
}

// The national contest on the same engine: applications by institutions, no sections, no fee.
TEST(ShippedAgenda, TheContestIsASecondAgendaOfTheSameFormat) {
  Agenda a = load_ok(kSource + "/agenda/contest-2025.json");
  EXPECT_EQ(a.id, "contest-2025");
  EXPECT_EQ(a.utc_offset_minutes, 180);
  EXPECT_TRUE(a.sections.empty());
  EXPECT_FALSE(a.fees);
  ASSERT_TRUE(a.find_stage("intake"));
  EXPECT_EQ(a.find_stage("intake")->opens, *parse_instant("2024-11-01T00:00+03:00"));
  EXPECT_EQ(a.find_stage("intake")->closes, *parse_instant("2025-02-01T00:00+03:00"));  // 31 January inclusive
  ASSERT_TRUE(a.find_files("subscription"));
  EXPECT_TRUE(a.find_files("subscription")->required_at_submission);
  EXPECT_FALSE(a.find_files("attachment")->required_at_submission);
  int numbered = 0;
  for (const auto& f : a.practice->fields) {
    if (f.number) ++numbered;
    if (f.number >= 6 && f.number <= 13) EXPECT_EQ(f.attachments, "attachment") << f.id;
  }
  EXPECT_EQ(numbered, 14);  // the 14 items of the regulations
  const FormField* region = find_field(a.practice->fields, "postal_address.region");
  ASSERT_TRUE(region);
  EXPECT_EQ(region->options.size(), 89u);
  EXPECT_TRUE(a.modules.count("contest"));
}

TEST(BadAgenda, EscapesKeysInJsonPaths) {
  EXPECT_EQ(path_after("/files/a~1b", {{"kinds", json::array()}}), "/files/a~1b");
}

TEST(BadAgenda, AnOptionalPartMayBeLeftOut) {
  EXPECT_EQ(path_without("/practice"), "OK");
  EXPECT_EQ(path_without("/fees"), "/registration_form/fields/8/options_from");
}

TEST(ParseAgenda, SurvivesDeepNestingWithoutRecursing) {
  EXPECT_EQ(path_of(std::string(100000, '[')), "");
  std::string objects;
  for (int i = 0; i < 100000; ++i) objects += "{\"a\":";
  EXPECT_EQ(path_of(objects), "");
  auto r = parse_agenda(std::string(100000, '['), "deep.json");
  EXPECT_NE(std::get<AgendaError>(r).problem.find("nesting"), std::string::npos);
  // Brackets inside strings do not count as nesting.
  json doc = shipped_json();
  doc["stages"][0]["description"] = std::string(1000, '[');
  EXPECT_EQ(path_of(doc.dump()), "OK");
}

TEST(ParseAgenda, SurvivesGarbage) {
  for (const std::string& text : std::vector<std::string>{"", "null", "[]", "{", "}", "\"", "{\"id\":", "\xff\xfe", std::string("{\0}", 3),
                           "{\"format\":1e999}", "{\"format\":18446744073709551615}", "[[[[]]]]]]]]"}) {
    EXPECT_NE(path_of(text), "OK") << text;
  }
  std::mt19937 rng(20200708);
  for (int i = 0; i < 2000; ++i) {
    std::string text(rng() % 200, '\0');
    for (char& c : text) c = static_cast<char>(rng() % 256);
    EXPECT_NE(path_of(text), "OK");
  }
}

TEST(ParseAgenda, SurvivesTruncationAndAWrongTypeAtEveryLeaf) {
  std::ifstream in(kShipped);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (size_t n = 0; n < text.size(); n += 97) EXPECT_NE(path_of(text.substr(0, n)), "OK") << n;

  json doc = shipped_json();
  json flat = doc.flatten();
  const json replacements[] = {nullptr, 7, -1, 1.5, "x", true, json::array(), json::object()};
  // Every third leaf, each with the next replacement in turn: a full cross product takes a minute
  // in a debug build, and the fuzzer covers the rest.
  int tried = 0, rejected = 0;
  for (auto it = flat.begin(); it != flat.end(); ++it, ++tried) {
    if (tried % 3) continue;
    json copy = doc;
    copy[json::json_pointer(it.key())] = replacements[(tried / 3) % std::size(replacements)];
    if (path_of(copy.dump()) != "OK") ++rejected;
  }
  EXPECT_GT(rejected, tried / 6);
}

TEST(LoadAgendas, LoadsEveryAgendaOfTheShippedFolder) {
  auto r = load_agendas(kSource + "/agenda");
  ASSERT_TRUE(std::holds_alternative<std::vector<Agenda>>(r)) << std::get<AgendaError>(r).describe();
  const auto& all = std::get<std::vector<Agenda>>(r);
  ASSERT_GE(all.size(), 1u);
  EXPECT_TRUE(std::any_of(all.begin(), all.end(), [](const Agenda& a) { return a.id == "irkutsk-2020"; }));
}

using test::TempDir;

TEST(LoadAgendas, RefusesTwoFilesWithOneEventId) {
  TempDir dir;
  std::filesystem::copy_file(kShipped, dir.path() / "a.json");
  std::filesystem::copy_file(kShipped, dir.path() / "b.json");
  auto r = load_agendas(dir.path());
  ASSERT_TRUE(std::holds_alternative<AgendaError>(r));
  EXPECT_EQ(std::get<AgendaError>(r).file, (dir.path() / "b.json").string());
  EXPECT_EQ(std::get<AgendaError>(r).json_path, "/id");
}

TEST(LoadAgendas, LoadsSeveralEventsAndNamesTheBadFile) {
  TempDir dir;
  json other = shipped_json();
  other["id"] = "other-event";
  std::ofstream(dir.path() / "other.json") << other.dump();
  std::filesystem::copy_file(kShipped, dir.path() / "irkutsk.json");
  auto r = load_agendas(dir.path());
  ASSERT_TRUE(std::holds_alternative<std::vector<Agenda>>(r)) << std::get<AgendaError>(r).describe();
  EXPECT_EQ(std::get<std::vector<Agenda>>(r).size(), 2u);

  std::filesystem::copy_file(kFixtures + "bad-closes.json", dir.path() / "z.json");
  r = load_agendas(dir.path());
  ASSERT_TRUE(std::holds_alternative<AgendaError>(r));
  EXPECT_EQ(std::get<AgendaError>(r).file, (dir.path() / "z.json").string());
}

TEST(AgendaSchema, NamesTheStageIdsTheLoaderKnows) {
  std::ifstream in(kSource + "/agenda/schema.json");
  json schema = json::parse(in);
  EXPECT_EQ(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
  std::vector<std::string> from_schema = schema["$defs"]["stage"]["properties"]["id"]["enum"];
  EXPECT_EQ(from_schema, std::vector<std::string>(std::begin(kStageIds), std::end(kStageIds)));
}

}  // namespace
}  // namespace praktika::timeline
