#include "app/config.h"

#include <gtest/gtest.h>

#include <fstream>

namespace praktika::app {
namespace {

namespace fs = std::filesystem;

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("praktika-config-" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "config");
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& text) {
    auto file = dir_ / "config" / "default.json";
    std::ofstream(file) << text;
    return file;
  }
  fs::path dir_;
};

TEST_F(ConfigTest, PathsInTheFileAreRelativeToIt) {
  auto file = write(R"({"data": "../data", "agendas": ["../agenda/a.json"], "web_root": "../web/dist"})");
  auto loaded = load_config({}, file);
  ASSERT_TRUE(std::holds_alternative<Config>(loaded)) << std::get<ConfigError>(loaded).describe();
  auto& c = std::get<Config>(loaded);
  EXPECT_EQ(c.data_dir, (dir_ / "data").lexically_normal());
  ASSERT_EQ(c.agendas.size(), 1u);
  EXPECT_EQ(c.agendas[0], (dir_ / "agenda" / "a.json").lexically_normal());
}

TEST_F(ConfigTest, TheCommandLineWinsAndAgendaRepeats) {
  auto file = write(R"({"agendas": ["a.json"], "listen": {"port": 8080}})");
  auto loaded = load_config({"--port", "0", "--agenda", "/x.json", "--agenda", "/y.json", "--clock",
                             "2020-07-06T10:00:00+08:00", "--clock-speed", "60", "--redis", "redis://127.0.0.1:6380"},
                            file);
  ASSERT_TRUE(std::holds_alternative<Config>(loaded));
  auto& c = std::get<Config>(loaded);
  EXPECT_EQ(c.port, 0);
  EXPECT_EQ(c.agendas, (std::vector<fs::path>{"/x.json", "/y.json"}));
  EXPECT_TRUE(c.clock_start);
  EXPECT_EQ(c.clock_speed, 60);
  EXPECT_EQ(c.redis_url, "redis://127.0.0.1:6380");
}

TEST_F(ConfigTest, ABadValueNamesTheFileAndJsonPath) {
  auto file = write(R"({"agendas": ["a.json"], "limits": {"ws_queue_messages": -1}})");
  auto loaded = load_config({}, file);
  ASSERT_TRUE(std::holds_alternative<ConfigError>(loaded));
  auto& e = std::get<ConfigError>(loaded);
  EXPECT_EQ(e.json_path, "/limits/ws_queue_messages");
  EXPECT_NE(e.describe().find("default.json: /limits/ws_queue_messages"), std::string::npos);
}

TEST_F(ConfigTest, BrokenJsonAndBadFlagsAreRefused) {
  EXPECT_TRUE(std::holds_alternative<ConfigError>(load_config({}, write("{\"agendas\": ["))));
  auto file = write(R"({"agendas": ["a.json"]})");
  for (auto args : std::vector<std::vector<std::string>>{{"--port", "99999"},
                                                          {"--port"},
                                                          {"--clock-speed", "0"},
                                                          {"--clock-speed", "fast"},
                                                          {"--clock", "yesterday"},
                                                          {"--redis", "http://x"},
                                                          {"--nope"}}) {
    auto loaded = load_config(args, file);
    ASSERT_TRUE(std::holds_alternative<ConfigError>(loaded)) << args[0];
    EXPECT_EQ(std::get<ConfigError>(loaded).json_path, args[0]);
  }
}

TEST_F(ConfigTest, ConnectionLimitsComeFromTheFileTheFlagOrBenchmarkMode) {
  auto file = write(R"({"agendas": ["a.json"],
                        "limits": {"header_timeout_s": 3, "connections_per_address": 50, "ws_idle_timeout_s": 55}})");
  auto from_file = std::get<Config>(load_config({}, file));
  EXPECT_EQ(from_file.header_timeout_s, 3);
  EXPECT_EQ(from_file.ws_idle_timeout_s, 55);
  EXPECT_EQ(from_file.connections_per_address, 50u);
  EXPECT_EQ(std::get<Config>(load_config({"--connections-per-address", "0"}, file)).connections_per_address, 0u);
  // A benchmark's clients all come from one address; an explicit flag still wins.
  EXPECT_EQ(std::get<Config>(load_config({"--bench"}, file)).connections_per_address, 0u);
  EXPECT_EQ(std::get<Config>(load_config({"--bench", "--connections-per-address", "7"}, file)).connections_per_address,
            7u);
  for (auto args : std::vector<std::vector<std::string>>{{"--connections-per-address", "-1"},
                                                          {"--connections-per-address", "many"},
                                                          {"--connections-per-address"}}) {
    auto loaded = load_config(args, file);
    ASSERT_TRUE(std::holds_alternative<ConfigError>(loaded)) << args.size();
  }
  auto zero_timeout = load_config({}, write(R"({"agendas": ["a.json"], "limits": {"header_timeout_s": 0}})"));
  ASSERT_TRUE(std::holds_alternative<ConfigError>(zero_timeout));
  EXPECT_EQ(std::get<ConfigError>(zero_timeout).json_path, "/limits/header_timeout_s");
  // Under three seconds a phone on a slow link would be dropped before its pong arrived.
  auto short_idle = load_config({}, write(R"({"agendas": ["a.json"], "limits": {"ws_idle_timeout_s": 2}})"));
  ASSERT_TRUE(std::holds_alternative<ConfigError>(short_idle));
  EXPECT_EQ(std::get<ConfigError>(short_idle).json_path, "/limits/ws_idle_timeout_s");
}

TEST_F(ConfigTest, TrustedProxiesAreCanonicalAddressesAndTheCommandLineReplacesThem) {
  auto file = write(R"({"agendas": ["a.json"], "trusted_proxies": ["10.0.0.1", "::ffff:10.0.0.2", "2001:DB8::0:1"]})");
  auto loaded = load_config({}, file);
  ASSERT_TRUE(std::holds_alternative<Config>(loaded)) << std::get<ConfigError>(loaded).describe();
  EXPECT_EQ(std::get<Config>(loaded).trusted_proxies, (std::vector<std::string>{"10.0.0.1", "10.0.0.2", "2001:db8::1"}));
  loaded = load_config({"--trusted-proxy", "127.0.0.1"}, file);
  ASSERT_TRUE(std::holds_alternative<Config>(loaded));
  EXPECT_EQ(std::get<Config>(loaded).trusted_proxies, (std::vector<std::string>{"127.0.0.1"}));

  for (const char* bad : {R"(["proxy.local"])", R"(["10.0.0.0/8"])", R"("10.0.0.1")", R"([1])"}) {
    loaded = load_config({}, write(std::string(R"({"agendas": ["a.json"], "trusted_proxies": )") + bad + "}"));
    ASSERT_TRUE(std::holds_alternative<ConfigError>(loaded)) << bad;
    EXPECT_EQ(std::get<ConfigError>(loaded).json_path.rfind("/trusted_proxies", 0), 0u) << bad;
  }
  loaded = load_config({"--trusted-proxy", "localhost"}, write(R"({"agendas": ["a.json"]})"));
  ASSERT_TRUE(std::holds_alternative<ConfigError>(loaded));
  EXPECT_EQ(std::get<ConfigError>(loaded).json_path, "--trusted-proxy");
}

TEST_F(ConfigTest, LogsAndTheMetricsAllowListComeFromTheFileOrTheFlags) {
  auto file = write(R"({"agendas": ["a.json"], "log": {"format": "logfmt", "level": "warn"},
                        "metrics": {"allow": ["10.0.0.0/8", "::1"]}})");
  auto loaded = load_config({}, file);
  ASSERT_TRUE(std::holds_alternative<Config>(loaded)) << std::get<ConfigError>(loaded).describe();
  EXPECT_EQ(std::get<Config>(loaded).log_format, "logfmt");
  EXPECT_EQ(std::get<Config>(loaded).log_level, "warn");
  EXPECT_EQ(std::get<Config>(loaded).metrics_allow, (std::vector<std::string>{"10.0.0.0/8", "::1"}));
  loaded = load_config({"--log-format", "json", "--log-level", "error", "--metrics-allow", "192.168.1.5"}, file);
  ASSERT_TRUE(std::holds_alternative<Config>(loaded));
  EXPECT_EQ(std::get<Config>(loaded).log_format, "json");
  EXPECT_EQ(std::get<Config>(loaded).log_level, "error");
  EXPECT_EQ(std::get<Config>(loaded).metrics_allow, (std::vector<std::string>{"192.168.1.5"}));

  loaded = load_config({}, write(R"({"agendas": ["a.json"], "metrics": {"allow": ["prometheus.local"]}})"));
  ASSERT_TRUE(std::holds_alternative<ConfigError>(loaded));
  EXPECT_EQ(std::get<ConfigError>(loaded).json_path, "/metrics/allow");
  loaded = load_config({"--log-level", "loud"}, write(R"({"agendas": ["a.json"]})"));
  ASSERT_TRUE(std::holds_alternative<ConfigError>(loaded));
  EXPECT_EQ(std::get<ConfigError>(loaded).json_path, "--log-level");
}

TEST_F(ConfigTest, TheShippedDefaultLoads) {
  auto loaded = load_config({}, fs::path(PRAKTIKA_SOURCE_DIR) / "config" / "default.json");
  ASSERT_TRUE(std::holds_alternative<Config>(loaded)) << std::get<ConfigError>(loaded).describe();
  EXPECT_EQ(std::get<Config>(loaded).port, 8080);
}

}  // namespace
}  // namespace praktika::app
