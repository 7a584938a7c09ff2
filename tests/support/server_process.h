// The real server binary started for one test: its own data directory, a free port (the
// server binds port 0 and prints it), stopped with SIGTERM at the end. One thread at a time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace praktika::test {

std::filesystem::path source_dir();   // the repository
std::filesystem::path server_binary();  // build/praktika

struct ServerOptions {
  std::filesystem::path data_dir;  // required: keep it across restarts
  std::string clock;               // --clock, when set
  double clock_speed = 0;          // --clock-speed, when > 0
  std::string redis;               // --redis, when set
  int port = 0;                    // 0: any free port
  std::vector<std::string> agendas = {"agenda/irkutsk-2020.json"};  // relative to the repository
  std::vector<std::string> extra_args;
  std::uint64_t max_file_bytes = 0;  // > 0: no file of the server may grow past it (EFBIG), see Process
  std::uint64_t max_open_files = 0;  // > 0: the server's descriptor limit, which it cannot raise
  int listener_fd = -1;              // >= 0: handed over as a service manager would, see Process
  std::vector<std::string> env;      // "KEY=VALUE" on top of this process's environment
};

class ServerProcess {
 public:
  // Starts the binary and waits for its "listening on" line (fails with the server's last words).
  static Result<std::unique_ptr<ServerProcess>> start(const ServerOptions& options);
  ~ServerProcess();

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  Process& process() { return *process_; }
  // Everything the server printed up to its "listening on" line (start-up warnings).
  const std::string& startup_output() const { return startup_output_; }
  // SIGTERM and wait; the exit status.
  ExitStatus stop();
  // SIGKILL: no chance to flush anything.
  void kill();

 private:
  ServerProcess() = default;
  std::unique_ptr<Process> process_;
  int port_ = 0;
  std::string startup_output_;
};

// Runs the binary to completion (for start-up failures and admin commands): exit status and
// everything it printed on stdout and stderr.
struct RunResult {
  ExitStatus status;
  std::string output;
};
RunResult run_binary(const std::vector<std::string>& args, const std::string& stdin_text = "");

}  // namespace praktika::test
