// The organiser's lists of issue 3 item 7: practices filtered by their document's clause 6.5
// findings, and every file of the event, as JSON and as CSV/XLSX.
#include <gtest/gtest.h>

#include "support/bytes.h"
#include "support/client.h"
#include "support/docx_builder.h"
#include "support/intake_server.h"
#include "support/scenario.h"
#include "support/server_process.h"

namespace praktika::test {
namespace {

using nlohmann::json;
namespace docx = praktika::documents::testing;

std::vector<int> ids(const HttpResult& r) {
  std::vector<int> out;
  json body = r.json();  // a named value: a range-for over a temporary's member dangles
  for (const auto& p : body["practices"]) out.push_back(p["id"].get<int>());
  return out;
}

class IntakeLists : public IntakeServer {};

TEST_F(IntakeLists, PracticesAreFilteredByTheirDocumentsFindings) {
  int clean = submit_practice(*people_, {.author_email = "anna@dom.ru", .name = "Чистый документ", .paid = false});
  auto bad = docx::Docx::compliant();
  bad.body[docx::kBody] = docx::para("Основной текст другим шрифтом.", "",
                                     "<w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\" w:cs=\"Arial\"/>");
  const auto bad_bytes = bad.bytes();
  std::string bad_upload;
  int arial = submit_practice(*people_,
                              {.author_email = "boris@dom.ru", .name = "Документ с Arial", .paid = false,
                               .document = std::string(bad_bytes.begin(), bad_bytes.end())},
                              &bad_upload);
  // Without its Word description a practice is not submitted: it stays a draft, listed all the same.
  auto& vera = people_->person("vera@dom.ru");
  ASSERT_EQ(vera.request("PUT", kEventApi + "/registration",
                         json{{"answers", registration_answers("vera@dom.ru", "vera@dom.ru", "Центр", 1)}}.dump())
                .status,
            200);
  auto drafted = vera.post(kEventApi + "/practices",
                           {{"section", 1}, {"type", "pilot"}, {"answers", practice_answers("Без документа", "Центр")}});
  ASSERT_EQ(drafted.status, 201) << drafted.body;
  int none = drafted.json()["id"].get<int>();
  ASSERT_TRUE(clean && arial && none);

  auto& org = people_->organiser();
  auto all = org.get(kEventApi + "/intake/practices");
  ASSERT_EQ(all.status, 200) << all.body;
  json listed = all.json();
  for (const auto& p : listed["practices"]) {
    if (p["id"] == arial) {
      EXPECT_EQ(p["document"]["upload"], bad_upload);
      EXPECT_EQ(p["document"]["ok"], false);
      EXPECT_EQ(p["document"]["rules"], json::array({"font"})) << p["document"];
    }
    if (p["id"] == none) EXPECT_TRUE(p["document"].is_null());
  }
  EXPECT_EQ(ids(org.get(kEventApi + "/intake/practices?document=ok")), std::vector<int>{clean});
  EXPECT_EQ(ids(org.get(kEventApi + "/intake/practices?document=findings")), std::vector<int>{arial});
  EXPECT_EQ(ids(org.get(kEventApi + "/intake/practices?document=missing")), std::vector<int>{none});
  EXPECT_EQ(org.get(kEventApi + "/intake/practices?document=maybe").error_code(), "invalid_filter");
  auto csv = org.get(kEventApi + "/intake/practices?document=findings&format=csv");
  EXPECT_NE(csv.body.find("\"Документ с Arial\""), std::string::npos) << csv.body;
  EXPECT_EQ(csv.body.find("\"Чистый документ\""), std::string::npos);
}

TEST_F(IntakeLists, EveryFileOfTheEventIsListedWithItsOwnerAndPractice) {
  std::string document;
  int practice = submit_practice(*people_, {.author_email = "anna@dom.ru", .name = "Семейная гостиная"}, &document);
  ASSERT_NE(practice, 0);

  auto& org = people_->organiser();
  auto all = org.get(kEventApi + "/intake/files");
  ASSERT_EQ(all.status, 200) << all.body;
  // The document and the payment scan submit_practice sent.
  ASSERT_EQ(all.json()["files"].size(), 2u) << all.body;
  auto documents = org.get(kEventApi + "/intake/files?purpose=document").json()["files"];
  ASSERT_EQ(documents.size(), 1u);
  EXPECT_EQ(documents[0]["id"], document);
  EXPECT_EQ(documents[0]["file_name"], "practice.docx");
  EXPECT_EQ(documents[0]["state"], "complete");
  EXPECT_EQ(documents[0]["owner"]["email"], "anna@dom.ru");
  EXPECT_EQ(documents[0]["practice"], practice);
  EXPECT_EQ(documents[0]["practice_title"], "Семейная гостиная");
  EXPECT_TRUE(org.get(kEventApi + "/intake/files?state=rejected").json()["files"].empty());
  EXPECT_EQ(org.get(kEventApi + "/intake/files?practice=" + std::to_string(practice)).json()["files"].size(), 1u);

  auto xlsx = org.get(kEventApi + "/intake/files?format=xlsx");
  EXPECT_EQ(xlsx.status, 200);
  EXPECT_EQ(xlsx.body.substr(0, 2), "PK");
  auto csv = org.get(kEventApi + "/intake/files?purpose=document&format=csv");
  EXPECT_NE(csv.body.find("\"practice.docx\";\"Описание практики\";\"получен\""), std::string::npos) << csv.body;
  EXPECT_EQ(csv.body.find("\"document\""), std::string::npos) << "a purpose id in the table";
  EXPECT_NE(csv.body.find(".2020 "), std::string::npos) << "no date as «дд.мм.гггг чч:мм»: " << csv.body;
  EXPECT_EQ(people_->person("anna@dom.ru").get(kEventApi + "/intake/files").status, 403);
}

}  // namespace
}  // namespace praktika::test
