#include "support/server_process.h"

#include <unistd.h>

#include <csignal>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

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
  for (const auto& a : options.extra_args) p.argv.push_back(a);
  p.stdout_to = Output::pipe();
  p.stderr_to = Output::to_stdout();
  p.max_file_bytes = options.max_file_bytes;
  p.max_open_files = options.max_open_files;
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
