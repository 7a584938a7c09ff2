// Faults survived by the real binary: SIGKILL in the middle of a stream of acknowledged writes, an
// SMTP server that is down for a while, a disk that fills up (imitated by a file-size limit, and
// for real on a small tmpfs). Each test checks that nothing
// acknowledged is lost and the database passes PRAGMA integrity_check. (An upload cut by SIGKILL
// resuming is in uploads_test, Redis going away and coming back in presence_test.)
#include <gtest/gtest.h>

#include <sqlite3.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "support/bytes.h"
#include "support/docx_builder.h"
#include "support/scenario.h"
#include "support/server_process.h"
#include "support/smtp_server.h"
#include "support/test_store.h"

namespace praktika::test {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const std::string kPractices = kEventApi + "/practices";

std::unique_ptr<ServerProcess> start_server(const ServerOptions& options) {
  auto started = ServerProcess::start(options);
  EXPECT_TRUE(started) << started.status().message();
  return started ? std::move(*started) : nullptr;
}

// Opens the server's database file read-only beside the server (WAL allows it) and runs one query
// whose rows are single text or integer columns.
std::vector<std::string> query(const fs::path& data_dir, const std::string& sql) {
  std::vector<std::string> rows;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2((data_dir / "praktika.sqlite3").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    ADD_FAILURE() << "cannot open the database";
    return rows;
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      rows.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
    }
  } else {
    ADD_FAILURE() << sqlite3_errmsg(db);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return rows;
}

std::string integrity(const fs::path& data_dir) {
  auto rows = query(data_dir, "PRAGMA integrity_check");
  return rows.empty() ? "no answer" : rows.front();
}

std::map<std::string, std::string> tus_patch_headers(std::uint64_t offset) {
  return {{"Tus-Resumable", "1.0.0"},
          {"Content-Type", "application/offset+octet-stream"},
          {"Upload-Offset", std::to_string(offset)}};
}

HttpClient& sign_up(std::map<std::string, std::unique_ptr<HttpClient>>& clients, int port, const std::string& email) {
  auto& http = clients[email];
  http = std::make_unique<HttpClient>(port);
  auto r = http->post("/api/auth/register", {{"email", email}, {"password", kPassword}, {"full_name", email}});
  EXPECT_EQ(r.status, 201) << r.body;
  return *http;
}

// Two writers (one creating practices, one saving a draft over and over) run against the server
// until it is killed with SIGKILL in the middle of their stream. After a restart every write the
// server had acknowledged is there, and the database file is intact.
TEST(Faults, EveryAcknowledgedWriteSurvivesASigkillInTheMiddleOfAStream) {
  PRAKTIKA_SKIP_ON_POSTGRESQL("reads the rows back from the SQLite file itself");
  TempDir data;
  auto server = start_server({.data_dir = data.path(), .clock = kDuringIntake});
  ASSERT_TRUE(server);
  std::map<std::string, std::unique_ptr<HttpClient>> clients;
  HttpClient& anna = sign_up(clients, server->port(), "anna@dom.ru");
  HttpClient& boris = sign_up(clients, server->port(), "boris@dom.ru");
  auto draft = boris.post(kPractices, {{"section", 1}, {"type", "pilot"}, {"answers", {{"name", "Версия 0"}}}});
  ASSERT_EQ(draft.status, 201) << draft.body;
  const std::string draft_url = kPractices + "/" + std::to_string(draft.json()["id"].get<int>());

  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::set<int> created;  // acknowledged (201) practice ids
  int saved = 0;          // the last acknowledged (200) version of the draft
  int refused = 0;        // answers other than success or "no answer" (there must be none)
  std::thread creator([&] {
    for (int k = 1; !stop; ++k) {
      auto r = anna.post(kPractices, {{"section", 1 + k % 3}, {"type", "pilot"},
                                      {"answers", {{"name", "Практика " + std::to_string(k)}}}});
      std::lock_guard lock(mutex);
      if (r.status == 201) created.insert(r.json()["id"].get<int>());
      else if (r.status != 0) ++refused;
    }
  });
  std::thread saver([&] {
    for (int k = 1; !stop; ++k) {
      auto r = boris.request("PATCH", draft_url,
                             json{{"answers", {{"name", "Версия " + std::to_string(k)},
                                               {"content", std::string(2000, 'a' + k % 26)}}}}.dump());
      std::lock_guard lock(mutex);
      if (r.status == 200) saved = k;
      else if (r.status != 0) ++refused;
    }
  });
  // Let both streams run, then kill the server while they are still writing.
  for (int i = 0; i < 200; ++i) {
    {
      std::lock_guard lock(mutex);
      if (created.size() >= 30 && saved >= 30) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  server->kill();
  stop = true;
  creator.join();
  saver.join();
  ASSERT_GE(created.size(), 5u);
  ASSERT_GE(saved, 5);
  EXPECT_EQ(refused, 0);

  server = start_server({.data_dir = data.path(), .clock = kDuringIntake});
  ASSERT_TRUE(server);
  HttpClient anna_again(server->port());
  ASSERT_EQ(anna_again.post("/api/auth/login", {{"email", "anna@dom.ru"}, {"password", kPassword}}).status, 200);
  std::set<int> listed;
  json mine = anna_again.get(kPractices + "/mine").json();
  for (const auto& p : mine["practices"]) listed.insert(p["id"].get<int>());
  for (int id : created) EXPECT_TRUE(listed.count(id)) << "acknowledged practice " << id << " is lost";
  // The draft holds the last acknowledged version, or the one in flight when the server died.
  HttpClient boris_again(server->port());
  ASSERT_EQ(boris_again.post("/api/auth/login", {{"email", "boris@dom.ru"}, {"password", kPassword}}).status, 200);
  auto name = boris_again.get(draft_url).json()["answers"]["name"];
  ASSERT_TRUE(name.is_string()) << boris_again.get(draft_url).body;
  int version = std::stoi(name.get<std::string>().substr(std::string("Версия ").size()));
  EXPECT_GE(version, saved);
  EXPECT_LE(version, saved + 1);
  EXPECT_EQ(integrity(data.path()), "ok");
  RecordProperty("acknowledged_writes", static_cast<int>(created.size()) + saved);
  std::printf("faults: %zu practices and %d saves acknowledged before SIGKILL; none lost\n", created.size(), saved);
}

// Three letters are queued while the SMTP server is down; the outbox retries on its backoff (the
// event clock runs 60 times faster, so 30 s of backoff pass in half a second), and once the SMTP
// server is back each letter arrives exactly once, also after a restart of our server.
TEST(Faults, LettersQueuedWhileSmtpIsDownArriveOnceWhenItIsBack) {
  TempDir data, mail_dir;
  std::string output;
  ASSERT_TRUE(create_organiser(data.path(), &output)) << output;
  auto smtp = SmtpServer::start(mail_dir.path());
  ASSERT_TRUE(smtp) << smtp.status().message();
  auto server = start_server({.data_dir = data.path(), .clock = kDuringIntake});
  ASSERT_TRUE(server);
  People people(server->port());
  std::vector<int> practices;
  const std::vector<std::string> institutions = {"ОГБУСО «Центр помощи детям»", "МБУ «Семья»", "ГАУ «Забота»"};
  for (std::size_t i = 0; i < institutions.size(); ++i)
    practices.push_back(submit_practice(people, {.author_email = "author" + std::to_string(i) + "@dom.ru",
                                                 .institution = institutions[i]}));
  for (int id : practices) ASSERT_GT(id, 0);

  (*smtp)->stop();  // down from here on
  server->stop();
  server = start_server({.data_dir = data.path(), .clock = kDuringReview, .clock_speed = 60,
                         .extra_args = {"--smtp", (*smtp)->url()}});
  ASSERT_TRUE(server);
  people.reconnect(server->port());
  for (int id : practices)
    ASSERT_EQ(people.organiser()
                  .request("PUT", kEventApi + "/review/practices/" + std::to_string(id) + "/outcome",
                           json{{"outcome", "gallery"}}.dump())
                  .status,
              200);
  auto queued = people.organiser().post(kEventApi + "/review/notifications", json::object());
  ASSERT_EQ(queued.status, 200) << queued.body;
  ASSERT_EQ(queued.json()["queued"], 3);

  // Failed attempts are recorded while the server is down; nothing is given up on.
  int attempts = 0;
  for (int i = 0; i < 100 && attempts < 6; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    attempts = 0;
    json outbox = people.organiser().get(kEventApi + "/review/mail").json();
    for (const auto& m : outbox["messages"])
      attempts += m.value("attempts", 0);
  }
  EXPECT_GE(attempts, 6) << "each letter tried at least twice while SMTP was down";
  // Instants on the wire carry the event's offset (Irkutsk, +08:00), as every other instant does.
  const json letters = people.organiser().get(kEventApi + "/review/mail").json();  // kept: not a temporary's member
  for (const auto& m : letters["messages"]) EXPECT_TRUE(m["created_at"].get<std::string>().ends_with("+08:00")) << m;
  auto health = HttpClient(server->port()).get("/api/health").json();
  EXPECT_EQ(health["mail"]["pending"], 3);
  EXPECT_EQ(health["mail"]["failed"], 0);

  ASSERT_TRUE((*smtp)->restart());
  auto arrived = (*smtp)->wait_for(3, std::chrono::seconds(30));
  ASSERT_EQ(arrived.size(), 3u);
  // A restart of our server sends nothing again; give a retry round the time to (wrongly) happen.
  server->stop();
  server = start_server({.data_dir = data.path(), .clock = kDuringReview, .clock_speed = 60,
                         .extra_args = {"--smtp", (*smtp)->url()}});
  ASSERT_TRUE(server);
  std::this_thread::sleep_for(std::chrono::seconds(2));
  auto all = (*smtp)->messages();
  EXPECT_EQ(all.size(), 3u);
  // Exactly once: three letters, three Message-IDs (a letter may address several people, and one
  // person, such as a copy to the organiser, may be in several letters).
  std::set<std::string> ids;
  for (const auto& m : all) {
    ids.insert(m.message_id);
    EXPECT_EQ(std::set<std::string>(m.rcpt_to.begin(), m.rcpt_to.end()).size(), m.rcpt_to.size());
  }
  EXPECT_EQ(ids.size(), 3u) << "a letter arrived twice";
  health = HttpClient(server->port()).get("/api/health").json();
  EXPECT_EQ(health["mail"]["sent"], 3);
  EXPECT_EQ(health["mail"]["pending"], 0);
  std::printf("faults: SMTP down for %d failed attempts; 3 letters delivered once each afterwards\n", attempts);
}

// A full disk without root: the server runs with RLIMIT_FSIZE (SIGXFSZ ignored), so any file it
// would grow past the limit fails with EFBIG, as on a full disk. Draft saves then answer 503
// storage_full and an upload stops at what fitted; reads go on, nothing acknowledged is lost, the
// database stays intact, and after "space is freed" (a restart without the limit) the upload
// resumes from the bytes on disk and the saves succeed.
TEST(Faults, AFullDiskIsAnsweredWithStorageFullAndLosesNothing) {
  PRAKTIKA_SKIP_ON_POSTGRESQL("the database's own disk filling up (SQLITE_FULL, the reserve beside the file)");
  TempDir data;
  auto server = start_server({.data_dir = data.path(), .clock = kDuringIntake});
  ASSERT_TRUE(server);
  std::map<std::string, std::unique_ptr<HttpClient>> clients;
  sign_up(clients, server->port(), "anna@dom.ru");
  server->stop();  // a clean stop folds the WAL into the database file
  const auto db_bytes = fs::file_size(data.path() / "praktika.sqlite3");
  const std::uint64_t limit = db_bytes + (512u << 10);

  server = start_server({.data_dir = data.path(), .clock = kDuringIntake, .max_file_bytes = limit});
  ASSERT_TRUE(server);
  HttpClient anna(server->port());
  ASSERT_EQ(anna.post("/api/auth/login", {{"email", "anna@dom.ru"}, {"password", kPassword}}).status, 200);
  auto draft = anna.post(kPractices, {{"section", 1}, {"type", "pilot"}, {"answers", {{"name", "Версия 0"}}}});
  ASSERT_EQ(draft.status, 201) << draft.body;
  const std::string draft_url = kPractices + "/" + std::to_string(draft.json()["id"].get<int>());

  // An upload larger than the limit, created while there is room for its row.
  const std::string scan = documents::testing::jpeg(limit + (300u << 10));
  auto created = anna.request("POST", kEventApi + "/uploads?purpose=payment", "",
                              {{"Tus-Resumable", "1.0.0"},
                               {"Upload-Length", std::to_string(scan.size())},
                               {"Upload-Metadata", "filename " + base64("scan.jpg")}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string location = created.headers["location"];

  // Saves of ~20 KB each fill the write-ahead log up to the limit.
  int saved = 0;
  HttpResult full;
  for (int k = 1; k <= 200; ++k) {
    auto r = anna.request("PATCH", draft_url,
                          json{{"answers", {{"name", "Версия " + std::to_string(k)},
                                            {"content", std::string(20000, 'a' + k % 26)}}}}.dump());
    if (r.status == 200) {
      saved = k;
      continue;
    }
    full = r;
    break;
  }
  ASSERT_GT(saved, 0);
  ASSERT_NE(full.status, 0) << "the server must answer, not die";
  EXPECT_EQ(full.status, 503) << full.body;
  EXPECT_EQ(full.error_code(), "storage_full") << full.body;
  // Reads go on, and what was saved is what is read.
  EXPECT_EQ(HttpClient(server->port()).get("/api/health").status, 200);
  EXPECT_EQ(anna.get(draft_url).json()["answers"]["name"], "Версия " + std::to_string(saved));

  // The upload's body stops at what fitted, with the same clear answer.
  auto patch = anna.request("PATCH", location, scan, tus_patch_headers(0));
  EXPECT_EQ(patch.status, 503) << patch.body;
  EXPECT_EQ(patch.error_code(), "storage_full") << patch.body;
  auto head = anna.request("HEAD", location, "", {{"Tus-Resumable", "1.0.0"}});
  ASSERT_EQ(head.status, 200);
  const std::uint64_t offset = std::stoull(head.headers["upload-offset"]);
  EXPECT_LE(offset, limit);
  EXPECT_LT(offset, scan.size());
  server->stop();
  EXPECT_EQ(integrity(data.path()), "ok");

  // Space is back: the upload resumes from the bytes on disk and the saves go on.
  server = start_server({.data_dir = data.path(), .clock = kDuringIntake});
  ASSERT_TRUE(server);
  HttpClient again(server->port());
  ASSERT_EQ(again.post("/api/auth/login", {{"email", "anna@dom.ru"}, {"password", kPassword}}).status, 200);
  EXPECT_EQ(again.get(draft_url).json()["answers"]["name"], "Версия " + std::to_string(saved));
  auto rest = again.request("PATCH", location, scan.substr(offset), tus_patch_headers(offset));
  ASSERT_EQ(rest.status, 204) << rest.body;
  auto info = again.get(location).json();
  EXPECT_EQ(info["state"], "complete");
  EXPECT_EQ(read_file(data.path() / "files" / info["id"].get<std::string>()), scan) << "the stored file is corrupt";
  EXPECT_EQ(again.request("PATCH", draft_url, json{{"answers", {{"name", "После"}}}}.dump()).status, 200);
  server->stop();
  EXPECT_EQ(integrity(data.path()), "ok");
  std::printf("faults: full disk after %d saves (limit %llu bytes); upload stopped at %llu of %zu bytes and resumed\n",
              saved, static_cast<unsigned long long>(limit), static_cast<unsigned long long>(offset), scan.size());
}

// A tmpfs of a few megabytes mounted for one test: a disk that really fills up, whose free space
// statvfs reports truly. Mounting needs root (the CI runs the tests as root); `unavailable` says
// why when it cannot be had, for GTEST_SKIP.
class SmallDisk {
 public:
  explicit SmallDisk(std::uint64_t bytes) : path_(dir_.path() / "disk") {
    fs::create_directories(path_);
    if (::geteuid() != 0) {
      unavailable_ = "mounting a tmpfs needs root";
      return;
    }
    const std::string size = "size=" + std::to_string(bytes);
    if (::mount("tmpfs", path_.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, size.c_str()) != 0) {
      unavailable_ = std::string("mount -t tmpfs failed: ") + std::strerror(errno);
      return;
    }
    mounted_ = true;
  }
  ~SmallDisk() {
    if (mounted_) ::umount2(path_.c_str(), MNT_DETACH);
  }
  const std::string& unavailable() const { return unavailable_; }
  fs::path data() const { return path_ / "data"; }
  std::uint64_t free_bytes() const {
    struct statvfs s {};
    return ::statvfs(path_.c_str(), &s) == 0 ? static_cast<std::uint64_t>(s.f_bavail) * s.f_frsize : 0;
  }
  // Takes all but `keep` of the free space with a file that is not the server's.
  void leave_free(std::uint64_t keep) {
    std::uint64_t take = free_bytes() > keep ? free_bytes() - keep : 0;
    std::ofstream(path_ / "filler", std::ios::binary) << std::string(take, 'f');
  }
  void remove_filler() { fs::remove(path_ / "filler"); }

 private:
  TempDir dir_;  // outlives the mount
  fs::path path_;
  bool mounted_ = false;
  std::string unavailable_;
};

// The server's storage settings, in a config file beside (not on) the small disk.
fs::path storage_config(const TempDir& dir, std::uint64_t reserve, std::uint64_t margin) {
  fs::path file = dir.path() / "storage.json";
  std::ofstream(file) << json{{"storage", {{"reserve_bytes", reserve}, {"upload_free_space_margin_bytes", margin}}}};
  return file;
}

HttpResult create_scan_upload(HttpClient& who, std::uint64_t length, const std::string& name) {
  return who.request("POST", kEventApi + "/uploads?purpose=payment", "",
                     {{"Tus-Resumable", "1.0.0"},
                      {"Upload-Length", std::to_string(length)},
                      {"Upload-Metadata", "filename " + base64(name)}});
}

std::uint64_t upload_offset(HttpClient& who, const std::string& location) {
  auto head = who.request("HEAD", location, "", {{"Tus-Resumable", "1.0.0"}});
  return head.status == 200 ? std::stoull(head.headers["upload-offset"]) : 0;
}

// How one participant fills the disk although every upload must fit when it starts: a large scan
// is admitted and sent up to 1 MB short of its end; a small one, admitted since it still fits, is
// sent whole; then the large one's last megabyte runs out of room. `cut` is the large upload (left
// receiving, its offset where the disk filled), `whole` the small one (complete). Needs a margin
// under 512 KB.
struct FilledDisk {
  std::string cut;
  std::uint64_t cut_offset = 0;
  std::string whole;
  std::string whole_bytes;
};

FilledDisk fill_disk_with_uploads(int port, HttpClient& anna, SmallDisk& disk, std::uint64_t margin) {
  FilledDisk filled;
  const std::uint64_t large = disk.free_bytes() - margin - (256u << 10), small = 768u << 10;
  const std::uint64_t first_part = large - (1u << 20);
  const std::string large_bytes = documents::testing::jpeg(large);
  filled.whole_bytes = documents::testing::jpeg(small);
  auto a = create_scan_upload(anna, large, "a.jpg");
  auto b = create_scan_upload(anna, small, "b.jpg");
  EXPECT_EQ(a.status, 201) << a.body;
  EXPECT_EQ(b.status, 201) << b.body;
  filled.cut = a.headers["location"];
  filled.whole = b.headers["location"];

  auto headers = tus_patch_headers(0);
  headers["Cookie"] = anna.cookie_header();
  HeldRequest held(port, "PATCH", filled.cut, large, headers);
  EXPECT_TRUE(held.send(large_bytes.substr(0, first_part)));
  for (int i = 0; i < 1000 && upload_offset(anna, filled.cut) < first_part; ++i) std::this_thread::sleep_for(10ms);
  auto whole = anna.request("PATCH", filled.whole, filled.whole_bytes, tus_patch_headers(0));
  EXPECT_EQ(whole.status, 204) << whole.body;
  held.send(large_bytes.substr(first_part));
  auto cut = held.answer();
  EXPECT_EQ(cut.status, 503) << cut.body;
  EXPECT_EQ(cut.error_code(), "storage_full") << cut.body;
  filled.cut_offset = upload_offset(anna, filled.cut);
  EXPECT_LT(filled.cut_offset, large);
  return filled;
}

// A disk filled by one participant's uploads is freed through the API: the space set aside at
// start-up is given back when the disk fills, so people can still sign in and register; deleting
// the upload frees its bytes (and the reserve is taken again); an upload that does not fit is
// refused before a byte is sent, at creation and at PATCH; nothing stored before is lost.
TEST(Faults, ADiskFilledByUploadsIsFreedThroughTheApiWhileSignInKeepsWorking) {
  PRAKTIKA_SKIP_ON_POSTGRESQL("the database's own disk filling up (SQLITE_FULL, the reserve beside the file)");
  TempDir config_dir;
  SmallDisk disk(6u << 20);
  if (!disk.unavailable().empty()) GTEST_SKIP() << disk.unavailable();
  const std::uint64_t reserve = 512u << 10, margin = 256u << 10;
  const fs::path config = storage_config(config_dir, reserve, margin);
  auto server = start_server({.data_dir = disk.data(), .clock = kDuringIntake, .extra_args = {"--config", config.string()}});
  ASSERT_TRUE(server);
  const fs::path reserve_file = disk.data() / "praktika.reserve";
  ASSERT_EQ(fs::exists(reserve_file) ? fs::file_size(reserve_file) : 0, reserve) << "no reserve set aside";
  std::map<std::string, std::unique_ptr<HttpClient>> clients;
  HttpClient& anna = sign_up(clients, server->port(), "anna@dom.ru");
  auto draft = anna.post(kPractices, {{"section", 1}, {"type", "pilot"}, {"answers", {{"name", "Черновик"}}}});
  ASSERT_EQ(draft.status, 201) << draft.body;
  const std::string receipt = documents::testing::jpeg(100u << 10);
  auto stored = create_scan_upload(anna, receipt.size(), "receipt.jpg");
  ASSERT_EQ(stored.status, 201) << stored.body;
  ASSERT_EQ(anna.request("PATCH", stored.headers["location"], receipt, tus_patch_headers(0)).status, 204);

  FilledDisk filled = fill_disk_with_uploads(server->port(), anna, disk, margin);
  ASSERT_FALSE(HasFailure());
  EXPECT_FALSE(fs::exists(reserve_file)) << "the reserve must be given back when the disk fills";

  // Signing in and registering are database writes: the reserve makes room for them.
  HttpClient anna_elsewhere(server->port());
  auto login = anna_elsewhere.post("/api/auth/login", {{"email", "anna@dom.ru"}, {"password", kPassword}});
  EXPECT_EQ(login.status, 200) << login.body;
  HttpClient bob(server->port());
  auto registered = bob.post("/api/auth/register", {{"email", "bob@dom.ru"}, {"password", kPassword}, {"full_name", "Боб"}});
  EXPECT_EQ(registered.status, 201) << registered.body;

  // Deleting the upload frees its bytes, and the reserve is set aside again.
  const std::uint64_t free_before = disk.free_bytes();
  auto deleted = anna_elsewhere.request("DELETE", filled.cut, "", {{"Tus-Resumable", "1.0.0"}});
  EXPECT_EQ(deleted.status, 204) << deleted.body;
  EXPECT_EQ(anna_elsewhere.get(filled.cut).status, 404);
  EXPECT_GE(disk.free_bytes() + reserve + (64u << 10), free_before + filled.cut_offset) << "the bytes must be freed";
  EXPECT_EQ(fs::exists(reserve_file) ? fs::file_size(reserve_file) : 0, reserve);

  // An upload that does not fit is refused at creation, with a clear answer...
  auto too_big = create_scan_upload(bob, disk.free_bytes(), "big.jpg");
  EXPECT_EQ(too_big.status, 503) << too_big.body;
  EXPECT_EQ(too_big.error_code(), "storage_full") << too_big.body;
  EXPECT_NE(too_big.body.find("не хватает места"), std::string::npos) << too_big.body;
  // ...and one that fitted when created is refused at PATCH once the space is gone, before a byte.
  const std::uint64_t later = 1u << 20;
  auto fits = create_scan_upload(bob, later, "later.jpg");
  ASSERT_EQ(fits.status, 201) << fits.body;
  disk.leave_free(later / 2);
  auto refused = bob.request("PATCH", fits.headers["location"], documents::testing::jpeg(later), tus_patch_headers(0));
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_EQ(refused.error_code(), "storage_full") << refused.body;
  EXPECT_EQ(upload_offset(bob, fits.headers["location"]), 0u);
  disk.remove_filler();

  // Nothing stored before is lost.
  EXPECT_TRUE(anna_elsewhere.get(stored.headers["location"] + "/file").body == receipt) << "the receipt changed";
  EXPECT_TRUE(anna_elsewhere.get(filled.whole + "/file").body == filled.whole_bytes) << "the whole upload changed";
  EXPECT_EQ(anna_elsewhere.get(kPractices + "/" + std::to_string(draft.json()["id"].get<int>())).json()["answers"]["name"],
            "Черновик");
  server->stop();
  EXPECT_EQ(integrity(disk.data()), "ok");
  std::printf("faults: 6 MB disk filled by two uploads (one cut at %llu bytes); reserve %llu bytes given back and taken again\n",
              static_cast<unsigned long long>(filled.cut_offset), static_cast<unsigned long long>(reserve));
}

// Without a reserve, a full disk has no room for the row's deletion: the upload's bytes go first
// and make that room.
TEST(Faults, DeletingAnUploadOnAFullDiskFreesItsBytesBeforeItsRow) {
  PRAKTIKA_SKIP_ON_POSTGRESQL("the database's own disk filling up (SQLITE_FULL, the reserve beside the file)");
  TempDir config_dir;
  SmallDisk disk(6u << 20);
  if (!disk.unavailable().empty()) GTEST_SKIP() << disk.unavailable();
  const fs::path config = storage_config(config_dir, 0, 0);
  auto server = start_server({.data_dir = disk.data(), .clock = kDuringIntake, .extra_args = {"--config", config.string()}});
  ASSERT_TRUE(server);
  std::map<std::string, std::unique_ptr<HttpClient>> clients;
  HttpClient& anna = sign_up(clients, server->port(), "anna@dom.ru");
  FilledDisk filled = fill_disk_with_uploads(server->port(), anna, disk, 0);
  ASSERT_FALSE(HasFailure());

  const std::uint64_t free_before = disk.free_bytes();
  auto deleted = anna.request("DELETE", filled.cut, "", {{"Tus-Resumable", "1.0.0"}});
  EXPECT_EQ(deleted.status, 204) << deleted.body;
  EXPECT_EQ(anna.get(filled.cut).status, 404);
  EXPECT_GE(disk.free_bytes() + (64u << 10), free_before + filled.cut_offset) << "the bytes must be freed";
  auto registered = HttpClient(server->port()).post("/api/auth/register",
                                                     {{"email", "bob@dom.ru"}, {"password", kPassword}, {"full_name", "Боб"}});
  EXPECT_EQ(registered.status, 201) << registered.body;
  server->stop();
  EXPECT_EQ(integrity(disk.data()), "ok");
}

}  // namespace
}  // namespace praktika::test
