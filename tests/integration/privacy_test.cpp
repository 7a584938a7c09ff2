// Personal data on request (152-ФЗ) against the real server: the archive holds what the person
// entered and the files they sent, byte for byte; after the withdrawal of consent neither the
// database file nor its write-ahead log nor the organiser's exports hold their name, e-mail or
// phone, and the old password opens nothing.
#include <gtest/gtest.h>
#include <zip.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/bytes.h"
#include "support/client.h"
#include "support/docx_builder.h"
#include "support/intake_server.h"
#include "support/media_fixtures.h"
#include "support/pdf_upload.h"
#include "support/scenario.h"
#include "support/server_process.h"

namespace praktika::test {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;
namespace files = praktika::media::testing;

const std::string kName = "Иванова Мария Петровна";
const std::string kEmail = "maria.ivanova@dom.ru";
const std::string kMobile = "+7 902 111-22-33";
const std::string kWorkPhone = "(3952) 77-66-55";
const std::string kAddress = "664011, г. Иркутск, ул. Сурикова, д. 7";

std::string read_bytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every entry of a ZIP held in memory, by name.
std::map<std::string, std::string> unzip(const std::string& bytes) {
  std::map<std::string, std::string> out;
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (!src) return out;
  zip_t* zip = zip_open_from_source(src, ZIP_RDONLY, &error);
  if (!zip) {
    zip_source_free(src);
    return out;
  }
  for (zip_int64_t i = 0; i < zip_get_num_entries(zip, 0); ++i) {
    zip_stat_t st;
    if (zip_stat_index(zip, i, 0, &st) != 0) continue;
    zip_file_t* f = zip_fopen_index(zip, i, 0);
    if (!f) continue;
    std::string data(st.size, '\0');
    zip_fread(f, data.data(), st.size);
    zip_fclose(f);
    out[st.name] = std::move(data);
  }
  zip_close(zip);
  return out;
}

std::string upload(HttpClient& http, const std::string& purpose, const std::string& bytes, const std::string& name,
                   int practice) {
  std::string metadata = "filename " + base64(name);
  if (practice) metadata += ",practice " + base64(std::to_string(practice));
  auto created = send_by_tus(http, kEventApi + "/uploads?purpose=" + purpose, bytes, metadata);
  return created.json()["id"];
}

class Privacy : public IntakeServer {
 protected:
  void SetUp() override {
    IntakeServer::SetUp();
    if (HasFatalFailure()) return;
    auto& maria = people_->person(kEmail, kName);

    json answers = registration_answers(kName, kEmail, "ОГБУСО «Центр помощи детям»", 1);
    answers["work_phone"] = kWorkPhone;
    answers["mobile_phone"] = kMobile;
    answers["payer_address"] = kAddress;
    auto reg = maria.request("PUT", kEventApi + "/registration", json{{"answers", answers}}.dump());
    ASSERT_EQ(reg.status, 200) << reg.body;

    json description = practice_answers("Семейная гостиная", "ОГБУСО «Центр помощи детям»");
    description["organisation"]["contact_person"] = kName;
    description["organisation"]["email"] = kEmail;
    auto created = maria.post(kEventApi + "/practices", {{"section", 1}, {"type", "pilot"}, {"answers", description}});
    ASSERT_EQ(created.status, 201) << created.body;
    practice_ = created.json()["id"].get<int>();
    auto docx = praktika::documents::testing::Docx::compliant().bytes();
    document_bytes_.assign(docx.begin(), docx.end());
    document_ = attach_document(maria, practice_, document_bytes_, "Описание практики.docx");
    ASSERT_EQ(maria.post(kEventApi + "/practices/" + std::to_string(practice_) + "/submit", json::object()).status, 200);

    files::write_pdf(work_.path() / "scan.pdf", 1);
    scan_bytes_ = read_bytes(work_.path() / "scan.pdf");
    scan_ = upload(maria, "payment", scan_bytes_, "Платёжное поручение.pdf", 0);
    auto paid = maria.post(kEventApi + "/practices/" + std::to_string(practice_) + "/payment", {{"upload", scan_}});
    ASSERT_EQ(paid.status, 200) << paid.body;

    // Another author names her as a co-author.
    auto& boris = people_->person("boris@dom.ru", "Борис Сидоров");
    auto other = boris.post(kEventApi + "/practices", {{"section", 2}, {"type", "pilot"}});
    ASSERT_EQ(other.status, 201) << other.body;
    auto named = boris.request("PATCH", kEventApi + "/practices/" + std::to_string(other.json()["id"].get<int>()),
                               json{{"co_authors", {kEmail}}}.dump());
    ASSERT_EQ(named.status, 200) << named.body;
  }

  HttpClient& maria() { return people_->person(kEmail, kName); }

  // Every place a trace could hide, with the name of the place.
  std::vector<std::pair<std::string, std::string>> places() {
    std::vector<std::pair<std::string, std::string>> out;
    auto& org = people_->organiser();
    for (const std::string list : {"participants", "practices", "files"}) {
      for (const std::string format : {"csv", "xlsx", "json"}) {
        auto r = org.get(kEventApi + "/intake/" + list + (format == "json" ? "" : "?format=" + format));
        EXPECT_EQ(r.status, 200) << list << " " << format << ": " << r.body;
        if (format == "xlsx") {
          for (auto& [entry, bytes] : unzip(r.body)) out.emplace_back(list + ".xlsx:" + entry, bytes);
        } else {
          out.emplace_back(list + "." + format, r.body);
        }
      }
    }
    const fs::path db = data_.path() / "praktika.sqlite3";
    if (fs::exists(db)) {  // on PostgreSQL (scripts/test_postgresql.sh) there is no file to read
      out.emplace_back("praktika.sqlite3", read_bytes(db));
      fs::path wal = db;
      wal += "-wal";
      out.emplace_back("praktika.sqlite3-wal", fs::exists(wal) ? read_bytes(wal) : std::string());
    }
    return out;
  }

  files::TempDir work_;
  int practice_ = 0;
  std::string document_, document_bytes_, scan_, scan_bytes_;
};

TEST_F(Privacy, TheArchiveHoldsWhatWasEnteredAndTheFilesSent) {
  auto r = maria().get(kEventApi + "/personal-data");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["content-type"], "application/zip");
  EXPECT_NE(r.headers["content-disposition"].find("attachment"), std::string::npos);
  auto entries = unzip(r.body);
  ASSERT_TRUE(entries.count("data.json")) << r.body.size();
  ASSERT_TRUE(entries.count("summary.txt"));
  json data = json::parse(entries["data.json"]);
  const json& records = data["records"];

  EXPECT_EQ(records["account"][0]["full_name"], kName);
  EXPECT_EQ(records["account"][0]["email"], kEmail);
  EXPECT_FALSE(records["account"][0].contains("password_hash"));
  ASSERT_EQ(records["registrations"].size(), 1u);
  EXPECT_EQ(records["registrations"][0]["answers"]["mobile_phone"], kMobile);
  EXPECT_EQ(records["registrations"][0]["answers"]["work_phone"], kWorkPhone);
  EXPECT_EQ(records["registrations"][0]["answers"]["payer_address"], kAddress);
  EXPECT_TRUE(records["registrations"][0]["consents"].contains("consent_personal_data"));
  ASSERT_EQ(records["practices"].size(), 1u);
  EXPECT_EQ(records["practices"][0]["id"], practice_);
  EXPECT_EQ(records["practices"][0]["state"], "submitted");
  EXPECT_EQ(records["practices"][0]["answers"]["name"], "Семейная гостиная");
  EXPECT_EQ(records["practices"][0]["answers"]["organisation"]["contact_person"], kName);
  ASSERT_EQ(records["payments"].size(), 1u);
  EXPECT_EQ(records["payments"][0]["upload"], scan_);
  ASSERT_EQ(records["coauthorships"].size(), 1u);
  EXPECT_EQ(records["coauthorships"][0]["event"], kEventId);
  ASSERT_EQ(records["uploads"].size(), 2u);

  // The files, byte for byte as sent.
  ASSERT_TRUE(entries.count("files/" + document_ + "-Описание практики.docx"));
  EXPECT_TRUE(entries["files/" + document_ + "-Описание практики.docx"] == document_bytes_) << "the document differs";
  ASSERT_TRUE(entries.count("files/" + scan_ + "-Платёжное поручение.pdf"));
  EXPECT_TRUE(entries["files/" + scan_ + "-Платёжное поручение.pdf"] == scan_bytes_) << "the scan differs";

  // The readable summary says the same, under the agenda's headings.
  const std::string& summary = entries["summary.txt"];
  for (const std::string& text : {kName, kEmail, kMobile, std::string("Учётная запись"), std::string("Регистрационные заявки")})
    EXPECT_NE(summary.find(text), std::string::npos) << text;

  // The download is in the organiser's log, under the person's id alone.
  auto log = people_->organiser().get(kEventApi + "/personal-data/requests");
  ASSERT_EQ(log.status, 200) << log.body;
  ASSERT_EQ(log.json()["requests"].size(), 1u);
  EXPECT_EQ(log.json()["requests"][0]["kind"], "export");
  EXPECT_EQ(log.json()["requests"][0]["user"], records["account"][0]["id"]);
  EXPECT_EQ(maria().get(kEventApi + "/personal-data/requests").status, 403);
}

TEST_F(Privacy, AfterWithdrawalNoTraceIsLeftAndTheOldPasswordOpensNothing) {
  // Before: the traces are there, so the search below can find them.
  bool seen = false;
  for (const auto& [where, bytes] : places()) seen |= bytes.find(kEmail) != std::string::npos;
  ASSERT_TRUE(seen) << "the exports should name the person before the withdrawal";

  EXPECT_EQ(maria().post(kEventApi + "/personal-data/withdrawal", json::object()).error_code(), "confirmation_required");
  EXPECT_EQ(people_->organiser().post(kEventApi + "/personal-data/withdrawal", {{"confirm", true}}).error_code(),
            "organiser_cannot_withdraw");
  auto withdrawn = maria().post(kEventApi + "/personal-data/withdrawal", {{"confirm", true}});
  ASSERT_EQ(withdrawn.status, 200) << withdrawn.body;

  // The session is over, and the old e-mail with the old password opens nothing.
  EXPECT_EQ(maria().get("/api/me").status, 401);
  HttpClient again(server_->port());
  EXPECT_EQ(again.post("/api/auth/login", {{"email", kEmail}, {"password", kPassword}}).error_code(),
            "invalid_credentials");

  for (const auto& [where, bytes] : places())
    for (const std::string& trace : {kName, kEmail, kMobile, kWorkPhone, kAddress, std::string("maria.ivanova")})
      EXPECT_EQ(bytes.find(trace), std::string::npos) << "«" << trace << "» is still in " << where;

  // What others decided stays: the practice, its payment and its co-author.
  auto practices = people_->organiser().get(kEventApi + "/intake/practices");
  ASSERT_EQ(practices.status, 200);
  const json listed = practices.json();
  bool kept = false;
  for (const auto& p : listed["practices"])
    if (p["id"] == practice_) {
      kept = true;
      EXPECT_EQ(p["state"], "submitted");
      EXPECT_EQ(p["owner"]["full_name"], "Участник удалил свои данные");
      EXPECT_EQ(p["answers"]["organisation"]["contact_person"], "Участник удалил свои данные");
      EXPECT_EQ(p["payment"]["state"], "proof_sent");
      EXPECT_EQ(p["answers"]["organisation"]["name"], "ОГБУСО «Центр помощи детям»");
      EXPECT_EQ(p["answers"]["organisation"]["email"], "withdrawn-" + std::to_string(p["owner"]["id"].get<int>()) + "@praktika.invalid");
      EXPECT_EQ(p["missing"], json::array()) << "the description stays complete";
    }
  EXPECT_TRUE(kept) << practices.body.substr(0, 3000);

  auto log = people_->organiser().get(kEventApi + "/personal-data/requests");
  ASSERT_EQ(log.status, 200);
  ASSERT_EQ(log.json()["requests"].size(), 1u);
  EXPECT_EQ(log.json()["requests"][0]["kind"], "withdrawal");
}

}  // namespace
}  // namespace praktika::test
