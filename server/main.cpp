// praktika — the command line: `serve` runs the server, `admin …` does one-off chores on a
// data directory. Exit codes: 0 done, 1 runtime failure, 2 bad configuration or agenda.
#include <sys/resource.h>
#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>
#include <condition_variable>
#include <csignal>
#include <filesystem>
#include <functional>
#include <mutex>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "accounts/accounts.h"
#include "admin/backup.h"
#include "app/app.h"
#include "app/config.h"
#include "app/stages.h"
#include "log/log.h"
#include "net/server.h"
#include "store/db.h"
#include "timeline/agenda.h"

namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using namespace praktika;

constexpr int kExitFailure = 1;
constexpr int kExitBadInput = 2;

// Every connection is a descriptor. The soft limit is often 1024, a default for programs that
// expect few; the hard limit is what the administrator allows, so take all of it.
void raise_open_file_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return;
  limit.rlim_cur = limit.rlim_max;
  if (::setrlimit(RLIMIT_NOFILE, &limit) != 0)
    std::cerr << "praktika: cannot raise the open-file limit to " << limit.rlim_max << "\n";
}

fs::path default_config_path() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path candidate = exe.parent_path().parent_path() / "config" / "default.json";
    if (fs::exists(candidate)) return candidate;
  }
  return fs::path("config") / "default.json";
}

int usage() {
  std::cerr << "usage:\n"
               "  praktika serve [--config FILE] [--port N] [--data DIR] [--agenda FILE]... [--web DIR]\n"
               "                 [--clock ISO8601] [--clock-speed X] [--redis redis://HOST:PORT] [--threads N] [--bench]\n"
               "                 [--connections-per-address N]\n"
               "                 [--smtp smtp://HOST:PORT] [--store postgresql://USER@HOST:PORT/DATABASE]\n"
               "                 [--log-format text|json|logfmt] [--log-level debug|info|warn|error]\n"
               "                 [--metrics-allow ADDRESS|CIDR]...\n"
               "  praktika admin create-user --data DIR [--store URL] --email E\n"
               "                 --role organiser|expert|moderator|participant\n"
               "                 --event ID [--name \"Full Name\"] [--section N]   (password on stdin)\n"
               "  praktika admin migrate --store postgresql://…   (applies the schema; servers do it too)\n"
               "  praktika admin backup --data DIR --to NEW_DIR      (safe while the server runs)\n"
               "  praktika admin restore --from BACKUP_DIR --data DIR   (the server must be stopped)\n"
               "  (with --store postgresql://… both say what to use instead: pg_dump, pg_restore)\n";
  return kExitBadInput;
}

// SQLite in the data directory, unless a PostgreSQL database is named.
Result<std::unique_ptr<store::Db>> open_store(const fs::path& data_dir, const std::optional<std::string>& url,
                                              int connections = 8) {
  if (url) return store::Db::connect(*url, connections);
  std::error_code ec;
  fs::create_directories(data_dir, ec);
  if (ec) return Status::internal("data_dir", "Не удалось создать каталог данных " + data_dir.string() + ": " + ec.message());
  return store::Db::open(data_dir / "praktika.sqlite3");
}

// The configuration's agendas, each read strictly by every stage (app::check_agenda), so a
// mistake stops the start (exit code 2, naming the JSON path) rather than failing a later request.
// nullopt after saying why.
std::optional<std::vector<timeline::Agenda>> load_agendas(const app::Config& config) {
  std::vector<timeline::Agenda> agendas;
  for (const auto& file : config.agendas) {
    auto loaded = timeline::load_agenda(file);
    if (auto* error = std::get_if<timeline::AgendaError>(&loaded)) {
      std::cerr << "praktika: " << error->describe() << "\n";
      return std::nullopt;
    }
    auto& agenda = std::get<timeline::Agenda>(loaded);
    for (const auto& other : agendas) {
      if (other.id == agenda.id) {
        std::cerr << "praktika: " << file.string() << ": /id: event id \"" << other.id << "\" is already used by "
                  << other.source << "\n";
        return std::nullopt;
      }
    }
    if (auto error = app::check_agenda(agenda)) {
      std::cerr << "praktika: " << error->describe() << "\n";
      return std::nullopt;
    }
    // Values still to be filled in start the server (the organiser fills them while it runs) but
    // are named: nothing built from them reaches the public.
    for (const auto& p : timeline::placeholders(agenda)) {
      std::string fields;
      for (const auto& f : p.fields) fields += (fields.empty() ? "" : ", ") + f;
      std::cerr << "praktika: warning: " << file.string() << ": " << p.path << ": placeholder values to fill in ("
                << p.title << ": " << fields << ")\n";
    }
    agendas.push_back(std::move(agenda));
  }
  return agendas;
}

// After a stop, how long WebSocket clients get to answer their close frames once nothing else is
// left. A browser answers at once; one that does not (a phone gone to sleep, a client that is
// itself overloaded) must not hold the restart: 15 000 of them took seconds to answer one by one,
// and every second the server is down the clients' backoff grows. The frame reached each of them.
constexpr auto kCloseHandshakeGrace = std::chrono::milliseconds(100);
// Requests in flight get this long to finish before the rest is cut.
constexpr auto kStopGrace = std::chrono::seconds(5);

// The watchdog's wait: until the io_context ran dry (`finished`), or until only close
// handshakes were left for kCloseHandshakeGrace, or kStopGrace. True when it ran dry.
bool wait_for_stop(app::App& server, std::unique_lock<std::mutex>& lock, std::condition_variable& stopped,
                   const bool& finished) {
  const auto give_up = std::chrono::steady_clock::now() + kStopGrace;
  constexpr auto kNotSettled = std::chrono::steady_clock::time_point::max();
  auto settled_since = kNotSettled;
  while (std::chrono::steady_clock::now() < give_up) {
    if (stopped.wait_for(lock, std::chrono::milliseconds(10), [&] { return finished; })) return true;
    if (!server.only_close_handshakes_left()) {
      settled_since = kNotSettled;
      continue;
    }
    const auto now = std::chrono::steady_clock::now();
    if (settled_since == kNotSettled) settled_since = now;
    if (now - settled_since >= kCloseHandshakeGrace) return false;
  }
  return finished;
}

// Runs `io` on `threads` threads (this one included) until SIGINT or SIGTERM has stopped the
// server; `ready` is called once the signals are caught (a test may send one as soon as it reads
// the listening line). Connections get a close frame and requests in flight finish; WebSocket
// close handshakes get kCloseHandshakeGrace, whatever still hangs after kStopGrace is cut. A
// thread, not a timer, so a clean stop does not wait for it.
void run_until_signalled(app::App& server, asio::io_context& io, int threads, const std::function<void()>& ready) {
  auto work = asio::make_work_guard(io);
  asio::signal_set signals(io, SIGINT, SIGTERM);
  std::mutex stop_mutex;
  std::condition_variable stopped;
  bool finished = false;
  std::thread watchdog;
  signals.async_wait([&](boost::system::error_code ec, int) {
    if (ec) return;
    std::cout << "praktika: shutting down" << std::endl;
    log::info("server.stopping").num("websockets", server.websocket_count());
    server.stop();
    work.reset();
    watchdog = std::thread([&] {
      std::unique_lock lock(stop_mutex);
      if (wait_for_stop(server, lock, stopped, finished)) return;
      // Their sockets close as the process ends: each client has its close frame, then the FIN.
      log::info("server.cut").num("websockets", server.websocket_count());
      io.stop();
    });
  });
  ready();
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back([&] { io.run(); });
  io.run();
  for (auto& t : pool) t.join();
  {
    std::lock_guard lock(stop_mutex);
    finished = true;
  }
  stopped.notify_all();
  if (watchdog.joinable()) watchdog.join();
}

int serve(const std::vector<std::string>& args) {
  auto loaded = app::load_config(args, default_config_path());
  if (auto* error = std::get_if<app::ConfigError>(&loaded)) {
    std::cerr << "praktika: " << error->describe() << "\n";
    return kExitBadInput;
  }
  auto& config = std::get<app::Config>(loaded);
  auto listener = net::inherited_listener();
  if (!listener) {
    std::cerr << "praktika: " << listener.status().code() << ": " << listener.status().message() << "\n";
    return kExitBadInput;
  }
  config.listener_fd = listener->value_or(-1);
  // Text for a person at a terminal; JSON for whatever collects the output of a service.
  log::configure(config.log_format.empty() ? (::isatty(STDERR_FILENO) ? log::Format::text : log::Format::json)
                                           : *log::parse_format(config.log_format),
                 *log::parse_level(config.log_level));
  auto agendas = load_agendas(config);
  if (!agendas) return kExitBadInput;

  auto lock = admin::DataDirLock::acquire(config.data_dir, admin::DataDirLock::Mode::shared);
  if (!lock) {
    std::cerr << "praktika: " << lock.status().code() << ": " << lock.status().message() << "\n";
    return kExitFailure;
  }
  auto db = open_store(config.data_dir, config.store_url, config.store_connections);
  if (!db) {
    std::cerr << "praktika: storage: " << db.status().code() << ": " << db.status().message() << "\n";
    return kExitFailure;
  }
  (*db)->keep_reserve(
      std::make_unique<store::Reserve>(config.data_dir / "praktika.reserve", config.storage_reserve_bytes));

  timeline::Clock clock = config.clock_start ? timeline::Clock::simulated(*config.clock_start, config.clock_speed)
                                             : timeline::Clock::real();
  raise_open_file_limit();
  int threads = config.threads > 0 ? config.threads : std::max(1u, std::thread::hardware_concurrency());
  asio::io_context io(threads);
  // Workers run request handlers that may block (SQLite, argon2id): a few more than cores.
  asio::thread_pool workers(static_cast<std::size_t>(threads) + 2);

  app::App server(config, std::move(*agendas), clock, std::move(*db), io, workers);
  if (auto s = server.start(); !s) {
    std::cerr << "praktika: " << s.message() << "\n";
    return kExitFailure;
  }
  std::optional<log::Batching> batched_log;  // from listening until every thread has stopped
  run_until_signalled(server, io, threads, [&] {
    std::cout << "praktika: listening on http://" << config.address << ":" << server.port()
              << (config.listener_fd >= 0 ? " (the service manager's socket)" : "") << std::endl;
    log::info("server.listening").str("address", config.address).num("port", server.port()).num("threads", threads);
    batched_log.emplace();
  });
  workers.join();
  batched_log.reset();
  std::cout << "praktika: stopped" << std::endl;
  log::info("server.stopped");
  return 0;
}

// `admin backup` and `admin restore`: both take two directories.
int backup_or_restore(bool is_backup, const std::vector<std::string>& args) {
  std::string data, other, store;
  for (size_t i = 0; i < args.size(); ++i) {
    auto next = [&]() -> std::string { return i + 1 < args.size() ? args[++i] : std::string{}; };
    if (args[i] == "--data") data = next();
    else if (args[i] == (is_backup ? "--to" : "--from")) other = next();
    else if (args[i] == "--store") store = next();
    else {
      std::cerr << "praktika: unknown option " << args[i] << "\n";
      return usage();
    }
  }
  if (data.empty() || other.empty()) return usage();
  if (!store.empty()) {
    // PostgreSQL has its own consistent, online tools; a copy made here could only be worse.
    auto refused = admin::postgresql_backup_advice(is_backup, data, other, store);
    std::cerr << "praktika: " << refused.code() << ": " << refused.message() << "\n";
    return kExitBadInput;
  }
  auto done = is_backup ? admin::backup(data, other) : admin::restore(other, data);
  if (!done) {
    std::cerr << "praktika: " << done.status().code() << ": " << done.status().message() << "\n";
    return done.status().http_status() >= 500 ? kExitFailure : kExitBadInput;
  }
  std::cout << "praktika: " << (is_backup ? "backed up " : "restored ") << data << (is_backup ? " to " : " from ")
            << other << ": database schema " << done->schema_version << ", " << done->files << " files, "
            << done->bytes << " bytes\n";
  return 0;
}

// `admin migrate`: applies the schema to a PostgreSQL database before any server starts (the
// servers would too, one at a time), or checks a data directory's SQLite file.
int migrate(const std::vector<std::string>& args) {
  std::string data, store;
  for (size_t i = 0; i < args.size(); ++i) {
    auto next = [&]() -> std::string { return i + 1 < args.size() ? args[++i] : std::string{}; };
    if (args[i] == "--data") data = next();
    else if (args[i] == "--store") store = next();
    else {
      std::cerr << "praktika: unknown option " << args[i] << "\n";
      return usage();
    }
  }
  if (data.empty() == store.empty() || (!store.empty() && !store::Db::is_postgresql_url(store))) return usage();
  auto db = open_store(data, store.empty() ? std::nullopt : std::optional<std::string>(store));
  if (!db) {
    std::cerr << "praktika: storage: " << db.status().code() << ": " << db.status().message() << "\n";
    return kExitFailure;
  }
  std::cout << "praktika: database schema " << (*db)->schema_version() << "\n";
  return 0;
}

int create_user(const std::vector<std::string>& args) {
  std::string data, email, role_text, event, name, store;
  std::optional<int> section;
  for (size_t i = 0; i < args.size(); ++i) {
    auto next = [&]() -> std::string { return i + 1 < args.size() ? args[++i] : std::string{}; };
    if (args[i] == "--data") data = next();
    else if (args[i] == "--store") store = next();
    else if (args[i] == "--email") email = next();
    else if (args[i] == "--role") role_text = next();
    else if (args[i] == "--event") event = next();
    else if (args[i] == "--name") name = next();
    else if (args[i] == "--section") {
      try {
        section = std::stoi(next());
      } catch (...) {
        return usage();
      }
    } else {
      std::cerr << "praktika: unknown option " << args[i] << "\n";
      return usage();
    }
  }
  auto role = accounts::parse_role(role_text);
  if (data.empty() || email.empty() || event.empty() || !role) return usage();
  if (name.empty()) name = email;
  std::string password;
  if (isatty(STDIN_FILENO)) std::cerr << "password: ";
  std::getline(std::cin, password);

  if (!store.empty() && !store::Db::is_postgresql_url(store)) return usage();
  auto db = open_store(data, store.empty() ? std::nullopt : std::optional<std::string>(store));
  if (!db) {
    std::cerr << "praktika: storage: " << db.status().message() << "\n";
    return kExitFailure;
  }
  accounts::AccountsService accounts(**db, {});
  auto user = accounts.create_user(email, password, name, {{event, *role, section}});
  if (!user) {
    std::cerr << "praktika: " << user.status().code() << ": " << user.status().message() << "\n";
    return kExitBadInput;
  }
  std::cout << "praktika: created user " << user->id << " <" << user->email << "> as " << role_text << " of "
            << event << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // A peer that closes its socket must cost us an error code, not the process.
  std::signal(SIGPIPE, SIG_IGN);
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return usage();
  std::string command = args.front();
  args.erase(args.begin());
  if (command == "serve") return serve(args);
  if (command == "admin" && !args.empty()) {
    std::string chore = args.front();
    args.erase(args.begin());
    if (chore == "create-user") return create_user(args);
    if (chore == "migrate") return migrate(args);
    if (chore == "backup" || chore == "restore") return backup_or_restore(chore == "backup", args);
  }
  return usage();
}
