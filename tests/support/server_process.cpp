#include "support/server_process.h"

#include <unistd.h>

#include <csignal>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

#include "support/test_store.h"

namespace praktika::test {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

fs::path source_dir() { return PRAKTIKA_SOURCE_DIR; }
fs::path server_binary() {
  if (const char* env = std::getenv("PRAKTIKA_BINARY")) return env;
  return PRAKTIKA_BINARY;
}

Result<std::unique_ptr<ServerProcess>> ServerProcess::start(const ServerOptions& options) {
  ProcessOptions p;
  p.argv = {server_binary().string(), "serve", "--port", std::to_string(options.port), "--data",
            options.data_dir.string(), "--web", (source_dir() / "web" / "dist").string()};
  for (const auto& agenda : options.agendas) {
    p.argv.push_back("--agenda");
    p.argv.push_back(fs::path(agenda).is_absolute() ? agenda : (source_dir() / agenda).string());
  }
  if (!options.clock.empty()) {
    p.argv.push_back("--clock");
    p.argv.push_back(options.clock);
  }
  if (options.clock_speed > 0) {
    std::ostringstream speed;
    speed << options.clock_speed;
    p.argv.push_back("--clock-speed");
    p.argv.push_back(speed.str());
  }
  if (!options.redis.empty()) {
    p.argv.push_back("--redis");
    p.argv.push_back(options.redis);
  }
  // The access log would fill the pipe of a test that never reads it (the server then blocks on
  // stderr): warnings and errors only, unless the test asks for more.
  if (std::find(options.extra_args.begin(), options.extra_args.end(), "--log-level") == options.extra_args.end()) {
    p.argv.push_back("--log-level");
    p.argv.push_back("warn");
  }
  std::error_code ec;
  if (testing_postgresql()) fs::create_directories(options.data_dir, ec);  // the database's name is kept inside
  if (const std::string store = store_url_for(options.data_dir); !store.empty()) {
    p.argv.push_back("--store");
    p.argv.push_back(store);
  }
  for (const auto& a : options.extra_args) p.argv.push_back(a);
  p.stdout_to = Output::pipe();
  p.stderr_to = Output::to_stdout();
  p.max_file_bytes = options.max_file_bytes;
  p.max_open_files = options.max_open_files;
  p.listener_fd = options.listener_fd;
  p.env = options.env;
  auto spawned = Process::spawn(p);
  if (!spawned) return spawned.status();
  std::unique_ptr<ServerProcess> server(new ServerProcess());
  server->process_ = std::move(*spawned);
  std::string said;
  for (;;) {
    auto line = server->process_->read_line(20s);
    if (!line) return Status::internal("server_did_not_start", "server did not start: " + said);
    said += *line + "\n";
    auto at = line->find("listening on http://");
    if (at != std::string::npos) {
      server->port_ = std::stoi(line->substr(line->rfind(':') + 1));
      server->startup_output_ = std::move(said);
      return server;
    }
  }
}

ServerProcess::~ServerProcess() {
  if (process_) process_->stop(5s);
}

ExitStatus ServerProcess::stop() {
  auto status = process_->stop(10s);
  return status;
}

void ServerProcess::kill() {
  process_->signal(SIGKILL, true);
  process_->wait(10s);
}

RunResult run_binary(const std::vector<std::string>& args, const std::string& stdin_text) {
  TempDir dir;
  fs::path out = dir.path() / "out.txt";
  fs::path in = dir.path() / "in.txt";
  std::ofstream(in) << stdin_text;
  // The child's stdin comes from a file, through the shell: Process keeps stdin inherited.
  std::string command = "exec";
  auto quote = [](const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
  };
  command += " " + quote(server_binary().string());
  for (const auto& a : args) command += " " + quote(a);
  // A command that opens a data directory's store opens the test's PostgreSQL database instead.
  if (testing_postgresql() && args.size() > 1 && args[0] == "admin" && args[1] == "create-user") {
    for (std::size_t i = 2; i + 1 < args.size(); ++i)
      if (args[i] == "--data") {
        std::error_code ec;
        fs::create_directories(args[i + 1], ec);
        command += " --store " + quote(store_url_for(args[i + 1]));
      }
  }
  command += " < " + quote(in.string());
  ProcessOptions p;
  p.argv = {"/bin/sh", "-c", command};
  p.stdout_to = Output::file(out.string());
  p.stderr_to = Output::to_stdout();
  RunResult result;
  auto spawned = Process::spawn(p);
  if (!spawned) return result;
  auto status = (*spawned)->wait(60s);
  if (status) result.status = *status;
  std::ifstream read(out);
  std::stringstream text;
  text << read.rdbuf();
  result.output = text.str();
  return result;
}

}  // namespace praktika::test
