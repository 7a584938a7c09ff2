// Clients that speak to the real server binary in integration tests: HTTP with a cookie jar,
// and a WebSocket that reads on its own thread into a queue. One client per test thread.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace praktika::test {

using namespace std::chrono_literals;

struct HttpResult {
  int status = 0;  // 0: no answer (connection failed)
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  nlohmann::json json() const;  // null when the body is not JSON
  std::string error_code() const;  // error.code of an error body, or ""
};

class HttpClient {
 public:
  explicit HttpClient(int port) : port_(port) {}
  // Sends one request on a fresh connection; remembers cookies the server sets. A state change
  // carries Origin of the server's own site, as a browser's would; a header in `headers` with an
  // empty value is not sent at all (so {"Origin", ""} sends a request that names no page).
  HttpResult request(const std::string& method, const std::string& target, const std::string& body = "",
                     const std::map<std::string, std::string>& headers = {});
  HttpResult get(const std::string& target) { return request("GET", target); }
  HttpResult post(const std::string& target, const nlohmann::json& body,
                  const std::map<std::string, std::string>& headers = {});
  // "name=value; …" of the cookie jar, for a WebSocket upgrade.
  std::string cookie_header() const;
  void forget_cookies() { cookies_.clear(); }

 private:
  int port_;
  std::map<std::string, std::string> cookies_;
};

// One request whose body is sent in pieces on a connection held open in between: an upload under
// way while the test does something else. One thread.
class HeldRequest {
 public:
  // Connects and sends the header, which announces `body_length` bytes. `headers` as given
  // (with the Cookie header for a signed-in person: HttpClient::cookie_header()), and the Origin
  // of the server's own site unless `headers` names one.
  HeldRequest(int port, const std::string& method, const std::string& target, std::uint64_t body_length,
              const std::map<std::string, std::string>& headers);
  ~HeldRequest();
  HeldRequest(const HeldRequest&) = delete;
  HeldRequest& operator=(const HeldRequest&) = delete;
  // Sends more of the body; false when the connection is gone (the server answered early).
  bool send(const std::string& bytes);
  // The server's answer: after the whole body, or the one it gave early.
  HttpResult answer();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class WsClient {
 public:
  struct Options {
    std::string cookie;
    std::string origin;
    // Not reading at all: the server's send queue for us fills up (slow-consumer tests).
    bool read = true;
    int receive_buffer_bytes = 0;  // SO_RCVBUF when > 0
    std::string target = "/ws";    // the upgrade's path and query
  };
  // nullptr when the upgrade is refused; `status` (if given) receives the HTTP status then.
  static std::unique_ptr<WsClient> connect(int port, Options options, int* status = nullptr);
  static std::unique_ptr<WsClient> connect(int port) { return connect(port, Options{}); }
  ~WsClient();

  void send(const nlohmann::json& message);
  void send_raw(const std::string& text);
  // Sends {"op":…, "id":n, …} and waits for the reply with re == n; events arriving meanwhile
  // stay queued for next_event().
  nlohmann::json call(nlohmann::json op, std::chrono::milliseconds timeout = 5s);
  // Waits for the reply with re == `re` without sending anything (a subscribe in the upgrade's URL).
  nlohmann::json reply(const nlohmann::json& re, std::chrono::milliseconds timeout = 5s);
  // The next pushed event (a message with "topic") matching topic/event (empty matches any).
  std::optional<nlohmann::json> next_event(const std::string& topic = "", const std::string& event = "",
                                           std::chrono::milliseconds timeout = 5s);
  // Waits until a "presence" event on `topic` carries `count`.
  bool wait_presence(const std::string& topic, long count, std::chrono::milliseconds timeout = 10s);
  // True once the server has closed the connection (or it broke).
  bool closed(std::chrono::milliseconds wait = 0ms);
  std::optional<int> close_code() const;
  std::size_t received() const;
  // When the server's pings arrived (answered by the client as they came, while it reads).
  std::vector<std::chrono::steady_clock::time_point> pings() const;
  // Starts reading for a client connected with read = false.
  void start_reading();
  void close();

 private:
  struct Impl;
  explicit WsClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  int next_id_ = 1;
};

}  // namespace praktika::test
