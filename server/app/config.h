// The server's configuration: config/default.json (or --config FILE), then the command line on
// top. Paths in the file are relative to the file's folder. Read once in main, before any thread
// starts; constant afterwards.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/time.h"
#include "presence/presence.h"

namespace praktika::app {

struct Config {
  std::filesystem::path file;  // where it was read from
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;
  // A listening socket handed over by the service manager (net::inherited_listener()), used
  // instead of address and port; -1: none. Not a setting: main fills it in.
  int listener_fd = -1;
  std::filesystem::path data_dir;
  std::vector<std::filesystem::path> agendas;
  std::filesystem::path web_root;
  int threads = 0;  // 0: one per core
  std::optional<std::string> redis_url;
  // The database: absent, SQLite in <data>/praktika.sqlite3; postgresql://… puts every table in
  // that PostgreSQL database, through at most `store_connections` connections per instance.
  std::optional<std::string> store_url;
  int store_connections = 8;
  // Outgoing mail: smtp://host:port; absent: mail is queued in the outbox but not sent.
  std::optional<std::string> smtp_url;
  std::string smtp_from = "noreply@praktika.local";
  std::string smtp_from_name;  // display name in From (UTF-8)
  std::optional<TimePoint> clock_start;
  double clock_speed = 1.0;
  std::vector<std::string> allowed_origins;
  // Reverse proxies in front of the server whose X-Forwarded-For names the client (canonical IP
  // addresses). Empty: the header is ignored and the TCP peer is the client.
  std::vector<std::string> trusted_proxies;
  bool cookie_secure = false;
  int session_lifetime_hours = 336;
  std::uint64_t body_bytes = 1 << 20;
  int header_timeout_s = 10;  // a new connection's first request head
  // Connections held at once from one client address (0: no cap). Many people behind one NAT
  // (a school, the venue's Wi-Fi) share an address: generous, yet far under the descriptor limit.
  std::size_t connections_per_address = 1000;
  std::size_t ws_message_bytes = 64 * 1024;
  std::size_t ws_queue_messages = 1024;
  std::size_t ws_queue_bytes = 8 << 20;
  std::size_t ws_topics_per_connection = 64;
  // A WebSocket quiet this long is dropped; it is pinged within a third to a half of it. Keep it
  // under the idle timeout of any proxy in front (nginx's proxy_read_timeout, HAProxy's timeout tunnel).
  int ws_idle_timeout_s = 30;
  std::uint64_t upload_quota_bytes = 3ULL << 30;  // per participant and event
  // Set aside on the data directory's disk and given back when it fills, so people can still
  // sign in and delete (store/reserve.h); 0: none.
  std::uint64_t storage_reserve_bytes = 8ULL << 20;
  // An upload is refused up front when the disk has less free than its missing bytes plus this.
  std::uint64_t upload_free_space_margin_bytes = 64ULL << 20;
  // The file's "presence" section as the presence module takes it (its instance_id is App's).
  presence::Options presence;
  // Logs on stderr (server/log): "text", "json" or "logfmt"; empty: text on a terminal, JSON
  // otherwise. The level: "debug", "info", "warn" or "error".
  std::string log_format;
  std::string log_level = "info";
  // Client addresses (IP addresses or CIDR prefixes) that may read /metrics; others get 403.
  std::vector<std::string> metrics_allow = {"127.0.0.1", "::1"};
  // Events kept per topic for a client that resubscribes with its last sequence number (in this
  // process, and with --redis in each topic's Stream).
  std::size_t live_replay_events = 200;
  // Benchmarks only: topics bench:* that any connection may publish to (op "publish"); no cap on
  // connections per address unless --connections-per-address says otherwise.
  bool bench_topics = false;
};

struct ConfigError {
  std::string file;       // the config file, or "command line"
  std::string json_path;  // "/listen/port"; the flag's name for the command line
  std::string problem;
  std::string describe() const;
};

// `args` are the words after "serve". The default file is <repo>/config/default.json, found
// from `default_config`.
std::variant<Config, ConfigError> load_config(const std::vector<std::string>& args,
                                              const std::filesystem::path& default_config);

}  // namespace praktika::app
