#include "app/config.h"

#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include "common/json_guard.h"
#include "log/log.h"
#include "mail/sender.h"
#include "metrics/metrics.h"
#include "net/http_types.h"
#include "redis/client.h"
#include "store/db.h"
#include "timeline/clock.h"

namespace praktika::app {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Reader {
  const std::string& file;
  const json& root;
  std::optional<ConfigError> error;

  void fail(std::string path, std::string problem) {
    if (!error) error = ConfigError{file, std::move(path), std::move(problem)};
  }

  const json* at(const std::string& pointer) {
    json::json_pointer p(pointer);
    if (!root.contains(p)) return nullptr;
    return &root.at(p);
  }

  void string(const std::string& path, std::string& out) {
    if (auto v = at(path)) {
      if (v->is_string()) out = v->get<std::string>();
      else fail(path, "must be a string");
    }
  }
  template <typename Int>
  void integer(const std::string& path, Int& out, long long min, long long max) {
    if (auto v = at(path)) {
      if (!v->is_number_integer()) return fail(path, "must be an integer");
      long long n = v->get<long long>();
      if (n < min || n > max)
        return fail(path, "must be between " + std::to_string(min) + " and " + std::to_string(max));
      out = static_cast<Int>(n);
    }
  }
  void boolean(const std::string& path, bool& out) {
    if (auto v = at(path)) {
      if (v->is_boolean()) out = v->get<bool>();
      else fail(path, "must be true or false");
    }
  }
};

fs::path resolve(const fs::path& base_dir, const std::string& p) {
  fs::path path(p);
  return path.is_absolute() ? path : (base_dir / path).lexically_normal();
}

bool valid_redis_url(const std::string& url) { return redis::parse_url(url).ok(); }

}  // namespace

std::string ConfigError::describe() const {
  return file + ": " + (json_path.empty() ? "" : json_path + ": ") + problem;
}

namespace {

// The array at `path` of strings, each kept by `take` (which may refuse one by failing it).
template <typename Take>
void strings(Reader& r, const std::string& path, const std::string& shape, Take take) {
  auto v = r.at(path);
  if (!v) return;
  if (!v->is_array()) return r.fail(path, shape);
  for (size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string()) r.fail(path + "/" + std::to_string(i), "must be a string");
    else take((*v)[i].get<std::string>(), path + "/" + std::to_string(i));
  }
}

// Where the server listens and what it reads and writes: the file's own paths are relative to it.
void read_places(Reader& r, Config& config, const fs::path& base) {
  r.string("/listen/address", config.address);
  r.integer("/listen/port", config.port, 0, 65535);
  std::string data = "data";
  r.string("/data", data);
  config.data_dir = resolve(base, data);
  strings(r, "/agendas", "must be an array of file names",
          [&](const std::string& file, const std::string&) { config.agendas.push_back(resolve(base, file)); });
  std::string web = "web/dist";
  r.string("/web_root", web);
  config.web_root = resolve(base, web);
  r.integer("/threads", config.threads, 0, 256);
}

// The services beside the server: Redis, the store, SMTP.
void read_services(Reader& r, Config& config) {
  if (auto v = r.at("/redis"); v && !v->is_null()) {
    if (!v->is_string() || !valid_redis_url(v->get<std::string>())) r.fail("/redis", "must be null or redis://HOST:PORT");
    else config.redis_url = v->get<std::string>();
  }
  if (auto v = r.at("/store/url"); v && !v->is_null()) {
    if (!v->is_string() || !store::Db::is_postgresql_url(v->get<std::string>()))
      r.fail("/store/url", "must be null (SQLite in the data folder) or postgresql://USER@HOST:PORT/DATABASE");
    else config.store_url = v->get<std::string>();
  }
  r.integer("/store/connections", config.store_connections, 1, 256);
  if (auto v = r.at("/smtp/url"); v && !v->is_null()) {
    if (!v->is_string() || !mail::valid_smtp_url(v->get<std::string>())) r.fail("/smtp/url", "must be null or smtp://HOST:PORT");
    else config.smtp_url = v->get<std::string>();
  }
  r.string("/smtp/from", config.smtp_from);
  r.string("/smtp/from_name", config.smtp_from_name);
  if (config.smtp_from.find('@') == std::string::npos || config.smtp_from.find_first_of(" <>\r\n") != std::string::npos)
    r.fail("/smtp/from", "must be an e-mail address");
}

// Who may call: origins, proxies, cookies and sessions.
void read_access(Reader& r, Config& config) {
  strings(r, "/allowed_origins", "must be an array of origins",
          [&](const std::string& origin, const std::string&) { config.allowed_origins.push_back(origin); });
  if (auto v = r.at("/trusted_proxies")) {
    if (!v->is_array()) r.fail("/trusted_proxies", "must be an array of IP addresses");
    else
      for (size_t i = 0; i < v->size(); ++i) {
        auto address = (*v)[i].is_string() ? net::canonical_address((*v)[i].get<std::string>()) : std::nullopt;
        if (!address) r.fail("/trusted_proxies/" + std::to_string(i), "must be an IP address");
        else config.trusted_proxies.push_back(*address);
      }
  }
  r.boolean("/cookie_secure", config.cookie_secure);
  r.integer("/sessions/lifetime_hours", config.session_lifetime_hours, 1, 24 * 365);
}

// The addresses /metrics answers.
void read_metrics_allow(Reader& r, Config& config) {
  if (r.at("/metrics/allow")) {
    std::vector<std::string> entries;
    strings(r, "/metrics/allow", "must be an array of IP addresses or CIDR prefixes",
            [&](const std::string& entry, const std::string&) { entries.push_back(entry); });
    auto parsed = metrics::AddressList::parse(entries);
    if (auto* bad = std::get_if<std::string>(&parsed))
      r.fail("/metrics/allow", "\"" + *bad + "\" is neither an IP address nor a CIDR prefix");
    config.metrics_allow = entries;
  }
}

// Limits, storage, presence and the log.
void read_limits(Reader& r, Config& config) {
  r.integer("/limits/body_bytes", config.body_bytes, 1024, 1LL << 31);
  r.integer("/limits/header_timeout_s", config.header_timeout_s, 1, 600);
  r.integer("/limits/connections_per_address", config.connections_per_address, 0, 1 << 24);
  r.integer("/limits/ws_message_bytes", config.ws_message_bytes, 256, 16 << 20);
  r.integer("/limits/ws_queue_messages", config.ws_queue_messages, 1, 1 << 20);
  r.integer("/limits/ws_queue_bytes", config.ws_queue_bytes, 1024, 1LL << 31);
  r.integer("/limits/ws_topics_per_connection", config.ws_topics_per_connection, 1, 4096);
  r.integer("/limits/ws_idle_timeout_s", config.ws_idle_timeout_s, 3, 3600);
  r.integer("/limits/upload_quota_bytes", config.upload_quota_bytes, 0, 1LL << 42);
  r.integer("/storage/reserve_bytes", config.storage_reserve_bytes, 0, 1LL << 34);
  r.integer("/storage/upload_free_space_margin_bytes", config.upload_free_space_margin_bytes, 0, 1LL << 40);
  r.integer("/presence/report_interval_ms", config.presence.report_interval_ms, 50, 60000);
  r.integer("/presence/heartbeat_interval_ms", config.presence.heartbeat_interval_ms, 100, 600000);
  r.integer("/presence/expiry_ms", config.presence.expiry_ms, 200, 3600000);
  r.integer("/presence/large_topic_members", config.presence.large_topic_members, 1, 1LL << 31);
  r.integer("/presence/large_topic_interval_ms", config.presence.large_topic_interval_ms, 50, 600000);
  r.integer("/presence/large_topic_step_percent", config.presence.large_topic_step_percent, 1, 100);
  r.string("/log/format", config.log_format);
  if (!config.log_format.empty() && !log::parse_format(config.log_format))
    r.fail("/log/format", "must be \"text\", \"json\" or \"logfmt\"");
  r.string("/log/level", config.log_level);
  if (!log::parse_level(config.log_level)) r.fail("/log/level", "must be \"debug\", \"info\", \"warn\" or \"error\"");
}

// Which options the command line has given so far: the first --agenda, --trusted-proxy or
// --metrics-allow replaces the file's list, and a benchmark lifts the connection cap unless set.
struct FromCommandLine {
  bool agendas = false;
  bool cap = false;
  bool proxies = false;
  bool metrics_allow = false;
};

const std::set<std::string, std::less<>> kValueOptions = {
    "--port",  "--address", "--data",  "--web",     "--agenda",                  "--trusted-proxy", "--clock",
    "--clock-speed", "--redis", "--store", "--smtp", "--connections-per-address", "--log-format",   "--log-level",
    "--metrics-allow", "--threads"};

// A number option's value, whole and within [min, max].
template <typename Number, typename Parse>
std::optional<Number> number(const std::optional<std::string>& v, Parse parse, Number min, Number max) {
  if (!v) return std::nullopt;
  try {
    size_t used = 0;
    Number n = parse(*v, &used);
    if (used != v->size() || n < min || n > max) return std::nullopt;
    return n;
  } catch (...) {
    return std::nullopt;
  }
}

// The options of where to listen, what to read and when it is; the problem, or nullopt when applied.
std::optional<std::string> apply_place_option(const std::string& flag, const std::optional<std::string>& v,
                                              Config& config, FromCommandLine& given, const fs::path& cwd) {
  if (flag == "--port") {
    auto port = number<int>(v, [](const std::string& s, size_t* used) { return std::stoi(s, used); }, 0, 65535);
    if (!port) return "must be a port number 0–65535";
    config.port = static_cast<std::uint16_t>(*port);
  } else if (flag == "--address") {
    if (!v) return "needs an address";
    config.address = *v;
  } else if (flag == "--data" || flag == "--web") {
    if (!v) return "needs a folder";
    (flag == "--data" ? config.data_dir : config.web_root) = resolve(cwd, *v);
  } else if (flag == "--agenda") {
    if (!v) return "needs a file";
    if (!given.agendas) config.agendas.clear();
    given.agendas = true;
    config.agendas.push_back(resolve(cwd, *v));
  } else if (flag == "--clock") {
    auto t = v ? parse_instant(*v) : std::nullopt;
    if (!t) return "must be an ISO 8601 instant with an offset, e.g. 2020-07-06T10:00:00+08:00";
    config.clock_start = *t;
  } else if (flag == "--clock-speed") {
    auto speed = number<double>(v, [](const std::string& s, size_t* used) { return std::stod(s, used); },
                                -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity());
    if (!speed || !timeline::Clock::valid_speed(*speed)) return "must be a number greater than 0";
    config.clock_speed = *speed;
  } else if (flag == "--threads") {
    try {
      config.threads = v ? std::stoi(*v) : -1;
    } catch (...) {
      config.threads = -1;
    }
    if (config.threads < 0 || config.threads > 256) return "must be 0–256";
  }
  return std::nullopt;
}

// The options of the services beside the server, access and the log.
std::optional<std::string> apply_service_option(const std::string& flag, const std::optional<std::string>& v,
                                                Config& config, FromCommandLine& given) {
  if (flag == "--redis") {
    if (!v || !valid_redis_url(*v)) return "must be redis://HOST:PORT";
    config.redis_url = *v;
  } else if (flag == "--store") {
    if (!v || !store::Db::is_postgresql_url(*v)) return "must be postgresql://USER@HOST:PORT/DATABASE";
    config.store_url = *v;
  } else if (flag == "--smtp") {
    if (!v || !mail::valid_smtp_url(*v)) return "must be smtp://HOST:PORT";
    config.smtp_url = *v;
  } else if (flag == "--trusted-proxy") {
    auto address = v ? net::canonical_address(*v) : std::nullopt;
    if (!address) return "must be an IP address";
    if (!given.proxies) config.trusted_proxies.clear();
    given.proxies = true;
    config.trusted_proxies.push_back(*address);
  } else if (flag == "--connections-per-address") {
    auto n = number<long long>(v, [](const std::string& s, size_t* used) { return std::stoll(s, used); }, 0, 1 << 24);
    if (!n) return "must be a number 0–16777216 (0: no cap)";
    config.connections_per_address = static_cast<std::size_t>(*n);
    given.cap = true;
  } else if (flag == "--log-format") {
    if (!v || !log::parse_format(*v)) return "must be text, json or logfmt";
    config.log_format = *v;
  } else if (flag == "--log-level") {
    if (!v || !log::parse_level(*v)) return "must be debug, info, warn or error";
    config.log_level = *v;
  } else if (flag == "--metrics-allow") {
    if (!v || std::holds_alternative<std::string>(metrics::AddressList::parse({*v})))
      return "must be an IP address or a CIDR prefix";
    if (!given.metrics_allow) config.metrics_allow.clear();
    given.metrics_allow = true;
    config.metrics_allow.push_back(*v);
  }
  return std::nullopt;
}

// The command line wins over the file.
std::optional<ConfigError> apply_command_line(const std::vector<std::string>& args, Config& config) {
  FromCommandLine given;
  fs::path cwd = fs::current_path();
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag == "--config") {
      ++i;
      continue;
    }
    if (flag == "--bench") {
      config.bench_topics = true;
      continue;
    }
    if (!kValueOptions.count(flag)) return ConfigError{"command line", flag, "unknown option"};
    std::optional<std::string> v;
    if (i + 1 < args.size()) v = args[++i];
    auto problem = apply_place_option(flag, v, config, given, cwd);
    if (!problem) problem = apply_service_option(flag, v, config, given);
    if (problem) return ConfigError{"command line", flag, *problem};
  }
  // A benchmark's thousands of clients all come from one address.
  if (config.bench_topics && !given.cap) config.connections_per_address = 0;
  return std::nullopt;
}

}  // namespace

std::variant<Config, ConfigError> load_config(const std::vector<std::string>& args, const fs::path& default_config) {
  Config config;
  config.file = default_config;
  for (size_t i = 0; i + 1 < args.size(); ++i)
    if (args[i] == "--config") config.file = args[i + 1];

  std::string file_label = config.file.string();
  std::ifstream in(config.file, std::ios::binary);
  if (!in) return ConfigError{file_label, "", "cannot be read"};
  std::stringstream text;
  text << in.rdbuf();
  std::string problem;
  auto parsed = parse_json_guarded(text.str(), 16, &problem);
  if (!parsed) return ConfigError{file_label, "", problem};
  if (!parsed->is_object()) return ConfigError{file_label, "", "must be a JSON object"};

  Reader r{file_label, *parsed, std::nullopt};
  read_places(r, config, fs::absolute(config.file).parent_path());
  read_services(r, config);
  read_access(r, config);
  read_limits(r, config);
  read_metrics_allow(r, config);
  r.integer("/live/replay_events", config.live_replay_events, 1, 100000);
  if (r.error) return *r.error;
  if (auto error = apply_command_line(args, config)) return *error;
  if (config.agendas.empty()) return ConfigError{file_label, "/agendas", "names no agenda file"};
  return config;
}

}  // namespace praktika::app
