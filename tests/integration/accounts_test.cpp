#include <gtest/gtest.h>

#include "support/client.h"
#include "support/redis_server.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace praktika::test {
namespace {

class Accounts : public ::testing::Test {
 protected:
  void SetUp() override {
    auto started = ServerProcess::start({.data_dir = data_.path()});
    ASSERT_TRUE(started) << started.status().message();
    server_ = std::move(*started);
  }
  int port() const { return server_->port(); }

  TempDir data_;
  std::unique_ptr<ServerProcess> server_;
};

const nlohmann::json kAnna = {{"email", "anna@dom.ru"}, {"password", "длинный пароль"}, {"full_name", "Анна Петрова"}};
const nlohmann::json kBoris = {{"email", "boris@dom.ru"}, {"password", "другой пароль"}, {"full_name", "Борис Ёлкин"}};

TEST_F(Accounts, RegisterLogsInAndMeAnswersWithTheCookie) {
  HttpClient http(port());
  auto reg = http.post("/api/auth/register", kAnna);
  ASSERT_EQ(reg.status, 201) << reg.body;
  EXPECT_NE(reg.headers["set-cookie"].find("HttpOnly"), std::string::npos);
  EXPECT_NE(reg.headers["set-cookie"].find("SameSite=Lax"), std::string::npos);
  auto me = http.get("/api/me");
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(me.json()["user"]["full_name"], "Анна Петрова");
  EXPECT_FALSE(me.json()["user"].contains("password_hash"));
}

TEST_F(Accounts, WithoutACookieMeIsUnauthorised) {
  HttpClient http(port());
  auto me = http.get("/api/me");
  EXPECT_EQ(me.status, 401);
  EXPECT_EQ(me.error_code(), "not_authenticated");
  EXPECT_FALSE(me.json()["error"]["message"].get<std::string>().empty());
}

TEST_F(Accounts, AWrongPasswordAndAnUnknownEmailGetTheSameAnswer) {
  HttpClient http(port());
  ASSERT_EQ(http.post("/api/auth/register", kAnna).status, 201);
  HttpClient other(port());
  auto wrong = other.post("/api/auth/login", {{"email", "anna@dom.ru"}, {"password", "не тот пароль"}});
  auto unknown = other.post("/api/auth/login", {{"email", "nobody@dom.ru"}, {"password", "не тот пароль"}});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.error_code(), "invalid_credentials");
  EXPECT_EQ(unknown.body, wrong.body);
  EXPECT_EQ(other.get("/api/me").status, 401);
}

TEST_F(Accounts, LogoutEndsTheSession) {
  HttpClient http(port());
  ASSERT_EQ(http.post("/api/auth/register", kAnna).status, 201);
  std::string cookie = http.cookie_header();
  ASSERT_EQ(http.post("/api/auth/logout", nlohmann::json::object()).status, 200);
  HttpClient replay(port());
  auto me = replay.request("GET", "/api/me", "", {{"Cookie", cookie}});
  EXPECT_EQ(me.status, 401);
}

TEST_F(Accounts, BadRegistrationsAreRefusedFieldByField) {
  HttpClient http(port());
  EXPECT_EQ(http.post("/api/auth/register", {{"email", "not-an-email"}, {"password", "12345678"}, {"full_name", "A"}})
                .error_code(),
            "invalid_email");
  EXPECT_EQ(http.post("/api/auth/register", {{"email", "a@b.ru"}, {"password", "1234"}, {"full_name", "A"}}).error_code(),
            "weak_password");
  EXPECT_EQ(http.post("/api/auth/register", {{"email", "a@b.ru"}, {"password", "12345678"}}).status, 422);
  EXPECT_EQ(http.request("POST", "/api/auth/register", "{\"email\":").error_code(), "invalid_json");
  EXPECT_EQ(http.request("POST", "/api/auth/register", std::string(100, '[')).error_code(), "invalid_json");
  ASSERT_EQ(http.post("/api/auth/register", kAnna).status, 201);
  HttpClient again(port());
  auto dup = again.post("/api/auth/register", {{"email", "ANNA@dom.ru"}, {"password", "12345678"}, {"full_name", "B"}});
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(dup.error_code(), "email_taken");
}

TEST_F(Accounts, RepeatedFailedLoginsAreSlowedDown) {
  HttpClient http(port());
  ASSERT_EQ(http.post("/api/auth/register", kAnna).status, 201);
  HttpClient attacker(port());
  int throttled = 0;
  std::string retry_after;
  for (int i = 0; i < 8; ++i) {
    auto r = attacker.post("/api/auth/login", {{"email", "anna@dom.ru"}, {"password", "guess" + std::to_string(i)}});
    if (r.status == 429) {
      ++throttled;
      retry_after = r.headers["retry-after"];
      EXPECT_EQ(r.error_code(), "too_many_attempts");
    }
  }
  EXPECT_GE(throttled, 1);
  EXPECT_FALSE(retry_after.empty());
  // Even the right password waits until the lock passes.
  auto right = attacker.post("/api/auth/login", {{"email", "anna@dom.ru"}, {"password", "длинный пароль"}});
  EXPECT_EQ(right.status, 429);
}

// One person guessing at one account from a shared address (a NAT, a proxy) locks that account
// at that address, not the colleagues behind it: their typos and the guesser's failures together
// pass the old per-address limit of 20 and still lock nobody else.
TEST_F(Accounts, FailuresForOthersFromOneAddressDoNotLockOutARightPassword) {
  HttpClient http(port());
  ASSERT_EQ(http.post("/api/auth/register", kAnna).status, 201);
  ASSERT_EQ(http.post("/api/auth/register", kBoris).status, 201);
  HttpClient guesser(port());
  int throttled = 0;
  for (int i = 0; i < 25; ++i) {
    auto r = guesser.post("/api/auth/login", {{"email", "anna@dom.ru"}, {"password", "guess" + std::to_string(i)}});
    if (r.status == 429) ++throttled;
  }
  EXPECT_GE(throttled, 15);
  for (int i = 0; i < 16; ++i) {
    auto r = guesser.post("/api/auth/login",
                          {{"email", "colleague" + std::to_string(i % 4) + "@dom.ru"}, {"password", "typo"}});
    EXPECT_EQ(r.status, 401) << i;
  }
  HttpClient boris(port());
  auto right = boris.post("/api/auth/login", {{"email", "boris@dom.ru"}, {"password", kBoris["password"]}});
  EXPECT_EQ(right.status, 200) << right.body;
  auto anna = boris.post("/api/auth/login", {{"email", "anna@dom.ru"}, {"password", kAnna["password"]}});
  EXPECT_EQ(anna.status, 429);
  EXPECT_EQ(anna.error_code(), "too_many_attempts");
}

TEST_F(Accounts, ForwardedForFromAnUntrustedPeerIsIgnored) {
  HttpClient http(port());
  ASSERT_EQ(http.post("/api/auth/register", kAnna).status, 201);
  for (int i = 0; i < 5; ++i)
    http.post("/api/auth/login", {{"email", "anna@dom.ru"}, {"password", "guess"}}, {{"X-Forwarded-For", "198.51.100.1"}});
  // Another made-up address does not escape the lock: the peer (127.0.0.1) is the client.
  auto r = http.post("/api/auth/login", {{"email", "anna@dom.ru"}, {"password", kAnna["password"]}},
                     {{"X-Forwarded-For", "198.51.100.2"}});
  EXPECT_EQ(r.status, 429);
}

TEST_F(Accounts, ForwardedForFromATrustedProxyNamesTheClient) {
  server_->stop();
  auto started = ServerProcess::start({.data_dir = data_.path(), .extra_args = {"--trusted-proxy", "127.0.0.1"}});
  ASSERT_TRUE(started) << started.status().message();
  server_ = std::move(*started);
  HttpClient http(port());
  ASSERT_EQ(http.post("/api/auth/register", kAnna).status, 201);
  const std::map<std::string, std::string> guesser = {{"X-Forwarded-For", "198.51.100.1"}};
  for (int i = 0; i < 5; ++i) http.post("/api/auth/login", {{"email", "anna@dom.ru"}, {"password", "guess"}}, guesser);
  auto locked = http.post("/api/auth/login", {{"email", "anna@dom.ru"}, {"password", kAnna["password"]}}, guesser);
  EXPECT_EQ(locked.status, 429);
  // Anna herself, at her own address behind the same proxy, is not locked out by the guesser.
  auto own = http.post("/api/auth/login", {{"email", "anna@dom.ru"}, {"password", kAnna["password"]}},
                       {{"X-Forwarded-For", "6.6.6.6, 198.51.100.2"}});
  EXPECT_EQ(own.status, 200) << own.body;
}

TEST_F(Accounts, ANameIsStoredWithoutControlAndBidiCharacters) {
  HttpClient http(port());
  nlohmann::json body = kAnna;
  body["full_name"] = "\xE2\x80\xAE" "Анна" + std::string(1, '\0') + " \xE2\x80\xAEПетрова\xE2\x80\xAC\r\n";
  auto reg = http.post("/api/auth/register", body);
  ASSERT_EQ(reg.status, 201) << reg.body;
  EXPECT_EQ(reg.json()["user"]["full_name"], "Анна Петрова");
  EXPECT_EQ(http.get("/api/me").json()["user"]["full_name"], "Анна Петрова");
}

TEST_F(Accounts, AStateChangingRequestFromAnotherOriginIsRefused) {
  HttpClient http(port());
  auto r = http.post("/api/auth/register", kAnna, {{"Origin", "https://evil.example"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.error_code(), "bad_origin");
  auto same = http.post("/api/auth/register", kAnna, {{"Origin", "http://127.0.0.1:" + std::to_string(port())}});
  EXPECT_EQ(same.status, 201);
}

TEST_F(Accounts, SessionsAndUsersSurviveARestart) {
  HttpClient http(port());
  ASSERT_EQ(http.post("/api/auth/register", kAnna).status, 201);
  std::string cookie = http.cookie_header();
  server_->stop();
  auto again = ServerProcess::start({.data_dir = data_.path()});
  ASSERT_TRUE(again);
  HttpClient after((*again)->port());
  EXPECT_EQ(after.request("GET", "/api/me", "", {{"Cookie", cookie}}).status, 200);
  EXPECT_EQ(after.post("/api/auth/login", {{"email", "anna@dom.ru"}, {"password", "длинный пароль"}}).status, 200);
}

TEST_F(Accounts, OnlyTheOrganiserGrantsRoles) {
  auto created = run_binary({"admin", "create-user", "--data", data_.path().string(), "--email", "org@umc.ru",
                             "--role", "organiser", "--event", "irkutsk-2020"},
                            "organiser password\n");
  ASSERT_EQ(created.status.code, 0) << created.output;
  HttpClient anna(port());
  ASSERT_EQ(anna.post("/api/auth/register", kAnna).status, 201);
  auto self_grant = anna.post("/api/events/irkutsk-2020/roles", {{"email", "anna@dom.ru"}, {"role", "expert"}, {"section", 1}});
  EXPECT_EQ(self_grant.status, 403);
  HttpClient org(port());
  ASSERT_EQ(org.post("/api/auth/login", {{"email", "org@umc.ru"}, {"password", "organiser password"}}).status, 200);
  auto grant = org.post("/api/events/irkutsk-2020/roles", {{"email", "anna@dom.ru"}, {"role", "expert"}, {"section", 1}});
  EXPECT_EQ(grant.status, 201) << grant.body;
  EXPECT_EQ(org.post("/api/events/irkutsk-2020/roles", {{"email", "anna@dom.ru"}, {"role", "boss"}}).error_code(),
            "invalid_role");
  EXPECT_EQ(org.post("/api/events/other/roles", {{"email", "anna@dom.ru"}, {"role", "expert"}}).status, 404);
  EXPECT_EQ(org.post("/api/events/irkutsk-2020/roles", {{"email", "anna@dom.ru"}, {"role", "expert"}, {"section", 9}})
                .error_code(),
            "invalid_section");
  auto me = anna.get("/api/me").json();
  ASSERT_EQ(me["roles"].size(), 1u);
  EXPECT_EQ(me["roles"][0]["role"], "expert");
  EXPECT_EQ(me["roles"][0]["section"], 1);
  auto list = org.get("/api/events/irkutsk-2020/roles").json();
  EXPECT_EQ(list["roles"].size(), 2u);
}

TEST(AccountsCluster, FailedLoginsCountOnceForTwoServersSharingRedis) {
  auto redis = RedisServer::start();
  ASSERT_TRUE(redis);
  TempDir data;
  auto one = ServerProcess::start({.data_dir = data.path(), .redis = (*redis)->url()});
  auto two = ServerProcess::start({.data_dir = data.path(), .redis = (*redis)->url()});
  ASSERT_TRUE(one && two);
  ASSERT_EQ(HttpClient((*one)->port()).post("/api/auth/register", kAnna).status, 201);
  // Five wrong guesses, shared between the two servers: neither alone has seen five.
  HttpClient a((*one)->port()), b((*two)->port());
  for (int i = 0; i < 5; ++i) {
    auto r = (i % 2 ? b : a).post("/api/auth/login", {{"email", "anna@dom.ru"}, {"password", "guess" + std::to_string(i)}});
    ASSERT_EQ(r.status, 401) << i;
  }
  auto next = b.post("/api/auth/login", {{"email", "anna@dom.ru"}, {"password", "guess"}});
  EXPECT_EQ(next.status, 429);
  EXPECT_EQ(next.error_code(), "too_many_attempts");
}

}  // namespace
}  // namespace praktika::test
