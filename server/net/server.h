// The transport: one listener on one port serving HTTP and WebSocket. It owns the acceptor and
// the registry of live connections; it knows HTTP and WebSocket, nothing of conferences.
// Each connection runs on its own strand of the io_context; handlers are called on that strand.
// start() and stop() are called from the thread that owns the server (main).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>
#include <string_view>
#include <variant>

#include "common/status.h"
#include "hub/hub.h"
#include "net/http_types.h"

namespace boost::asio {
class io_context;
class thread_pool;
}

namespace praktika::metrics {
class Writer;
}

namespace praktika::net {

// The listening socket handed over by a service manager under systemd's socket-activation
// protocol (sd_listen_fds(3): LISTEN_PID is this process, LISTEN_FDS=1, the socket is
// descriptor 3): nullopt when none was handed over. Takes the variables out of the environment
// and marks the descriptor close-on-exec, so converters started later inherit neither. An error
// when the hand-over is not one listening TCP socket. For main, once, before any thread starts.
Result<std::optional<int>> inherited_listener();

struct ServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;           // 0: any free port; Server::port() tells which
  // A listening socket the service manager holds across restarts (inherited_listener()); when
  // set, address and port are not used: connections made while the server restarts wait in its
  // queue instead of being refused.
  int listener_fd = -1;
  std::uint64_t body_limit = 1 << 20;  // bytes of a request body the HTTP layer will buffer
  std::filesystem::path body_dir;      // where bodies streamed to files land (same disk as uploads)
  std::uint32_t header_limit = 16 * 1024;
  int request_timeout_s = 30;          // to read one request (headers and body)
  // To read the first request head of a new connection. Shorter than the keep-alive wait: a
  // connection that never says anything holds a descriptor for nothing.
  int header_timeout_s = 10;
  int keep_alive_timeout_s = 60;       // idle keep-alive connection, between requests
  // Connections (HTTP and WebSocket) held at once for one client address; one more is answered
  // 429 and closed at once. 0: no cap.
  std::size_t max_connections_per_address = 1000;
  std::size_t ws_message_limit = 64 * 1024;
  // A WebSocket whose unsent queue passes either bound is cut off: it is not draining, and
  // holding more for it would only cost memory the others need.
  std::size_t ws_queue_messages = 1024;
  std::size_t ws_queue_bytes = 8 << 20;
  int ws_idle_timeout_s = 30;          // pings within a third to a half of it; no pong in time closes
  // Called on a connection's strand when a request body could not be written for lack of space
  // (ENOSPC, EFBIG); must be quick. The application gives back the space it set aside.
  std::function<void()> on_disk_full;
  // Reverse proxies whose X-Forwarded-For is believed (canonical addresses, see
  // net::canonical_address); Request::client_address is resolved through them.
  std::vector<std::string> trusted_proxies;
};

// One live WebSocket as the application sees it. deliver() (from hub::Subscriber) takes a frame
// from any thread: one of a quiet publish goes out at once when nothing waits before it, the rest
// joins the next flush tick; send_text() is for one-off replies and goes out at once.
class WsConnection : public hub::Subscriber {
 public:
  virtual std::uint64_t id() const = 0;
  virtual void send_text(std::string text) = 0;
  // Ends the connection with a close frame carrying `code` (RFC 6455: 1008 for a policy, 4000–4999
  // for the application's own) and `reason`; frames queued before it still go out first.
  virtual void close(std::uint16_t code, std::string reason) = 0;
  virtual std::shared_ptr<WsConnection> shared() = 0;
};

// Application state of one WebSocket, created at the upgrade.
struct WsContext {
  virtual ~WsContext() = default;
  std::int64_t log_user_id = 0;  // the signed-in person, for the connection's log lines; 0: nobody
};

class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  // On the connection's strand, with the request's header only (no body yet). Must be quick.
  virtual BodyPolicy body_policy(const Request& head) { return {}; }
  // On a worker thread (see Server), or on the connection's strand when body_policy said
  // from_memory. Must not throw.
  virtual Response handle(const Request& request) = 0;
};

class WsHandler {
 public:
  virtual ~WsHandler() = default;
  // On the connection's strand, before the handshake: a context to accept, a response to refuse.
  virtual std::variant<std::unique_ptr<WsContext>, Response> accept(const Request& upgrade) = 0;
  // Once, on the strand, right after accept() took it: what it sends here goes out in the same
  // write as the 101 (the replies to subscribes asked for in the upgrade's URL).
  virtual void on_open(WsConnection& connection, WsContext& context) {}
  // Each text message in order, on the connection's strand.
  virtual void on_message(WsConnection& connection, WsContext& context, std::string_view text) = 0;
  // Once, on the strand, when the connection has ended for any reason.
  virtual void on_close(WsConnection& connection, WsContext& context) = 0;
};

// What the transport holds and has turned away, for /api/health.
struct ConnectionStats {
  std::size_t open = 0;                    // TCP connections held now, HTTP and WebSocket
  std::uint64_t refused_descriptors = 0;   // since start: closed at once, the process out of descriptors
  std::uint64_t refused_per_address = 0;   // since start: over max_connections_per_address
  bool refusing = false;                   // one was refused, for either reason, in the last 10 s
  bool out_of_descriptors = false;         // one was refused for want of descriptors in the last 10 s
  std::uint64_t descriptor_limit = 0;      // the process's open-file limit (soft RLIMIT_NOFILE)
  std::size_t per_address_limit = 0;       // max_connections_per_address
};

class Server {
 public:
  // HTTP handlers run on `workers` (they may block on SQLite or argon2); the response is written
  // back on the connection's strand. WebSocket handlers run on the connection's strand.
  Server(boost::asio::io_context& io, boost::asio::thread_pool& workers, ServerOptions options, HttpHandler& http,
         WsHandler& ws);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds (or takes options.listener_fd) and starts accepting. Fails with a Status when the
  // address cannot be bound or the handed-over socket cannot be used.
  Status start();
  std::uint16_t port() const;
  // Stops accepting, closes WebSockets with a going-away close frame and idle HTTP
  // connections; requests in flight finish. The io_context runs out of work afterwards.
  void stop();
  // Any thread, after stop(): every connection has been told to close (each WebSocket's close
  // frame is written, or waits for its full socket) and no HTTP connection is left. What remains
  // are WebSocket close handshakes waiting for their peers, which the owner need not wait for.
  bool only_close_handshakes_left() const;

  std::size_t websocket_count() const;
  // Any thread.
  ConnectionStats connection_stats() const;
  // Any thread: the transport's metrics (HTTP requests by route and status with their latency,
  // connections, WebSocket frames, slow consumers, request bodies streamed to disk).
  void write_metrics(metrics::Writer& out) const;

  struct Impl;  // shared with the sessions, which outlive a stop()

 private:
  Status listen();
  Status adopt_listener();

  std::shared_ptr<Impl> impl_;
};

}  // namespace praktika::net
