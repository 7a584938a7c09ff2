// The payment contract: a PDF read back with poppler, for the caller's submitted practices, with
// the organiser's requisites from the agenda (refused while they are placeholders) and the payer's
// from the registration form.
#include <gtest/gtest.h>
#include <poppler-document.h>
#include <poppler-page.h>

#include "support/client.h"
#include "support/intake_server.h"
#include "support/scenario.h"
#include "support/server_process.h"

namespace praktika::test {
namespace {

using nlohmann::json;

// Every page's text, with line breaks and spaces removed (the typesetter breaks lines where the
// width asks, so a phrase may be split anywhere).
std::string pdf_text(const std::string& bytes) {
  std::vector<char> data(bytes.begin(), bytes.end());
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_data(&data));
  if (!doc) return {};
  std::string out;
  for (int i = 0; i < doc->pages(); ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    auto utf8 = page->text().to_utf8();
    out.append(utf8.begin(), utf8.end());
  }
  std::erase_if(out, [](char c) { return c == ' ' || c == '\n' || c == '\r'; });
  return out;
}

std::string squeezed(std::string s) {
  std::erase_if(s, [](char c) { return c == ' '; });
  return s;
}

// The agenda with the organiser's real requisites: the contract is issued.
// `author`'s practice «Вторая жизнь» with its Word description, submitted; its id, or 0 (with a
// failure recorded).
int submitted_practice(HttpClient& author) {
  auto created = author.post(kEventApi + "/practices",
                             {{"section", 1}, {"type", "pilot"}, {"answers", practice_answers("Вторая жизнь", "Центр")}});
  EXPECT_EQ(created.status, 201) << created.body;
  if (created.status != 201) return 0;
  const int id = created.json()["id"].get<int>();
  attach_document(author, id);
  auto submitted = author.post(kEventApi + "/practices/" + std::to_string(id) + "/submit", json::object());
  EXPECT_EQ(submitted.status, 200) << submitted.body;
  return submitted.status == 200 ? id : 0;
}

class Contract : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(create_organiser(data_.path()));
    auto started = ServerProcess::start(
        {.data_dir = data_.path(), .clock = kDuringIntake, .agendas = {agenda_with_requisites(fixture_.path()).string()}});
    ASSERT_TRUE(started);
    server_ = std::move(*started);
    people_ = std::make_unique<People>(server_->port());
  }

  TempDir fixture_;
  TempDir data_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<People> people_;
};

// The shipped agenda, whose requisites are still the template's placeholders.
class ContractWithPlaceholders : public IntakeServer {};

TEST_F(ContractWithPlaceholders, IsRefusedUntilTheOrganiserGivesTheRequisites) {
  ASSERT_NE(submit_practice(*people_, {.author_email = "anna@dom.ru", .paid = false}), 0);
  auto& anna = people_->person("anna@dom.ru");
  for (const char* form : {"legal_entity", "individual"}) {
    auto r = anna.get(kEventApi + "/contract?payment_form=" + form);
    EXPECT_EQ(r.status, 409) << r.body;
    EXPECT_EQ(r.error_code(), "contract_not_ready");
    EXPECT_EQ(r.json()["error"]["message"], "Договор будет доступен, когда организатор укажет реквизиты.");
    EXPECT_EQ(r.body.rfind("%PDF-", 0), std::string::npos);
  }
}

TEST_F(ContractWithPlaceholders, StartUpNamesWhatIsToFillAndThePublicSeesNoPlaceholder) {
  const std::string& said = server_->startup_output();
  EXPECT_NE(said.find("warning"), std::string::npos) << said;
  EXPECT_NE(said.find("/fees/contract"), std::string::npos) << said;
  EXPECT_NE(said.find("Реквизиты организатора для договора об оплате"), std::string::npos) << said;
  EXPECT_NE(said.find("/sections/0/contact"), std::string::npos) << said;

  // The organiser's desk reads the same list.
  auto desk = people_->organiser().get(kEventApi + "/placeholders");
  ASSERT_EQ(desk.status, 200) << desk.body;
  json list = desk.json()["placeholders"];
  ASSERT_EQ(list.size(), 5u) << list;  // four section contacts and the requisites
  EXPECT_EQ(list.back()["path"], "/fees/contract");
  EXPECT_EQ(list.back()["fields"][1], "ИНН");
  EXPECT_EQ(people_->person("anna@dom.ru").get(kEventApi + "/placeholders").status, 403);

  // The public agenda carries neither the fake requisites nor the fake phones; the real contact stays.
  HttpClient anonymous(server_->port());
  auto event = anonymous.get(kEventApi);
  ASSERT_EQ(event.status, 200);
  EXPECT_EQ(event.body.find("0000000000"), std::string::npos);
  EXPECT_EQ(event.body.find("(заполнить)"), std::string::npos);
  EXPECT_EQ(event.body.find("8 (000) 000-00-01"), std::string::npos);
  EXPECT_EQ(event.json()["fees"]["contract"], json({{"placeholder", true}}));
  EXPECT_EQ(event.json()["organisers"][1]["contact"]["email"], "attestovan38@mail.ru");
}

TEST_F(Contract, ListsTheSubmittedPracticesWithTheTotalInFiguresAndWords) {
  ASSERT_NE(submit_practice(*people_, {.author_email = "anna@dom.ru", .institution = "ОГБУСО «Центр помощи детям»",
                                       .name = "Семейная гостиная", .paid = false}),
            0);
  ASSERT_NE(submit_practice(*people_, {.author_email = "anna@dom.ru", .institution = "ОГБУСО «Центр помощи детям»",
                                       .section = 2, .name = "Школа приёмных родителей", .paid = true}),
            0);
  auto& anna = people_->person("anna@dom.ru");
  // A draft is not paid for.
  ASSERT_EQ(anna.post(kEventApi + "/practices", {{"section", 3}, {"type", "pilot"},
                                                 {"answers", {{"name", "Черновик без отправки"}}}})
                .status,
            201);

  auto r = anna.get(kEventApi + "/contract?payment_form=legal_entity");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["content-type"], "application/pdf");
  ASSERT_EQ(r.body.rfind("%PDF-", 0), 0u);
  std::string text = pdf_text(r.body);
  ASSERT_FALSE(text.empty());
  EXPECT_NE(text.find(squeezed("«Семейная гостиная»")), std::string::npos) << text;
  EXPECT_NE(text.find(squeezed("«Школа приёмных родителей»")), std::string::npos) << text;
  EXPECT_EQ(text.find(squeezed("Черновик без отправки")), std::string::npos) << text;
  EXPECT_NE(text.find(squeezed("2 × 2000 = 4000 руб.")), std::string::npos) << text;
  EXPECT_NE(text.find(squeezed("(четыре тысячи рублей)")), std::string::npos) << text;
  // The count agrees with its noun, and no clause the regulations lack (payment follows the contract, 7.3).
  EXPECT_NE(text.find(squeezed("Плательщик представил 2 практики (перечень ниже)")), std::string::npos) << text;
  EXPECT_EQ(text.find(squeezed("практ.")), std::string::npos) << text;
  EXPECT_EQ(text.find(squeezed("с момента оплаты")), std::string::npos) << text;
  // The payer of a legal entity is the institution; the requisites and purpose come from the agenda.
  EXPECT_NE(text.find(squeezed("и ОГБУСО «Центр помощи детям», именуемое")), std::string::npos) << text;
  EXPECT_NE(text.find(squeezed("Организационный взнос за участие в интернет-конференции")), std::string::npos);
  EXPECT_NE(text.find(squeezed("БИК042520001")), std::string::npos) << text;
  EXPECT_NE(text.find(squeezed("ИНН" + kOrganiserInn)), std::string::npos) << text;
  EXPECT_EQ(text.find(squeezed("(заполнить)")), std::string::npos) << text;
  // The payer's requisites from the registration, which asked for them as a legal entity.
  EXPECT_NE(text.find(squeezed("ИНН" + kPayerInn)), std::string::npos) << text;
  EXPECT_NE(text.find(squeezed("КПП380801001")), std::string::npos) << text;
  EXPECT_NE(text.find(squeezed("Адрес664003, г. Иркутск, ул. Ленина, д. 1")), std::string::npos) << text;

  // Without payment_form the registration's choice (legal_entity) is used.
  EXPECT_EQ(anna.get(kEventApi + "/contract").status, 200);
}

TEST_F(Contract, APersonPaysWithTheirNameAndAddressAndNoCompanyRequisites) {
  auto& vera = people_->person("vera@dom.ru", "Вера");
  auto answers = registration_answers("Вера", "vera@dom.ru", "Центр", 1);
  answers["payment_form"] = "individual";
  answers["payer_person"] = "Смирнова Вера Павловна";
  answers["payer_address"] = "664007, г. Иркутск, ул. Карла Маркса, д. 5, кв. 3";
  // Left from a first choice of a legal entity: not asked of a person, so not kept.
  answers["payer_inn"] = "123";
  auto saved = vera.request("PUT", kEventApi + "/registration", json{{"answers", answers}}.dump());
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_FALSE(saved.json()["registration"]["answers"].contains("payer_inn")) << saved.body;
  ASSERT_NE(submitted_practice(vera), 0);

  auto r = vera.get(kEventApi + "/contract?payment_form=individual");
  ASSERT_EQ(r.status, 200) << r.body;
  std::string text = pdf_text(r.body);
  EXPECT_NE(text.find(squeezed("и Смирнова Вера Павловна, именуемый")), std::string::npos) << text;
  EXPECT_NE(text.find(squeezed("ФИОСмирнова Вера Павловна")), std::string::npos) << text;
  EXPECT_NE(text.find(squeezed("Адрес664007, г. Иркутск, ул. Карла Маркса, д. 5, кв. 3")), std::string::npos) << text;
  EXPECT_EQ(text.find(squeezed("КПП380801001")), std::string::npos) << text;
}

TEST_F(Contract, ExplainsWhyThereIsNoContract) {
  HttpClient anonymous(server_->port());
  EXPECT_EQ(anonymous.get(kEventApi + "/contract?payment_form=individual").status, 401);

  auto& boris = people_->person("boris@dom.ru", "Борис");
  auto none = boris.get(kEventApi + "/contract?payment_form=individual");
  EXPECT_EQ(none.status, 409);
  EXPECT_EQ(none.error_code(), "not_registered");

  auto reg = boris.request("PUT", kEventApi + "/registration",
                           json{{"answers", registration_answers("Борис", "boris@dom.ru", "Центр", 1)}}.dump());
  ASSERT_EQ(reg.status, 200) << reg.body;
  EXPECT_EQ(boris.get(kEventApi + "/contract?payment_form=individual").error_code(), "no_practices");
  auto unknown = boris.get(kEventApi + "/contract?payment_form=cash");
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(unknown.error_code(), "unknown_payment_form");
  EXPECT_NE(unknown.json()["error"]["message"].get<std::string>().find("Юридическое лицо"), std::string::npos);

  // A practice of someone else with Boris as co-author is not his to pay.
  int shared = submit_practice(*people_, {.author_email = "anna@dom.ru", .paid = false});
  ASSERT_NE(shared, 0);
  auto& anna = people_->person("anna@dom.ru");
  ASSERT_EQ(anna.request("PATCH", kEventApi + "/practices/" + std::to_string(shared),
                         json{{"co_authors", {"boris@dom.ru"}}}.dump())
                .status,
            200);
  ASSERT_EQ(boris.get(kEventApi + "/practices/mine").json()["practices"].size(), 1u);
  EXPECT_EQ(boris.get(kEventApi + "/contract?payment_form=individual").error_code(), "no_practices");
}

TEST_F(Contract, ALegalEntityContractNeedsTheOrganisationsNameInTheRegistration) {
  auto& vera = people_->person("vera@dom.ru", "Вера");
  auto answers = registration_answers("Вера", "vera@dom.ru", "Центр", 1);
  answers["payment_form"] = "individual";
  answers["payer_person"] = "Смирнова Вера Павловна";
  answers["payer_address"] = "664007, г. Иркутск, ул. Карла Маркса, д. 5, кв. 3";
  ASSERT_EQ(vera.request("PUT", kEventApi + "/registration", json{{"answers", answers}}.dump()).status, 200);
  ASSERT_NE(submitted_practice(vera), 0);
  auto r = vera.get(kEventApi + "/contract?payment_form=legal_entity");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.error_code(), "payer_missing");
  // The field is named by its label in the registration form, never by its id.
  const std::string message = r.json()["error"]["message"];
  EXPECT_NE(message.find("заполните поле «Полное наименование юридического лица (плательщика)»"), std::string::npos)
      << message;
  EXPECT_EQ(message.find("payer_organisation"), std::string::npos) << message;
  EXPECT_EQ(vera.get(kEventApi + "/contract?payment_form=individual").status, 200);
}

}  // namespace
}  // namespace praktika::test
