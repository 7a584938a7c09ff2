#include <gtest/gtest.h>


#include "support/client.h"
#include "support/scenario.h"
#include "support/server_process.h"

namespace praktika::test {
namespace {

using nlohmann::json;

const std::string kBase = "/api/events/irkutsk-2020";

class Payments : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = run_binary({"admin", "create-user", "--data", data_.path().string(), "--email", "org@umc.ru",
                               "--role", "organiser", "--event", "irkutsk-2020"},
                              "пароль организатора\n");
    ASSERT_EQ(created.status.code, 0) << created.output;
    auto started = ServerProcess::start({.data_dir = data_.path(), .clock = "2020-06-20T10:00:00+08:00"});
    ASSERT_TRUE(started);
    server_ = std::move(*started);
    author_ = std::make_unique<HttpClient>(server_->port());
    author_->post("/api/auth/register", {{"email", "anna@dom.ru"}, {"password", "пароль участника"}, {"full_name", "Анна"}});
    organiser_ = std::make_unique<HttpClient>(server_->port());
    organiser_->post("/api/auth/login", {{"email", "org@umc.ru"}, {"password", "пароль организатора"}});
    practice_ = author_->post(kBase + "/practices", {{"section", 1}, {"type", "pilot"}}).json()["id"].get<int>();
  }

  std::string practice_url() const { return kBase + "/practices/" + std::to_string(practice_); }
  std::string decide_url() const { return kBase + "/intake/practices/" + std::to_string(practice_) + "/payment"; }

  TempDir data_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> author_, organiser_;
  int practice_ = 0;
};

TEST_F(Payments, TheProofIsSentReturnedWithAReasonSentAgainAndConfirmed) {
  EXPECT_EQ(author_->get(practice_url()).json()["payment"]["state"], "awaiting_proof");
  EXPECT_EQ(author_->get(practice_url()).json()["payment"]["amount"], 2000);
  auto sent = author_->post(practice_url() + "/payment", {{"upload", upload_payment_scan(*author_)}});
  ASSERT_EQ(sent.status, 200) << sent.body;
  EXPECT_EQ(sent.json()["payment"]["state"], "proof_sent");

  EXPECT_EQ(organiser_->post(decide_url(), {{"decision", "return"}}).error_code(), "reason_required");
  auto returned = organiser_->post(decide_url(), {{"decision", "return"}, {"reason", "Не видна сумма платежа"}});
  ASSERT_EQ(returned.status, 200) << returned.body;
  auto seen = author_->get(practice_url()).json()["payment"];
  EXPECT_EQ(seen["state"], "returned");
  EXPECT_EQ(seen["reason"], "Не видна сумма платежа");

  ASSERT_EQ(author_->post(practice_url() + "/payment", {{"upload", upload_payment_scan(*author_)}}).status, 200);
  ASSERT_EQ(organiser_->post(decide_url(), {{"decision", "confirm"}}).status, 200);
  EXPECT_EQ(author_->get(practice_url()).json()["payment"]["state"], "confirmed");
  EXPECT_EQ(author_->post(practice_url() + "/payment", {{"upload", upload_payment_scan(*author_)}}).error_code(),
            "payment_confirmed");
  EXPECT_EQ(organiser_->post(decide_url(), {{"decision", "confirm"}}).error_code(), "no_payment_to_decide");
  auto confirmed = organiser_->get(kBase + "/intake/practices?payment=confirmed").json()["practices"];
  EXPECT_EQ(confirmed.size(), 1u);
  EXPECT_EQ(organiser_->get(kBase + "/intake/practices?payment=proof_sent").json()["practices"].size(), 0u);
}

TEST_F(Payments, OnlyTheOwnersOwnCompleteUploadCountsAndOnlyTheOrganiserDecides) {
  HttpClient eve(server_->port());
  eve.post("/api/auth/register", {{"email", "eve@dom.ru"}, {"password", "пароль участника"}, {"full_name", "Ева"}});
  std::string eves = upload_payment_scan(eve);
  EXPECT_EQ(author_->post(practice_url() + "/payment", {{"upload", eves}}).error_code(), "upload_not_found");
  EXPECT_EQ(eve.post(practice_url() + "/payment", {{"upload", eves}}).status, 404);
  auto unfinished = author_->request("POST", kBase + "/uploads?purpose=payment", "",
                                     {{"Tus-Resumable", "1.0.0"}, {"Upload-Length", "5000"}});
  EXPECT_EQ(author_->post(practice_url() + "/payment", {{"upload", unfinished.json()["id"]}}).error_code(),
            "upload_incomplete");
  EXPECT_EQ(author_->post(decide_url(), {{"decision", "confirm"}}).status, 403);
  EXPECT_EQ(organiser_->post(decide_url(), {{"decision", "maybe"}}).error_code(), "invalid_decision");
}

}  // namespace
}  // namespace praktika::test
