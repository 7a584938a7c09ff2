#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/scenario.h"
#include "support/server_process.h"
#include "support/test_store.h"

namespace praktika::test {
namespace {

using nlohmann::json;

std::string admin(const std::vector<std::string>& args, int expected_code) {
  auto run = run_binary(args);
  EXPECT_EQ(run.status.code, expected_code) << run.output;
  return run.output;
}

// A backup taken while the server runs brings back accounts, practices and stored files into an
// empty data directory; the old content of a directory that is restored over is kept aside.
TEST(Backup, TakenWhileServingRestoresAccountsPracticesAndFiles) {
  PRAKTIKA_SKIP_ON_POSTGRESQL("admin backup/restore copy the SQLite file; PostgreSQL is pg_dump's (the commands say so)");
  TempDir data, elsewhere, copies;
  ASSERT_TRUE(create_organiser(data.path()));
  int practice = 0;
  std::string scan_url, scan_bytes;
  {
    auto server = ServerProcess::start({.data_dir = data.path(), .clock = kDuringIntake});
    ASSERT_TRUE(server);
    People people((*server)->port());
    practice = submit_practice(people, {.author_email = "anna@dom.ru"});
    ASSERT_GT(practice, 0);
    auto view = people.person("anna@dom.ru").get(kEventApi + "/practices/" + std::to_string(practice)).json();
    std::string upload = view["payment"]["upload"];
    scan_url = "/api/uploads/" + upload + "/file";
    scan_bytes = people.person("anna@dom.ru").get(scan_url).body;
    ASSERT_GT(scan_bytes.size(), 100u);

    auto out = admin({"admin", "backup", "--data", data.path().string(), "--to", (copies / "one").string()}, 0);
    EXPECT_NE(out.find("2 files"), std::string::npos) << out;  // the Word description and the payment scan
    // The server holds the directory: a restore over it is refused and changes nothing.
    admin({"admin", "restore", "--from", (copies / "one").string(), "--data", data.path().string()}, 1);
    EXPECT_EQ(people.person("anna@dom.ru").get(scan_url).status, 200);
  }

  admin({"admin", "restore", "--from", (copies / "one").string(), "--data", elsewhere.path().string()}, 0);
  auto server = ServerProcess::start({.data_dir = elsewhere.path(), .clock = kDuringIntake});
  ASSERT_TRUE(server);
  People people((*server)->port());
  auto view = people.person("anna@dom.ru").get(kEventApi + "/practices/" + std::to_string(practice));
  ASSERT_EQ(view.status, 200) << view.body;
  EXPECT_EQ(view.json()["state"], "submitted");
  EXPECT_EQ(view.json()["payment"]["state"], "confirmed");
  EXPECT_EQ(people.person("anna@dom.ru").get(scan_url).body, scan_bytes);
  EXPECT_EQ(people.organiser().get(kEventApi + "/roles").status, 200);
}

TEST(Backup, ADamagedBackupIsRefusedAndTheDataStaysAsItWas) {
  PRAKTIKA_SKIP_ON_POSTGRESQL("admin backup/restore copy the SQLite file; PostgreSQL is pg_dump's (the commands say so)");
  TempDir data, copies;
  ASSERT_TRUE(create_organiser(data.path()));
  admin({"admin", "backup", "--data", data.path().string(), "--to", (copies / "good").string()}, 0);
  // Into a non-empty folder: refused rather than mixed with what is there.
  admin({"admin", "backup", "--data", data.path().string(), "--to", (copies / "good").string()}, 2);

  std::filesystem::create_directories(copies / "bad");
  std::ofstream(copies / "bad" / "praktika.sqlite3") << std::string(8192, 'x');
  auto out = admin({"admin", "restore", "--from", (copies / "bad").string(), "--data", data.path().string()}, 1);
  EXPECT_NE(out.find("praktika:"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(data.path() / "before-restore-1"));

  auto server = ServerProcess::start({.data_dir = data.path(), .clock = kDuringIntake});
  ASSERT_TRUE(server);
  People people((*server)->port());
  EXPECT_EQ(people.organiser().get(kEventApi + "/roles").status, 200);
}

// Several servers may share one data directory (with Redis between them); a restore waits for all.
TEST(Backup, ARestoreIsRefusedWhileAnyServerOnTheDirectoryRuns) {
  PRAKTIKA_SKIP_ON_POSTGRESQL("admin backup/restore copy the SQLite file; PostgreSQL is pg_dump's (the commands say so)");
  TempDir data, copies;
  admin({"admin", "backup", "--data", data.path().string(), "--to", (copies / "b").string()}, 2);  // no database yet
  auto first = ServerProcess::start({.data_dir = data.path()});
  ASSERT_TRUE(first);
  admin({"admin", "backup", "--data", data.path().string(), "--to", (copies / "b").string()}, 0);
  auto second = ServerProcess::start({.data_dir = data.path()});
  ASSERT_TRUE(second);
  (*first)->stop();
  auto out = admin({"admin", "restore", "--from", (copies / "b").string(), "--data", data.path().string()}, 1);
  EXPECT_NE(out.find("data_dir_busy"), std::string::npos) << out;
  (*second)->stop();
  admin({"admin", "restore", "--from", (copies / "b").string(), "--data", data.path().string()}, 0);
}

}  // namespace
}  // namespace praktika::test
