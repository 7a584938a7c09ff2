#include "support/test_store.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>

namespace praktika::test {
namespace {

namespace fs = std::filesystem;

const char* template_url() {
  const char* url = std::getenv("PRAKTIKA_TEST_STORE");
  return url && *url ? url : nullptr;
}

// postgresql://user@host:port/NAME?params split around NAME.
struct Url {
  std::string before, name, after;
  std::string with(const std::string& other) const { return before + other + after; }
};

Url split(const std::string& url) {
  const auto scheme = url.find("://");
  const auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (slash == std::string::npos) return {url + "/", "", ""};
  const auto query = url.find('?', slash);
  const std::string name = url.substr(slash + 1, query == std::string::npos ? std::string::npos : query - slash - 1);
  return {url.substr(0, slash + 1), name, query == std::string::npos ? "" : url.substr(query)};
}

// Runs one command on the server's maintenance database; false (and says why) when it fails.
bool admin_command(const std::string& sql) {
  const Url url = split(template_url());
  PGconn* c = PQconnectdb(url.with("postgres").c_str());
  bool ok = PQstatus(c) == CONNECTION_OK;
  if (ok) {
    PGresult* r = PQexec(c, sql.c_str());
    ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok) std::fprintf(stderr, "test store: %s: %s", sql.c_str(), PQresultErrorMessage(r));
    PQclear(r);
  } else {
    std::fprintf(stderr, "test store: cannot connect: %s", PQerrorMessage(c));
  }
  PQfinish(c);
  return ok;
}

std::multimap<fs::path, std::string>& made() {
  static std::multimap<fs::path, std::string> databases;  // key -> database names made for it
  return databases;
}

void drop_all() {
  for (const auto& [key, name] : made()) admin_command("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
}

}  // namespace

bool testing_postgresql() { return template_url() != nullptr; }

std::string store_url_for(const fs::path& key_in) {
  if (!testing_postgresql()) return "";
  const fs::path key = fs::absolute(key_in).lexically_normal();
  const Url url = split(template_url());
  // The database's name is kept beside the data it stands for (a file inside the data directory,
  // or beside the database file), so it lives and dies with the test's temporary directory: a
  // later test given the same path by chance gets a fresh database.
  std::error_code ec;
  const fs::path marker = fs::is_directory(key, ec) ? key / "test-store.name" : fs::path(key.string() + ".test-store");
  if (std::ifstream in(marker); in) {
    std::string name;
    if (std::getline(in, name) && !name.empty()) return url.with(name);
  }
  auto& databases = made();
  if (databases.empty()) std::atexit(drop_all);
  std::random_device random;
  const std::string name = "t" + std::to_string(::getpid()) + "_" + std::to_string(random() % 1000000000);
  if (!admin_command("CREATE DATABASE \"" + name + "\" TEMPLATE \"" + url.name + "\"")) return "";
  databases.emplace(key, name);
  fs::create_directories(marker.parent_path(), ec);
  std::ofstream(marker) << name << "\n";
  return url.with(name);
}

Result<std::unique_ptr<store::Db>> open_test_store(const fs::path& sqlite_file) {
  if (!testing_postgresql()) return store::Db::open(sqlite_file);
  const std::string url = store_url_for(sqlite_file);
  if (url.empty()) return Status::internal("test_store", "could not make a test database from " + std::string(template_url()));
  return store::Db::connect(url, 4);
}

Result<std::unique_ptr<store::Db>> open_data_dir_store(const fs::path& data_dir) {
  if (!testing_postgresql()) return store::Db::open(data_dir / "praktika.sqlite3");
  std::error_code ec;
  fs::create_directories(data_dir, ec);
  const std::string url = store_url_for(data_dir);
  if (url.empty()) return Status::internal("test_store", "could not make a test database from " + std::string(template_url()));
  return store::Db::connect(url, 2);
}

}  // namespace praktika::test
