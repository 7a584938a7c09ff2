#include "contest/contest.h"

#include <gtest/gtest.h>

#include <fstream>

#include "timeline/russian_date.h"

namespace praktika::contest {
namespace {

using nlohmann::json;

const std::string kAgenda = std::string(PRAKTIKA_SOURCE_DIR) + "/agenda/contest-2025.json";

json shipped() {
  std::ifstream in(kAgenda);
  return json::parse(in);
}

// The settings of the agenda with `value` at `pointer` (the agenda's own file name, so the past
// results file is found beside it); the JSON path of the problem, or "OK".
std::string path_after(const std::string& pointer, const json& value) {
  json doc = shipped();
  doc[json::json_pointer(pointer)] = value;
  auto parsed = timeline::parse_agenda(doc.dump(), kAgenda);
  if (auto* e = std::get_if<timeline::AgendaError>(&parsed)) return "agenda: " + e->json_path;
  auto settings = read_settings(std::get<timeline::Agenda>(parsed));
  if (auto* e = std::get_if<timeline::AgendaError>(&settings)) return e->json_path.empty() ? e->file : e->json_path;
  return "OK";
}

TEST(ContestSettings, TheShippedAgendaReadsWithItsPastResults) {
  auto parsed = timeline::load_agenda(kAgenda);
  ASSERT_TRUE(std::holds_alternative<timeline::Agenda>(parsed));
  auto read = read_settings(std::get<timeline::Agenda>(parsed));
  ASSERT_TRUE(std::holds_alternative<Settings>(read)) << std::get<timeline::AgendaError>(read).describe();
  const Settings& s = std::get<Settings>(read);
  ASSERT_TRUE(s.eligibility && s.laureates);
  EXPECT_EQ(s.eligibility->past.size(), 5u);
  EXPECT_EQ(s.eligibility->past[2].institution_key, "кгбу со краевой центр социальной помощи семья");
  ASSERT_EQ(s.eligibility->rules.size(), 2u);
  EXPECT_FALSE(s.eligibility->rules[0].may_apply_from);  // 2022: without limits
  EXPECT_EQ(s.eligibility->rules[1].may_apply_from, 2026);
  EXPECT_EQ(s.laureates->outcomes, std::vector<std::string>{"laureate"});
  EXPECT_EQ(s.laureates->public_from, *parse_instant("2025-02-01T18:00+03:00"));
  ASSERT_TRUE(s.post);
  EXPECT_EQ(s.post->deadline, *parse_instant("2025-03-01T00:00+03:00"));
  EXPECT_EQ(s.post->warn_days_before, 7);
  EXPECT_EQ(s.post->documents.at("laureate"), "Именной диплом лауреата");
  EXPECT_EQ(s.post->documents.at("participant"), "Сертификат участника");
  EXPECT_EQ(s.post->address_fields, (std::vector<std::string>{"postal_address.address", "postal_address.region"}));
}

TEST(ContestSettings, PostDeadlineIsWrittenAsTheRegulationsSayIt) {
  EXPECT_EQ(timeline::deadline_text(*parse_instant("2025-03-01T00:00+03:00"), 180), "до 1 марта 2025 г.");
  // The same instant read in another zone is another day and hour.
  EXPECT_EQ(timeline::deadline_text(*parse_instant("2025-03-01T00:00+03:00"), 0), "до 28 февраля 2025 г. 21:00");
  EXPECT_EQ(timeline::russian_date(*parse_instant("2020-08-08T13:00+08:00"), 480), "8 августа 2020 г. 13:00");
}

TEST(ContestSettings, MistakesNameTheirPath) {
  EXPECT_EQ(path_after("/contest/laureates/outcomes/0", "present"), "/contest/laureates/outcomes/0");
  EXPECT_EQ(path_after("/contest/laureates/public_from", "someday"), "/contest/laureates/public_from");
  EXPECT_EQ(path_after("/contest/laureates/fields/1", "head"), "/contest/laureates/fields/1");
  EXPECT_EQ(path_after("/contest/eligibility/institution_field", "title"), "/contest/eligibility/institution_field");
  EXPECT_EQ(path_after("/contest/eligibility/rules/1/may_apply_from", "2026"),
            "/contest/eligibility/rules/1/may_apply_from");
  EXPECT_EQ(path_after("/contest/eligibility/surprise", 1), "/contest/eligibility/surprise");
  // A past results file that is not there is named.
  std::string missing = path_after("/contest/eligibility/past_results", "contest-2025/none.json");
  EXPECT_NE(missing.find("none.json"), std::string::npos) << missing;
  EXPECT_EQ(path_after("/contest/laureates/export_fields/0", "email"), "OK");
  EXPECT_EQ(path_after("/contest/post/deadline", "diplomas_someday"), "/contest/post/deadline");
  EXPECT_EQ(path_after("/contest/post/documents/winner", "Диплом"), "/contest/post/documents/winner");
  EXPECT_EQ(path_after("/contest/post/documents/laureate", ""), "/contest/post/documents/laureate");
  EXPECT_EQ(path_after("/contest/post/documents", json::object()), "/contest/post/documents");
  EXPECT_EQ(path_after("/contest/post/address_fields/0", "postal_address.street"), "/contest/post/address_fields/0");
  EXPECT_EQ(path_after("/contest/post/head_field", "head"), "/contest/post/head_field");
}

}  // namespace
}  // namespace praktika::contest
