// HTTP and WebSocket sessions. The only file besides asio_beast.cpp that includes Beast's
// session headers, so the expensive templates are instantiated once.
#include "net/server.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cassert>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <random>
#include <span>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/detail/hybi13.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "common/errors.h"
#include "net/file_range_body.h"
#include "net/static_files.h"
#include "net/ws_codec.h"
#include "common/mutex.h"
#include "log/log.h"
#include "metrics/metrics.h"

namespace praktika::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::string_view kConnectionLost = "connection_lost";

// What the transport counts. Process-wide (Prometheus scrapes a process), so function-local
// statics rather than members of a Server.
struct NetMetrics {
  metrics::Family<metrics::Counter> requests{{"method", "route", "status"}};
  metrics::Family<metrics::Histogram> durations{{"route"}, metrics::latency_bounds()};
  metrics::Counter response_bytes;
  metrics::Counter ws_accepted;
  metrics::Counter ws_frames_sent;
  metrics::Histogram ws_frames_per_write{{1, 2, 4, 8, 16, 32, 64}};
  metrics::Counter ws_slow_consumers;
  metrics::Family<metrics::Counter> ws_closes{{"reason"}};
  metrics::Gauge uploads_receiving;
  metrics::Counter upload_bytes;
};

NetMetrics& net_metrics() {
  static NetMetrics m;
  return m;
}

// A method as a metric's label: a client may send any token, and each would be a new series.
std::string_view method_label(std::string_view method) {
  for (std::string_view known : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
    if (method == known) return known;
  return "other";
}

// A proxy in front may have named the request already (nginx's $request_id): kept when it is a
// short token, so one id follows the request through both logs.
bool usable_request_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
  return true;
}

// 16 hex digits: a random prefix per process (so two instances' ids differ) and a counter.
std::string new_request_id() {
  static const std::uint32_t prefix = std::random_device{}();
  static std::atomic<std::uint64_t> counter{0};
  const std::uint64_t count = (counter.fetch_add(1, std::memory_order_relaxed) + 1) & 0xffffffffULL;
  const std::uint64_t value = (std::uint64_t{prefix} << 32) | count;
  constexpr char kHex[] = "0123456789abcdef";
  std::string id(16, '0');
  for (int i = 15, shift = 0; i >= 0; --i, shift += 4) id[static_cast<std::size_t>(i)] = kHex[(value >> shift) & 0xf];
  return id;
}

// A request body streamed to a file of its own; removed when the request is done unless the
// handler has moved it away (a rename makes the remove a no-op).
class BodyFile {
 public:
  BodyFile() = default;
  BodyFile(const std::filesystem::path& dir, std::uint64_t connection) {
    static std::atomic<std::uint64_t> counter{0};
    path_ = dir / ("body-" + std::to_string(connection) + "-" + std::to_string(counter.fetch_add(1)));
  }
  BodyFile(BodyFile&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  BodyFile& operator=(BodyFile&& other) noexcept {
    std::swap(path_, other.path_);
    return *this;
  }
  ~BodyFile() {
    if (path_.empty()) return;
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class Closable {
 public:
  virtual ~Closable() = default;
  // Posts onto the connection's strand; ends the connection once what it is doing allows.
  virtual void shutdown() = 0;
};

// A WebSocket session with broadcast frames queued, waiting for the next flush tick.
class Flushable {
 public:
  virtual ~Flushable() = default;
  // Any thread: the session's writer is the caller's (it became due in enqueue); sends what is
  // queued, on this thread when it can and on the session's strand when it cannot.
  virtual void flush() = 0;
};

// A WebSocket as the idle sweep sees it (Server::Impl::sweep_idle): when its client was last
// heard, and a way to prod it. One sweep for the server instead of a timer per connection: an
// idle connection then holds no timer, and the sweep costs a pass over a list once a period.
// The atomics are written on the session's strand and read by the sweep; the links and
// ping_after_ns are guarded by Server::Impl::idle_mutex.
class IdleWatched {
 public:
  virtual ~IdleWatched() = default;
  // Called by the sweep with idle_mutex held: must only post onto the session's strand.
  virtual void on_quiet(bool overdue) = 0;

  std::atomic<std::int64_t> heard_ns{0};          // steady clock: the client's latest bytes
  std::atomic<std::int64_t> closing_since_ns{0};  // a close began (either side); 0: none
  std::atomic<bool> pinged{false};                // a keep-alive ping went out since heard_ns
  std::int64_t ping_after_ns = 0;                 // quiet this long earns a ping; set by watch()
  IdleWatched* idle_prev = nullptr;
  IdleWatched* idle_next = nullptr;
};

// An HTTP connection as the deadline sweep sees it (Server::Impl::sweep_deadlines): the moment
// the read or write it waits on must have ended by. One sweep for the server instead of a timer
// armed and cancelled around every read and every write of every request (Beast's tcp_stream did
// that: two timer waits started and cancelled per keep-alive request). The atomic is written on
// the connection's strand and read by the sweep.
class Timed {
 public:
  virtual ~Timed() = default;
  // Called by the sweep with timed_mutex held, `deadline` the value it found passed: must only
  // post onto the connection's strand.
  virtual void on_deadline(std::int64_t deadline) = 0;

  std::atomic<std::int64_t> deadline_ns{0};  // steady clock; 0: nothing is timed now
};

std::string transport_error(std::string_view code, std::string_view message) {
  return std::string(R"({"error":{"code":")") + std::string(code) + R"(","message":")" + std::string(message) +
         R"("}})";
}

// An HTTP/1.x response head as Beast would write it for these fields: the status line, the
// fields, Content-Length (none for 1xx, 204 and 304), and the Connection field keep-alive needs
// for this version.
void append_decimal(std::string& out, std::uint64_t value) {
  char digits[20];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, static_cast<std::size_t>(end - digits));
}

// Every piece is appended with its length known (a string_view, not a C string to measure): the
// head is rendered for every answer.
void render_head(int status, const Headers& fields, const Headers* shared_fields, unsigned version, bool keep_alive,
                 std::uint64_t length, std::string& out) {
  using namespace std::string_view_literals;
  out.clear();
  out += version == 10 ? "HTTP/1.0 "sv : "HTTP/1.1 "sv;
  append_decimal(out, static_cast<std::uint64_t>(status));
  out += ' ';
  const auto reason = http::obsolete_reason(static_cast<http::status>(status));
  out.append(reason.data(), reason.size());
  out += "\r\n"sv;
  const auto append = [&out](const Headers& list) {
    for (const auto& [name, value] : list) {
      out += name;
      out += ": "sv;
      out += value;
      out += "\r\n"sv;
    }
  };
  append(fields);
  if (shared_fields) append(*shared_fields);
  if (status >= 200 && status != 204 && status != 304) {
    out += "Content-Length: "sv;
    append_decimal(out, length);
    out += "\r\n"sv;
  }
  if (version == 10 && keep_alive) out += "Connection: keep-alive\r\n"sv;
  if (version != 10 && !keep_alive) out += "Connection: close\r\n"sv;
  out += "\r\n"sv;
}

// A whole response for a connection refused as soon as it is accepted, before its request is read.
std::string refusal_response(int status, std::string_view code, std::string_view message) {
  std::string body = transport_error(code, message);
  std::string out;
  render_head(status,
              {{"Content-Type", "application/json; charset=utf-8"}, {"Retry-After", "5"}, {"Server", "praktika"}},
              nullptr, 11, false, body.size(), out);
  return out + body;
}

// Answers a connection just accepted with `response` and closes it, without waiting for
// anything: the answer fits an empty send buffer. What the client already sent is read and
// dropped first, because closing with unread bytes resets the connection and its client would
// lose the answer.
void answer_and_close(int fd, std::string_view response) {
  [[maybe_unused]] auto sent = ::send(fd, response.data(), response.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  ::shutdown(fd, SHUT_WR);
  char sink[4096];
  for (int i = 0; i < 16 && ::recv(fd, sink, sizeof sink, MSG_DONTWAIT) > 0; ++i) {
  }
  ::close(fd);
}

// The peer of a connection as every request on it needs it, worked out once per connection.
struct Peer {
  std::string address;  // canonical_address() of what accept() gave
  bool trusted_proxy;   // one of the trusted proxies: its requests name the person in X-Forwarded-For
};

Peer peer_of(const tcp::endpoint& remote, const std::vector<std::string>& trusted_proxies) {
  std::string text = remote.address().to_string();
  std::string address = canonical_address(text).value_or(std::move(text));
  const bool trusted = std::find(trusted_proxies.begin(), trusted_proxies.end(), address) != trusted_proxies.end();
  return {std::move(address), trusted};
}

// Everything but the body, which the session fills in once it knows where the body goes.
Request to_request(const http::request<http::string_body>& req, const Peer& peer,
                   const std::vector<std::string>& trusted_proxies) {
  Request out;
  out.method = std::string(req.method_string());
  out.target = std::string(req.target());
  std::string_view target = req.target();
  size_t q = target.find('?');
  auto decoded = percent_decode(target.substr(0, q), false);
  // A malformed escape keeps the raw text: routes then simply do not match it.
  out.path = decoded ? *decoded : std::string(target.substr(0, q));
  if (q != std::string_view::npos) out.query = std::string(target.substr(q + 1));
  out.headers.reserve(16);
  for (const auto& field : req) {
    std::string name(field.name_string());
    // Field names are tokens (ASCII): no locale is consulted.
    for (auto& c : name)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    out.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  out.remote_address = peer.address;
  // Only a trusted proxy's requests can name someone else.
  out.client_address = peer.trusted_proxy ? resolve_client_address(out, trusted_proxies) : peer.address;
  return out;
}

template <class Body>
void copy_headers(http::response<Body>& res, const Response& from) {
  for (const auto& [name, value] : from.headers) res.set(name, value);
  if (from.shared_headers)
    for (const auto& [name, value] : *from.shared_headers) res.set(name, value);
}

}  // namespace

struct Server::Impl : std::enable_shared_from_this<Server::Impl> {
  Impl(asio::io_context& io, asio::thread_pool& workers, ServerOptions options, HttpHandler& http, WsHandler& ws)
      : io(io),
        workers(workers),
        options(std::move(options)),
        http_handler(http),
        ws_handler(ws),
        acceptor(asio::make_strand(io)) {}
  ~Impl() {
    if (spare_fd >= 0) ::close(spare_fd);
  }

  // Constant after construction.
  asio::io_context& io;
  asio::thread_pool& workers;
  const ServerOptions options;
  HttpHandler& http_handler;
  WsHandler& ws_handler;
  BodyFiles body_files;  // large shared bodies, to send with sendfile()

  // Only on the acceptor's strand (and start(), before any handler runs).
  tcp::acceptor acceptor;
  std::uint16_t bound_port = 0;

  std::atomic<bool> stopping{false};
  // Set by a handler stop() posts behind the closes it posted: by then (on one thread; within a
  // handler's time on several) every WebSocket has written its close frame or waits to.
  std::atomic<bool> closes_posted{false};
  std::atomic<std::size_t> websockets{0};
  std::atomic<std::uint64_t> next_id{1};

  // Out of descriptors, accept() fails at once for as long as a connection waits in the backlog:
  // retried at once, the loop spins a core and the client hangs. The loop then waits this long
  // between attempts, and first uses the spare descriptor to take the waiting connections and
  // close them with a 503, so their clients learn now instead of timing out.
  static constexpr auto kDescriptorBackoff = std::chrono::milliseconds(100);
  static constexpr int kShedPerRound = 64;
  // How long after a refusal the health report still says the server is refusing.
  static constexpr auto kRefusingWindow = std::chrono::seconds(10);
  // Only on the acceptor's strand.
  int spare_fd = -1;  // /dev/null, given back for a moment to accept a connection we must refuse
  asio::steady_timer backoff{acceptor.get_executor()};

  // Connections held now, in all and per client address. Guarded by slots_mutex.
  Mutex slots_mutex;
  std::unordered_map<asio::ip::address, std::size_t> per_address GUARDED_BY(slots_mutex);
  std::size_t open_connections GUARDED_BY(slots_mutex) = 0;
  // Refusals since start; the steady-clock instants (ns) of the latest ones, 0 for none.
  std::atomic<std::uint64_t> refused_descriptors{0};
  std::atomic<std::uint64_t> refused_per_address{0};
  std::atomic<std::int64_t> last_refusal_ns{0};
  std::atomic<std::int64_t> last_descriptor_refusal_ns{0};

  static std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }

  // Counts a new connection against its address: false (and nothing counted) when the address
  // holds its share already.
  bool admit(const asio::ip::address& address) {
    {
      MutexLock lock(slots_mutex);
      auto& held = per_address[address];
      if (options.max_connections_per_address == 0 || held < options.max_connections_per_address) {
        ++held;
        ++open_connections;
        return true;
      }
    }
    refused_per_address.fetch_add(1);
    last_refusal_ns = now_ns();
    return false;
  }
  void release(const asio::ip::address& address) {
    MutexLock lock(slots_mutex);
    auto it = per_address.find(address);
    if (it != per_address.end() && --it->second == 0) per_address.erase(it);
    --open_connections;
  }

  // Only on the acceptor's strand, after accept() found no descriptor for a waiting connection.
  void shed_waiting_connections() {
    static const std::string busy = refusal_response(
        503, "server_busy", "Сервер перегружен: слишком много соединений. Попробуйте через несколько секунд.");
    beast::error_code ignored;
    acceptor.non_blocking(true, ignored);
    for (int i = 0; i < kShedPerRound; ++i) {
      if (spare_fd < 0) spare_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
      if (spare_fd < 0) return;  // another thread took the descriptor meanwhile: the next round
      ::close(spare_fd);
      int fd = ::accept4(acceptor.native_handle(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
      spare_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
      if (fd < 0) return;  // nothing waits any more (EAGAIN), or no descriptor even so
      answer_and_close(fd, busy);
      refused_descriptors.fetch_add(1);
      last_descriptor_refusal_ns = last_refusal_ns = now_ns();
    }
  }

  // The frames of a burst (hub::Pace; a quiet publish is written at once, WsSession::deliver)
  // wait up to one flush tick before their sessions write them. A burst of
  // events to a large topic then leaves several frames in each connection's queue, and they go
  // out in one gathered sendmsg() instead of one per event: without the tick, the writes of one
  // event were all posted before the next event was even read, so nothing ever piled up and the
  // per-send cost capped the fan-out. One tick is imperceptible to a viewer.
  static constexpr auto kFlushTick = std::chrono::milliseconds(1);
  // The due sessions are started this many at a time, the rest behind one more post. Handlers
  // run in the order they are posted: starting all 10 000 writers of a large topic at once would
  // put the publisher's next message behind every one of them, so each sweep would carry exactly
  // one event however many were waiting. In slices, the next events are read during the sweep and
  // join the queues of the sessions not yet started, which then write them together.
  static constexpr std::size_t kFlushSlice = 64;
  Mutex flush_mutex;
  std::vector<std::shared_ptr<Flushable>> flush_due GUARDED_BY(flush_mutex);
  // A tick is pending or a sweep runs. Written under flush_mutex; read without it by deliver(),
  // which then queues a quiet publish's frames too, to be written with the sweep's.
  std::atomic<bool> flush_armed{false};
  asio::strand<asio::io_context::executor_type> flush_strand{asio::make_strand(io)};
  asio::steady_timer flush_timer{flush_strand};                // only on flush_strand
  std::vector<std::shared_ptr<Flushable>> sweeping;            // only on flush_strand
  std::size_t swept = 0;                                       // only on flush_strand

  void schedule_flush(std::shared_ptr<Flushable> session) {
    bool arm = false;
    {
      MutexLock lock(flush_mutex);
      flush_due.push_back(std::move(session));
      arm = !flush_armed;
      flush_armed = true;
    }
    if (!arm) return;
    asio::post(flush_strand, [self = shared_from_this()] { self->arm_flush_timer(); });
  }

  // Only on flush_strand.
  void arm_flush_timer() {
    flush_timer.expires_after(kFlushTick);
    flush_timer.async_wait([self = shared_from_this()](beast::error_code) { self->sweep_slice(); });
  }

  // Only on flush_strand. One sweep at a time: flush_armed stays set until it ends, and what
  // became due meanwhile waits for the next tick.
  void sweep_slice() {
    if (sweeping.empty()) {
      MutexLock lock(flush_mutex);
      sweeping.swap(flush_due);
      swept = 0;
      if (sweeping.empty()) {
        flush_armed = false;
        return;
      }
    }
    const std::size_t end = std::min(sweeping.size(), swept + kFlushSlice);
    for (; swept < end; ++swept) std::exchange(sweeping[swept], nullptr)->flush();
    if (swept < sweeping.size()) {
      asio::post(flush_strand, [self = shared_from_this()] { self->sweep_slice(); });
      return;
    }
    sweeping.clear();
    bool more;
    {
      MutexLock lock(flush_mutex);
      more = !flush_due.empty();
      flush_armed = more;
    }
    if (more) arm_flush_timer();
  }

  // The idle sweep over every WebSocket (IdleWatched): a connection quiet for a third to a half
  // of the idle timeout gets a ping, one quiet for all of it is dropped, and one whose close
  // handshake has not ended in kCloseTimeout is dropped too. Armed while any WebSocket lives, so
  // a stopped server's io_context still runs out of work.
  static constexpr auto kCloseTimeout = std::chrono::seconds(5);
  Mutex idle_mutex;
  IdleWatched* idle_head GUARDED_BY(idle_mutex) = nullptr;
  bool idle_armed GUARDED_BY(idle_mutex) = false;
  std::uint64_t watched_count GUARDED_BY(idle_mutex) = 0;  // WebSockets ever watched
  asio::steady_timer idle_timer{flush_strand};  // only on flush_strand

  // When the n-th watched connection is pinged: at a quiet of half the idle timeout less a share
  // of its sixth, the share n × the golden ratio's fraction, mod 1. Connections made together (a
  // storm of reconnects after a restart, a shared link) would otherwise all be pinged by one sweep
  // and answer at once; with this sequence any run of consecutive ones lands evenly over the
  // window, as HAProxy's spread-checks does for its health checks. The pong still has at least
  // half the timeout to come back.
  std::int64_t ping_after_ns(std::uint64_t n) const {
    const std::int64_t idle = std::chrono::nanoseconds(std::chrono::seconds(options.ws_idle_timeout_s)).count();
    const double share = std::fmod(static_cast<double>(n) * 0.6180339887498949, 1.0);
    return idle / 2 - static_cast<std::int64_t>(share * static_cast<double>(idle / 6));
  }

  void watch(IdleWatched* w) {
    bool arm;
    {
      MutexLock lock(idle_mutex);
      w->ping_after_ns = ping_after_ns(watched_count++);
      w->idle_next = idle_head;
      if (idle_head) idle_head->idle_prev = w;
      idle_head = w;
      arm = !idle_armed;
      idle_armed = true;
    }
    if (arm) asio::post(flush_strand, [self = shared_from_this()] { self->arm_idle_sweep(); });
  }
  void unwatch(IdleWatched* w) {
    bool last;
    {
      MutexLock lock(idle_mutex);
      if (w->idle_prev) w->idle_prev->idle_next = w->idle_next;
      else if (idle_head == w) idle_head = w->idle_next;
      if (w->idle_next) w->idle_next->idle_prev = w->idle_prev;
      w->idle_prev = w->idle_next = nullptr;
      last = idle_head == nullptr;
    }
    // Stopping, the last WebSocket gone: the sweep ends now rather than at its next tick, so the
    // io_context runs out of work as soon as the connections are closed.
    if (last && stopping)
      asio::post(flush_strand, [self = shared_from_this()] { self->idle_timer.cancel(); });
  }

  // A quarter of the idle timeout, within 100 ms – 1 s: a ping or a drop comes at most that late.
  std::chrono::milliseconds idle_sweep_period() const {
    return std::chrono::milliseconds(std::clamp<std::int64_t>(options.ws_idle_timeout_s * 250, 100, 1000));
  }
  // Only on flush_strand.
  void arm_idle_sweep() {
    idle_timer.expires_after(idle_sweep_period());
    idle_timer.async_wait([self = shared_from_this()](beast::error_code) { self->sweep_idle(); });
  }
  void sweep_idle() {
    const std::int64_t now = now_ns();
    const std::int64_t idle = std::chrono::nanoseconds(std::chrono::seconds(options.ws_idle_timeout_s)).count();
    const std::int64_t close_limit = std::chrono::nanoseconds(kCloseTimeout).count();
    {
      MutexLock lock(idle_mutex);
      if (!idle_head) {
        idle_armed = false;
        return;
      }
      for (IdleWatched* w = idle_head; w; w = w->idle_next) {
        const std::int64_t closing = w->closing_since_ns.load(std::memory_order_relaxed);
        const std::int64_t quiet = now - w->heard_ns.load(std::memory_order_relaxed);
        if (quiet >= idle || (closing != 0 && now - closing >= close_limit))
          w->on_quiet(true);
        else if (quiet >= w->ping_after_ns && !w->pinged.exchange(true, std::memory_order_relaxed))
          w->on_quiet(false);
      }
    }
    arm_idle_sweep();
  }

  // The deadline sweep over every HTTP connection (Timed), every kDeadlineSweep: a read or a
  // write ends at most that much after its deadline. Armed while any HTTP connection lives.
  static constexpr auto kDeadlineSweep = std::chrono::milliseconds(250);
  Mutex timed_mutex;
  std::unordered_set<Timed*> timed GUARDED_BY(timed_mutex);
  bool timed_armed GUARDED_BY(timed_mutex) = false;
  asio::steady_timer deadline_timer{flush_strand};  // only on flush_strand

  void time(Timed* t) {
    bool arm;
    {
      MutexLock lock(timed_mutex);
      timed.insert(t);
      arm = !timed_armed;
      timed_armed = true;
    }
    if (arm) asio::post(flush_strand, [self = shared_from_this()] { self->arm_deadline_sweep(); });
  }
  void untime(Timed* t) {
    bool last;
    {
      MutexLock lock(timed_mutex);
      timed.erase(t);
      last = timed.empty();
    }
    // As for the idle sweep: a stopping server's io_context runs out of work without waiting a tick.
    if (last && stopping)
      asio::post(flush_strand, [self = shared_from_this()] { self->deadline_timer.cancel(); });
  }
  // Only on flush_strand.
  void arm_deadline_sweep() {
    deadline_timer.expires_after(kDeadlineSweep);
    deadline_timer.async_wait([self = shared_from_this()](beast::error_code) { self->sweep_deadlines(); });
  }
  void sweep_deadlines() {
    const std::int64_t now = now_ns();
    {
      MutexLock lock(timed_mutex);
      if (timed.empty()) {
        timed_armed = false;
        return;
      }
      for (Timed* t : timed) {
        const std::int64_t deadline = t->deadline_ns.load(std::memory_order_relaxed);
        if (deadline != 0 && now >= deadline) t->on_deadline(deadline);
      }
    }
    arm_deadline_sweep();
  }

  // Every live connection, so stop() can reach it. Guarded by live_mutex.
  Mutex live_mutex;
  std::unordered_map<std::uint64_t, std::weak_ptr<Closable>> live GUARDED_BY(live_mutex);

  void add_live(std::uint64_t id, std::weak_ptr<Closable> c) {
    MutexLock lock(live_mutex);
    live.emplace(id, std::move(c));
  }
  void remove_live(std::uint64_t id) {
    MutexLock lock(live_mutex);
    live.erase(id);
  }

  asio::awaitable<void> accept_loop();
};

namespace {

// One accepted connection counted against its client's address (Server::Impl::admit), released
// when the connection ends: held by the HTTP session, then by the WebSocket that takes its socket.
class ConnectionSlot {
 public:
  ConnectionSlot(std::shared_ptr<Server::Impl> server, asio::ip::address address)
      : server_(std::move(server)), address_(std::move(address)) {}
  ConnectionSlot(ConnectionSlot&& other) noexcept = default;
  ConnectionSlot& operator=(ConnectionSlot&&) = delete;
  ~ConnectionSlot() {
    if (server_) server_->release(address_);
  }

 private:
  std::shared_ptr<Server::Impl> server_;  // null once moved from
  asio::ip::address address_;
};

// Where recv() puts a WebSocket's bytes for the parser: one buffer per I/O thread, shared by
// every connection on it, so an idle connection owns no read buffer. Frames are parsed straight
// out of it; only a message split across reads is copied out (ws::Parser).
std::span<char> read_scratch() {
  thread_local std::array<char, 16 * 1024> scratch;
  return scratch;
}

// One WebSocket after its handshake (HttpSession::upgrade answers it): the socket, the frame
// parser and the send queue. RFC 6455 framing is net/ws_codec's; the session reads, writes and
// runs the close handshake. Everything but the queue runs on the socket's strand.
class WsSession final : public WsConnection,
                        public Closable,
                        public Flushable,
                        public IdleWatched,
                        public std::enable_shared_from_this<WsSession> {
 public:
  // A batch is what one sendmsg() carries: bounded so one connection's backlog cannot hold the
  // thread for long, and so the iovec array lives on the stack.
  static constexpr std::size_t kBatchFrames = 64;
  static constexpr std::size_t kBatchBytes = 256 * 1024;
  // Batches written per turn on the strand before the others on this thread get theirs.
  static constexpr int kBatchesPerTurn = 8;

  WsSession(tcp::socket&& socket, ConnectionSlot slot, std::shared_ptr<Server::Impl> server,
            std::unique_ptr<WsContext> context, std::uint64_t id)
      : socket_(std::move(socket)),
        parser_(server->options.ws_message_limit),
        server_(std::move(server)),
        context_(std::move(context)),
        id_(id),
        slot_(std::move(slot)) {}

  ~WsSession() override {
    if (watched_) server_->unwatch(this);
  }

  // On the strand, right after the upgrade was accepted. `handshake`: the 101 response, the first
  // bytes the writer sends; `early`: bytes the client sent after its request, read with it.
  void start(std::string handshake, std::string early, std::string_view request_id) {
    opened_ = std::chrono::steady_clock::now();
    net_metrics().ws_accepted.inc();
    {
      log::Record line(log::Level::info, "ws.open");
      line.num("connection", id_).str("request_id", request_id);
      if (context_->log_user_id) line.num("user", context_->log_user_id);
    }
    accepted_ = true;
    server_->websockets.fetch_add(1);
    server_->add_live(id_, weak_from_this());
    heard();
    server_->watch(this);
    watched_ = true;
    {
      MutexLock lock(queue_mutex_);
      control_next_ = std::move(handshake);
    }
    server_->ws_handler.on_open(*this, *context_);
    kick_writer();
    if (server_->stopping) shutdown();
    if (!early.empty() && !consume(std::span<char>(early.data(), early.size()))) return;
    receive();
  }

  std::uint64_t id() const override { return id_; }
  std::shared_ptr<WsConnection> shared() override { return shared_from_this(); }

  // The hot path of a broadcast. A quiet publish (hub::Pace) while no sweep is due is written
  // straight away, as a loop of send() would: nothing is coming to write it with, and the tick
  // would only add its wait. Otherwise one shared_ptr copy is appended under the lock, and when the
  // writer is not already running or due, the session joins the next flush tick.
  void deliver(const hub::Frame& frame, hub::Pace pace) override {
    if (pace == hub::Pace::quiet && !server_->flush_armed.load(std::memory_order_relaxed) && write_at_once(frame))
      return;
    enqueue(frame, /*at_once=*/false);
  }

  // A reply to this connection's own request goes out at once.
  void send_text(std::string text) override {
    const hub::Frame frame = hub::encode_text_frame(text);
    if (!write_at_once(frame)) enqueue(frame, /*at_once=*/true);
  }

  // The flush sweep's or a reply's: most often the queue is a few frames and the socket takes them
  // whole, so they go out from this thread with no post and no turn on the strand.
  void flush() override {
    if (write_queue_here()) return;
    asio::post(socket_.get_executor(), [self = shared_from_this()] { self->pump(); });
  }

  void close(std::uint16_t code, std::string reason) override { close_with(code, std::move(reason)); }

  void shutdown() override { close_with(ws::close_code::going_away, "server shutting down"); }

  void on_quiet(bool overdue) override {
    auto self = weak_from_this().lock();
    if (!self) return;  // being destroyed: it leaves the sweep's list in its destructor
    asio::post(socket_.get_executor(), [self = std::move(self), overdue] {
      if (overdue)
        self->time_out();
      else
        self->send_control(ws::encode_control(ws::Opcode::ping, {}));
    });
  }

 private:
  void enqueue(const hub::Frame& frame, bool at_once) {
    bool start_writer = false;
    {
      MutexLock lock(queue_mutex_);
      if (dead_ || sealed_) return;
      const auto& o = server_->options;
      if (queue_.size() >= o.ws_queue_messages || queued_bytes_ + frame->size() > o.ws_queue_bytes) {
        dead_ = true;
        queue_.clear();
        queued_bytes_ = 0;
        net_metrics().ws_slow_consumers.inc();
        asio::post(socket_.get_executor(), [self = shared_from_this()] {
          self->ended_as("slow_consumer", 0, "send queue full");
          self->abort();
        });
        return;
      }
      queue_.push_back(frame);
      queued_bytes_ += frame->size();
      if (!writing_) start_writer = writing_ = true;
    }
    if (!start_writer) return;
    if (at_once)
      flush();
    else
      server_->schedule_flush(shared_from_this());
  }

  void close_with(std::uint16_t code, std::string reason) {
    asio::post(socket_.get_executor(), [self = shared_from_this(), code, reason = std::move(reason)] {
      self->close_now(code, reason);
    });
  }

  // Only on the strand. Frames queued before the close still go out first (a reply explaining
  // the close, say); nothing queued after it does. Reading goes on until the client's close.
  void close_now(std::uint16_t code, std::string_view reason) {
    if (closing_ || finished_) return;
    ended_as("server_closed", code, std::string(reason));
    begin_close(code, reason);
  }

  // Seals the queue and has the writer send the close frame once the queue has drained.
  void begin_close(std::uint16_t code, std::string_view reason) {
    closing_ = true;
    closing_since_ns.store(Server::Impl::now_ns(), std::memory_order_relaxed);
    {
      MutexLock lock(queue_mutex_);
      sealed_ = true;
    }
    ending().close_frame = code == ws::close_code::no_status ? ws::encode_control(ws::Opcode::close, {})
                                                            : ws::encode_close(code, reason);
    kick_writer();
  }

  // --- reading ---------------------------------------------------------------------------------

  // Asio's own receive, not a wait and a recv() of ours: its reactor remembers a readiness that
  // came while nothing waited (epoll is edge-triggered), so no message is ever left unnoticed.
  // What lands in landing_ first is most messages whole (a subscribe is 60–90 bytes): then
  // one recv() per message and no second one to find the socket empty.
  void receive() {
    socket_.async_receive(asio::buffer(landing_), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
      self->on_received(ec, n);
    });
  }

  void on_received(beast::error_code ec, std::size_t n) {
    if (finished_) return;
    if (ec) {
      ended_as("connection_lost", 0, ec == asio::error::eof ? "the client went away" : ec.message());
      abort();
      return;
    }
    heard();
    std::span<char> scratch = read_scratch();
    std::memcpy(scratch.data(), landing_.data(), n);
    if (n == landing_.size()) {
      ssize_t more = ::recv(socket_.native_handle(), scratch.data() + n, scratch.size() - n, MSG_DONTWAIT);
      if (more > 0) n += static_cast<std::size_t>(more);
      // An end or an error shows again at the next receive, after these bytes are handled.
    }
    if (consume(scratch.first(n))) receive();
  }

  // Records that the client spoke: the idle sweep counts quiet time from here.
  void heard() {
    heard_ns.store(Server::Impl::now_ns(), std::memory_order_relaxed);
    pinged.store(false, std::memory_order_relaxed);
  }

  // Acts on the events in `input`. False when reading is over (the connection ended or closes).
  bool consume(std::span<char> input) {
    for (;;) {
      if (finished_) return false;
      ws::Event event = parser_.next(input);
      switch (event.kind) {
        case ws::Event::Kind::none:
          return true;
        case ws::Event::Kind::message:
          if (!closing_) server_->ws_handler.on_message(*this, *context_, event.payload);
          break;
        case ws::Event::Kind::ping:
          send_control(ws::encode_control(ws::Opcode::pong, event.payload));
          break;
        case ws::Event::Kind::pong:
          break;
        case ws::Event::Kind::close:
          on_client_close(event.code, event.payload);
          return false;
        case ws::Event::Kind::too_big:
          // The rest of the message is read and dropped while the close handshake runs, so the
          // client learns why instead of meeting a reset.
          close_now(ws::close_code::too_big, "message too big");
          break;
        case ws::Event::Kind::protocol_error:
        case ws::Event::Kind::bad_payload:
          fail_protocol(event.kind == ws::Event::Kind::bad_payload ? ws::close_code::bad_payload
                                                                   : ws::close_code::protocol_error);
          return false;
      }
    }
  }

  // The client's close frame: answered (echoing its code) unless ours went first; then the TCP
  // connection ends once the answer is out.
  void on_client_close(std::uint16_t code, std::string_view reason) {
    ended_as("client_closed", code == ws::close_code::no_status ? 0 : code, std::string(reason));
    teardown_after_close_ = true;
    if (close_sent_) {
      teardown();
      return;
    }
    if (!closing_) begin_close(code, {});
  }

  // A frame no client may send: close with `code` and end without waiting for an answer.
  void fail_protocol(std::uint16_t code) {
    ended_as("connection_lost", code, code == ws::close_code::bad_payload ? "text that is not UTF-8" : "protocol error");
    teardown_after_close_ = true;
    if (close_sent_) {
      teardown();
      return;
    }
    if (!closing_) begin_close(code, {});
  }

  // From the sweep: quiet past the idle timeout, or a close handshake that did not end in time.
  void time_out() {
    if (finished_) return;
    const auto quiet = Server::Impl::now_ns() - heard_ns.load(std::memory_order_relaxed);
    if (!closing_ && quiet < std::chrono::nanoseconds(std::chrono::seconds(server_->options.ws_idle_timeout_s)).count())
      return;  // heard from since the sweep looked
    ended_as("idle_timeout", 0, closing_ ? "no close in time" : "no pong in time");
    abort();
  }

  // --- writing ---------------------------------------------------------------------------------

  // A ping or a pong: goes out between two batches of frames, never after our close frame.
  void send_control(std::string frame) {
    if (finished_ || closing_) return;
    {
      MutexLock lock(queue_mutex_);
      control_next_ += frame;
    }
    kick_writer();
  }

  // From any thread: writes `frame` to the socket when nothing waits before it (no queue, no
  // writer running or due), without touching the queue unless the socket takes only part of it;
  // then the rest is queued and the strand's writer goes on after the bytes sent. False when
  // something waits before it: the caller queues it behind. As in write_queue_here(), the socket
  // is written under queue_mutex_, so its descriptor cannot be closed meanwhile.
  bool write_at_once(const hub::Frame& frame) {
    MutexLock lock(queue_mutex_);
    if (dead_ || sealed_ || writing_ || !queue_.empty() || !control_next_.empty()) return false;
    const std::string_view wire = frame->wire();
    const ssize_t n = ::send(socket_.native_handle(), wire.data(), wire.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n == static_cast<ssize_t>(wire.size())) {
      count_sent(1);
      return true;
    }
    queue_.push_back(frame);
    queued_bytes_ += wire.size();
    if (n > 0) queue_sent_ = static_cast<std::size_t>(n);
    writing_ = true;  // the writer finds the socket full, or the error, and acts on it
    asio::post(socket_.get_executor(), [self = shared_from_this()] { self->pump(); });
    return true;
  }

  // The writer from the thread that was given it (flush()): writes the queue with one sendmsg()
  // when the queue is the whole of what is due and fits one batch. True when all of it went out
  // and the writer is free again; false hands the writer to the strand, which goes on after the
  // bytes this wrote (queue_sent_). The socket is written under queue_mutex_, which the strand
  // takes before it closes the socket (cut_off), so its descriptor cannot be closed meanwhile.
  bool write_queue_here() {
    MutexLock lock(queue_mutex_);
    if (dead_ || sealed_ || !control_next_.empty() || queue_.empty() || queue_.size() > kBatchFrames ||
        queued_bytes_ > kBatchBytes)
      return false;
    iovec iov[kBatchFrames];
    for (std::size_t i = 0; i < queue_.size(); ++i) {
      const std::string_view wire = queue_[i]->wire();
      iov[i] = {const_cast<char*>(wire.data()), wire.size()};
    }
    msghdr message{};
    message.msg_iov = iov;
    message.msg_iovlen = queue_.size();
    const ssize_t n = ::sendmsg(socket_.native_handle(), &message, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n != static_cast<ssize_t>(queued_bytes_)) {
      if (n > 0) queue_sent_ = static_cast<std::size_t>(n);
      return false;  // the strand's writer finds the socket full, or the error, and acts on it
    }
    count_sent(queue_.size());
    queue_.clear();
    queued_bytes_ = 0;
    writing_ = false;
    return true;
  }

  void count_sent(std::size_t frames) REQUIRES(queue_mutex_) {
    // Per write, not per frame: how many frames one sendmsg() carried.
    net_metrics().ws_frames_sent.inc(frames);
    net_metrics().ws_frames_per_write.observe(static_cast<double>(frames));
    frames_sent_ += frames;
  }

  // On the strand: starts the writer unless it runs, is posted or is due at the next flush tick
  // (then it takes control_next_ and the close frame on its way).
  void kick_writer() {
    {
      MutexLock lock(queue_mutex_);
      if (writing_) return;
      writing_ = true;
    }
    pump();
  }

  // The writer. Runs on the strand while writing_ is set; takes what deliver() queued in
  // batches and writes each batch with one sendmsg() straight to the socket.
  void pump() {
    if (finished_ || awaiting_socket_) return;
    for (int turn = 0; turn < kBatchesPerTurn; ++turn) {
      if (!take_batch()) return;
      if (!write_batch()) return;  // waits for the socket, or the connection ended
    }
    asio::post(socket_.get_executor(), [self = shared_from_this()] { self->pump(); });
  }

  // Moves up to one batch from queue_ (after any control frame waiting) to in_flight_; once the
  // queue is sealed and empty, the close frame. False (and the writer stops) when nothing is left.
  bool take_batch() {
    MutexLock lock(queue_mutex_);
    const bool closing_now = sealed_ && queue_.empty() && ending_ && !ending_->close_frame.empty();
    if (dead_ || (queue_.empty() && control_next_.empty() && !closing_now)) {
      writing_ = false;
      return false;
    }
    // Bytes of the queue's first frames already sent (write_queue_here) go on first: a ping waits.
    sent_ = std::exchange(queue_sent_, 0);
    if (sent_ == 0) {
      control_in_flight_.swap(control_next_);
      control_next_.clear();
    }
    if (closing_now) {
      control_in_flight_ += ending_->close_frame;
      std::string().swap(ending_->close_frame);
      close_in_flight_ = true;
    }
    std::size_t n = 0, bytes = 0;
    while (n < queue_.size() && n < kBatchFrames && (n == 0 || bytes + queue_[n]->size() <= kBatchBytes))
      bytes += queue_[n++]->size();
    if (n > 0) count_sent(n);
    if (n == queue_.size()) {
      in_flight_.swap(queue_);  // in_flight_ was empty: the two vectors trade their capacity
    } else {
      in_flight_.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.begin() + n));
      queue_.erase(queue_.begin(), queue_.begin() + n);
    }
    queued_bytes_ -= bytes;
    return true;
  }

  // Writes what is left of the batch (control bytes, then in_flight_) without blocking. True when
  // all of it is on the wire.
  bool write_batch() {
    for (;;) {
      iovec iov[kBatchFrames + 1];
      std::size_t count = 0, skip = sent_;
      const auto add = [&](std::string_view wire) {
        if (skip >= wire.size()) {
          skip -= wire.size();
          return;
        }
        iov[count++] = {const_cast<char*>(wire.data() + skip), wire.size() - skip};
        skip = 0;
      };
      add(control_in_flight_);
      for (const auto& frame : in_flight_) add(frame->wire());
      if (count == 0) return end_batch();
      msghdr message{};
      message.msg_iov = iov;
      message.msg_iovlen = count;
      ssize_t n = ::sendmsg(socket_.native_handle(), &message, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n >= 0) {
        sent_ += static_cast<std::size_t>(n);
        continue;
      }
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        await_writable();
        return false;
      }
      ended_as("connection_lost", 0, std::strerror(errno));
      abort();
      return false;
    }
  }

  void await_writable() {
    awaiting_socket_ = true;
    socket_.async_wait(tcp::socket::wait_write, [self = shared_from_this()](beast::error_code ec) {
      self->awaiting_socket_ = false;
      if (self->finished_) return;
      if (ec) {
        self->abort();
        return;
      }
      if (self->write_batch()) self->pump();
    });
  }

  // The batch is on the wire. True unless that was the close frame that ends the connection.
  bool end_batch() {
    in_flight_.clear();
    // A burst grew the vectors; an idle connection should not keep that.
    if (in_flight_.capacity() > kBatchFrames) in_flight_.shrink_to_fit();
    std::string().swap(control_in_flight_);
    if (!close_in_flight_) return true;
    close_in_flight_ = false;
    close_sent_ = true;
    if (teardown_after_close_) {
      teardown();
      return false;
    }
    return true;  // the client's close frame is still to come (on_client_close)
  }

  // The close handshake is complete (or was cut short): the server ends the TCP connection.
  void teardown() {
    cut_off();
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    socket_.close(ignored);
    finish();
  }

  // A connection that cannot keep up, or whose socket failed: drop it without a handshake.
  void abort() {
    cut_off();
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    finish();
  }

  // Nothing more is queued or written, from any thread: taken before the socket is closed, so a
  // write_queue_here() in progress ends before its descriptor does.
  void cut_off() {
    MutexLock lock(queue_mutex_);
    dead_ = true;
    queue_.clear();
    queued_bytes_ = 0;
  }

  void finish() {
    if (finished_) return;
    finished_ = true;
    in_flight_.clear();
    cut_off();
    if (accepted_) {
      server_->websockets.fetch_sub(1);
      server_->remove_live(id_);
      log_close();
      server_->ws_handler.on_close(*this, *context_);
    }
  }

  // Only on the strand: the first cause wins (a slow consumer's abort ends its reads too).
  void ended_as(std::string_view why, int code, std::string detail) {
    if (!end_why_.empty()) return;
    end_why_ = why;
    end_code_ = code;
    if (!detail.empty()) ending().detail = std::move(detail);
  }

  void log_close() {
    std::string_view why = end_why_.empty() ? std::string_view("connection_lost") : end_why_;
    net_metrics().ws_closes.at({why}).inc();
    if (why == "slow_consumer") log::note_problem("slow_consumer");
    log::Record line(log::Level::info, "ws.close");
    line.num("connection", id_).str("why", why).num("code", end_code_);
    if (ending_ && !ending_->detail.empty()) line.str("reason", ending_->detail);
    std::uint64_t frames;
    {
      MutexLock lock(queue_mutex_);
      frames = frames_sent_;
    }
    line.seconds("duration", std::chrono::steady_clock::now() - opened_).num("frames", frames);
    if (context_->log_user_id) line.num("user", context_->log_user_id);
  }

  // Only on the strand.
  tcp::socket socket_;
  ws::Parser parser_;
  std::array<char, 96> landing_;  // what the pending receive reads into; see receive()
  std::vector<hub::Frame> in_flight_;  // the batch being written, after control_in_flight_
  std::string control_in_flight_;      // pings, pongs, the close frame: the batch's first bytes
  std::size_t sent_ = 0;               // bytes of the batch already on the wire
  bool accepted_ = false;
  bool watched_ = false;               // in the idle sweep's list
  bool closing_ = false;               // our close frame is due or sent
  bool close_in_flight_ = false;
  bool close_sent_ = false;
  bool teardown_after_close_ = false;  // the client closed (or broke the protocol): no answer to wait for
  bool awaiting_socket_ = false;       // a batch waits for the socket to take more
  bool finished_ = false;
  // For the close's log line.
  std::chrono::steady_clock::time_point opened_;
  std::string_view end_why_;  // a constant
  int end_code_ = 0;
  // What only an ending connection needs, made when the end begins: an idle one holds a pointer.
  struct Ending {
    std::string close_frame;  // ours, until the queue has drained
    std::string detail;       // for the close's log line
  };
  std::unique_ptr<Ending> ending_;
  Ending& ending() {
    if (!ending_) ending_ = std::make_unique<Ending>();
    return *ending_;
  }

  // Constant after construction.
  const std::shared_ptr<Server::Impl> server_;
  const std::unique_ptr<WsContext> context_;
  const std::uint64_t id_;
  const ConnectionSlot slot_;

  // Guarded by queue_mutex_: filled from any thread by deliver(), drained on the strand.
  Mutex queue_mutex_;
  std::vector<hub::Frame> queue_ GUARDED_BY(queue_mutex_);
  std::size_t queued_bytes_ GUARDED_BY(queue_mutex_) = 0;
  bool writing_ GUARDED_BY(queue_mutex_) = false;  // the writer runs, is posted or is due at the next flush tick
  bool sealed_ GUARDED_BY(queue_mutex_) = false;   // closing: nothing new is queued
  bool dead_ GUARDED_BY(queue_mutex_) = false;     // cut off: nothing is queued or written
  std::size_t queue_sent_ GUARDED_BY(queue_mutex_) = 0;  // bytes of queue_'s first frames on the wire
  std::string control_next_ GUARDED_BY(queue_mutex_);    // the 101, pings and pongs: the next batch's first
  std::uint64_t frames_sent_ GUARDED_BY(queue_mutex_) = 0;  // for the close's log line
};

// An HTTP connection's executor, named by its type: Asio's type-erased executor (any_io_executor)
// costs a copy and a virtual call at every step of every operation, on every request.
using Strand = asio::strand<asio::io_context::executor_type>;
using StrandSocket = asio::basic_stream_socket<tcp, Strand>;
template <class T>
using Task = asio::awaitable<T, Strand>;
constexpr auto kOnStrand = asio::as_tuple(asio::use_awaitable_t<Strand>{});

class HttpSession final : public Closable, public Timed, public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(StrandSocket&& socket, tcp::endpoint remote, ConnectionSlot slot, std::shared_ptr<Server::Impl> server,
              std::uint64_t id)
      : socket_(std::move(socket)),
        slot_(std::move(slot)),
        server_(std::move(server)),
        id_(id),
        peer_(peer_of(remote, server_->options.trusted_proxies)) {
    server_->time(this);
  }

  ~HttpSession() override {
    server_->untime(this);
    server_->remove_live(id_);
  }

  void on_deadline(std::int64_t deadline) override {
    auto self = weak_from_this().lock();
    if (!self) return;  // ending: its destructor waits for the sweep to leave it
    asio::post(socket_.get_executor(), [self = std::move(self), deadline] {
      // Still the same wait: a later one has a later deadline, and none is pending at 0.
      if (self->deadline_ns.load(std::memory_order_relaxed) != deadline) return;
      beast::error_code ignored;
      self->socket_.cancel(ignored);
    });
  }

  Task<void> run() {
    auto self = shared_from_this();
    const auto& o = server_->options;
    bool first = true;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.header_limit(o.header_limit);
      // The limit depends on the route, known only once the header is read.
      parser.body_limit(boost::none);
      idle_ = true;
      if (server_->stopping) break;
      beast::error_code header_ec;
      {  // awaited here rather than in a coroutine of its own: a frame fewer per request
        Deadline deadline(*this, std::chrono::seconds(first ? o.header_timeout_s : o.keep_alive_timeout_s));
        std::tie(header_ec, std::ignore) = co_await http::async_read_header(socket_, buffer_, parser, kOnStrand);
      }
      idle_ = false;
      first = false;
      started_ = std::chrono::steady_clock::now();
      method_ = "-";
      request_id_.clear();
      if (header_ec) {
        co_await answer_bad_header(header_ec);
        break;
      }
      method_ = method_label(parser.get().method_string());
      if (websocket::is_upgrade(parser.get())) {
        co_await upgrade(parser);
        co_return;
      }
      HttpHandler& handler = server_->http_handler;
      Request request = to_request(parser.get(), peer_, o.trusted_proxies);
      name_request(request);
      BodyPolicy policy = handler.body_policy(request);
      if (policy.limit == 0) policy.limit = o.body_limit;
      if (policy.refuse) {
        refused_ = true;
        policy.refuse->set_header("X-Request-Id", request_id_);
        co_await write_response(*policy.refuse, parser.get().version(), false);
        record(*policy.refuse);
        break;
      }
      if (parser.content_length() && *parser.content_length() > policy.limit) {
        co_await write_error(413, "payload_too_large", "Тело запроса превышает допустимый размер.");
        break;
      }
      bool keep_alive = parser.get().keep_alive();
      unsigned version = parser.get().version();
      BodyFile body_file;
      // A request whose head was all of it (every GET) has no body to wait for: no coroutine frame.
      Status read = Status::ok();
      if (policy.to_file || !parser.is_done())
        read = co_await read_request_body(parser, policy, request, body_file, keep_alive);
      else
        request.body = std::move(parser.get().body());
      if (!read) {
        if (read.code() != kConnectionLost) co_await write_error(read.http_status(), read.code(), read.message());
        break;
      }
      Response response;
      if (policy.from_memory)
        response = handler.handle(request);
      else
        response = co_await handle_on_worker(handler, request);
      // The handler is done with what the hold guards (the upload's file): release it before the
      // answer leaves, so the client's next request never finds it still held.
      policy.hold.reset();
      if (request.method == "HEAD") response.head_only = true;
      keep_alive = keep_alive && !server_->stopping;
      response.set_header("X-Request-Id", request_id_);
      bool ok = co_await write_response(response, version, keep_alive);
      record(response);
      if (!ok || !keep_alive) break;
    }
    beast::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    if (refused_) co_await drain_before_close();
    socket_.close(ec);
  }

  // What ends a timed wait: the deadline set for the wait and cleared once it is over (whichever
  // way it ends), so a handler's own time is never cut. Only on the strand.
  class [[nodiscard]] Deadline {
   public:
    Deadline(Timed& timed, std::chrono::nanoseconds limit) : timed_(timed) {
      timed_.deadline_ns.store(Server::Impl::now_ns() + limit.count(), std::memory_order_relaxed);
    }
    ~Deadline() { timed_.deadline_ns.store(0, std::memory_order_relaxed); }
    Deadline(const Deadline&) = delete;
    Deadline& operator=(const Deadline&) = delete;

   private:
    Timed& timed_;
  };

  // A header that could not be read: 431 when too large, 400 when malformed, nothing when the
  // client went away or the connection idled out.
  Task<void> answer_bad_header(beast::error_code header_ec) {
    if (header_ec == http::error::header_limit)
      co_await write_error(431, "headers_too_large", "Заголовки запроса слишком велики.");
    else if (header_ec != http::error::end_of_stream && header_ec != beast::error::timeout &&
             header_ec != asio::error::operation_aborted && header_ec != asio::error::connection_reset &&
             header_ec != asio::error::eof)
      co_await write_error(400, "bad_request", "Запрос не удалось разобрать.");
  }

  // The body as the route's policy says: into the request, or into a file (a new one, or the
  // upload's, appended to). A body cut short by stop_early ends the connection after the answer.
  Task<Status> read_request_body(http::request_parser<http::string_body>& parser, const BodyPolicy& policy,
                                            Request& request, BodyFile& body_file, bool& keep_alive) {
    if (!policy.to_file) {
      parser.body_limit(policy.limit);
      Status read = co_await read_body(parser, policy.limit, {}, false);
      request.body = std::move(parser.get().body());
      co_return read;
    }
    http::request_parser<http::file_body> file_parser(std::move(parser));
    bool append = !policy.append_to.empty();
    if (!append) body_file = BodyFile(server_->options.body_dir, id_);
    request.body_file = append ? policy.append_to : body_file.path();
    auto& m = net_metrics();
    m.uploads_receiving.add(1);
    struct Received {
      metrics::Gauge& gauge;
      ~Received() { gauge.add(-1); }
    } receiving{m.uploads_receiving};
    Status read = co_await read_body(file_parser, policy.limit, request.body_file, append, policy.stop_early);
    if (read && file_parser.content_length()) m.upload_bytes.inc(*file_parser.content_length());
    // Cut short: what the client still sends is drained and dropped after the answer.
    if (read && !file_parser.is_done()) refused_ = true, keep_alive = false;
    co_return read;
  }

  // The answer of a handler that may block (SQLite, argon2id), made on a worker; one served from
  // memory is called on the strand directly.
  Task<Response> handle_on_worker(HttpHandler& handler, const Request& request) {
    co_return co_await asio::co_spawn(
        server_->workers, [&]() -> asio::awaitable<Response> { co_return handler.handle(request); },
        asio::use_awaitable_t<Strand>{});
  }

  void shutdown() override {
    asio::post(socket_.get_executor(), [self = shared_from_this()] {
      beast::error_code ignored;
      if (self->idle_) self->socket_.cancel(ignored);
    });
  }

 private:
  Task<void> upgrade(http::request_parser<http::string_body>& parser) {
    Request request = to_request(parser.get(), peer_, server_->options.trusted_proxies);
    name_request(request);
    // RFC 6455 §4.2.1 beyond what websocket::is_upgrade checked (GET, HTTP/1.1, the Upgrade and
    // Connection fields), as Beast's accept checked it.
    if (request.header("sec-websocket-version") != "13") {
      static const Headers supported{{"Sec-WebSocket-Version", "13"}};
      co_await write_error(426, "bad_upgrade", "Поддерживается только версия 13 протокола WebSocket.", supported);
      co_return;
    }
    if (request.header("host").empty() || request.header("sec-websocket-key").size() != 24) {
      co_await write_error(400, "bad_upgrade", "Запрос на WebSocket без поля Host или с неверным Sec-WebSocket-Key.");
      co_return;
    }
    auto decision = server_->ws_handler.accept(request);
    if (auto* refusal = std::get_if<Response>(&decision)) {
      if (refusal->log.route.empty()) refusal->log.route = "websocket";
      refusal->set_header("X-Request-Id", request_id_);
      co_await write_response(*refusal, parser.get().version(), false);
      record(*refusal);
      beast::error_code ec;
      socket_.shutdown(tcp::socket::shutdown_send, ec);
      co_return;
    }
    auto context = std::move(std::get<std::unique_ptr<WsContext>>(decision));
    std::string early = beast::buffers_to_string(buffer_.data());
    auto session = std::make_shared<WsSession>(std::move(socket_), std::move(*slot_), server_,
                                               std::move(context), server_->next_id.fetch_add(1));
    slot_.reset();
    session->start(switching_protocols(request.header("sec-websocket-key")), std::move(early), request_id_);
  }

  // The 101 answer to an accepted upgrade, as Beast wrote it; the session sends it as its first bytes.
  static std::string switching_protocols(std::string_view key) {
    websocket::detail::sec_ws_accept_type accept;
    websocket::detail::make_sec_ws_accept(accept, key);
    std::string out =
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\nSec-WebSocket-Accept: ";
    out.append(accept.data(), accept.size());
    out += "\r\nServer: praktika\r\n\r\n";
    return out;
  }

  // Reads the rest of the request, resetting the idle timeout after each chunk so a slow but
  // steady upload of a large file is not cut off. Into memory or a file, as the parser's body says.
  template <class Parser>
  Task<Status> read_body(Parser& parser, std::uint64_t limit, const std::filesystem::path& file,
                                    bool append, const std::function<bool()>& stop_early = nullptr) {
    parser.body_limit(limit);
    if constexpr (requires { parser.get().body().open("", beast::file_mode::write, std::declval<beast::error_code&>()); }) {
      beast::error_code ec;
      parser.get().body().open(file.c_str(), append ? beast::file_mode::append_existing : beast::file_mode::write,
                               ec);
      if (ec)
        co_return errors::storage_unavailable();
    }
    // Beast reads as much as the buffer has room for, and a buffer sized for a request head has
    // room for 512 bytes: a 1000 MB upload would take two million reads and writes. Give the body
    // a chunk-sized buffer while it is read, and hand the memory back after.
    // A request without a body (every GET) is done already and keeps the small buffer.
    const bool to_file = !file.empty();
    const std::size_t expected = parser.content_length() ? static_cast<std::size_t>(*parser.content_length()) : limit;
    if (!parser.is_done()) buffer_.reserve(std::min<std::size_t>(expected, to_file ? kFileBodyChunk : kMemoryBodyChunk));
    struct GiveBack {
      beast::flat_buffer& buffer;
      ~GiveBack() {
        if (buffer.capacity() > kKeptRequestBuffer) buffer.shrink_to_fit();
      }
    } give_back{buffer_};
    std::optional<Writeback> writeback;
    if constexpr (requires { parser.get().body().file().native_handle(); })
      if (to_file) writeback.emplace(parser.get().body().file().native_handle());
    while (!parser.is_done()) {
      Deadline deadline(*this, std::chrono::seconds(server_->options.request_timeout_s));
      auto [ec, n] = co_await http::async_read_some(socket_, buffer_, parser, kOnStrand);
      if (!ec) {
        if (writeback) writeback->start_written();
        if (stop_early && !parser.is_done() && stop_early()) break;
        continue;
      }
      if (ec == http::error::body_limit)
        co_return Status::too_large("payload_too_large", "Тело запроса превышает допустимый размер.");
      if (ec == beast::errc::no_space_on_device || ec == beast::errc::file_too_large) {
        if (server_->options.on_disk_full) server_->options.on_disk_full();
        co_return Status(Status::unavailable("storage_full", "На сервере закончилось место. Попробуйте позже."));
      }
      if (ec == beast::error::timeout || ec == asio::error::operation_aborted || ec == asio::error::eof ||
          ec == asio::error::connection_reset || ec == http::error::partial_message)
        co_return Status::bad_request(std::string(kConnectionLost), "Соединение прервалось.");
      co_return Status::bad_request("bad_request", "Запрос не удалось разобрать.");
    }
    co_return Status::ok();
  }

  // A client still sending a body we refused would get a reset instead of our answer if we
  // closed at once: read and drop what it sends for a short while (bounded in time and bytes).
  Task<void> drain_before_close() {
    Deadline deadline(*this, std::chrono::seconds(2));
    std::size_t dropped = 0;
    char sink[16 * 1024];
    while (dropped < (std::size_t{64} << 20)) {
      auto [ec, n] = co_await socket_.async_read_some(asio::buffer(sink), kOnStrand);
      if (ec) break;
      dropped += n;
    }
  }

  Task<void> write_error(int status, std::string_view code, std::string_view message,
                                    const Headers& extra = {}) {
    refused_ = true;
    Response r;
    r.status = status;
    r.body = transport_error(code, message);
    for (const auto& [name, value] : extra) r.set_header(name, value);
    r.set_header("Content-Type", "application/json; charset=utf-8");
    if (request_id_.empty()) request_id_ = new_request_id();
    r.set_header("X-Request-Id", request_id_);
    r.log.error = code;
    if (status >= 500) r.log.detail = message;
    co_await write_response(r, 11, false);
    record(r);
  }

  void name_request(const Request& request) {
    auto given = request.header("x-request-id");
    request_id_ = peer_.trusted_proxy && usable_request_id(given) ? std::string(given) : new_request_id();
  }

  // The access line and the request's metrics, once its answer is written (or failed to be).
  void record(const Response& r) {
    const auto elapsed = std::chrono::steady_clock::now() - started_;
    const std::string_view route = r.log.route.empty() ? std::string_view("-") : std::string_view(r.log.route);
    const std::uint64_t bytes = r.head_only ? 0
                                : r.file          ? r.file->length
                                : r.shared_body   ? r.shared_body->size()
                                                  : r.body.size();
    auto& m = net_metrics();
    if (!counted_.requests || counted_.status != r.status || counted_.method != method_ || counted_.route != route)
      counted_ = {std::string(route), method_, r.status, &m.requests.at({method_, route, std::to_string(r.status)}),
                  &m.durations.at({route})};
    counted_.requests->inc();
    counted_.duration->observe(elapsed);
    m.response_bytes.inc(bytes);
    const bool failed = r.status >= 500;
    if (failed) log::note_problem(r.log.error.empty() ? std::string_view("internal_error") : std::string_view(r.log.error));
    log::Record line(failed ? log::Level::error : log::Level::info, "http.request");
    line.str("method", method_).str("route", route).num("status", r.status).seconds("duration", elapsed);
    line.num("bytes", bytes).str("request_id", request_id_);
    if (r.log.user_id) line.num("user", r.log.user_id);
    if (!r.log.error.empty()) line.str("error", r.log.error);
    if (failed && !r.log.detail.empty()) line.str("detail", r.log.detail);
  }

  Task<bool> write_response(const Response& from, unsigned version, bool keep_alive) {
    Deadline deadline(*this, std::chrono::seconds(server_->options.request_timeout_s));
    auto status = static_cast<http::status>(from.status);
    if (from.file && !from.head_only && from.file->open) {
      const FileBody& file = *from.file;
      co_return co_await write_with_sendfile(from, file.open->fd(), file.offset, file.length, version, keep_alive);
    }
    if (from.file && !from.head_only && from.file->length >= kSendfileFrom) {
      const FileBody& file = *from.file;
      int fd = ::open(file.path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd >= 0) {
        bool ok = co_await write_with_sendfile(from, fd, file.offset, file.length, version, keep_alive);
        ::close(fd);
        co_return ok;
      }
    }
    if (from.shared_body && !from.head_only && from.shared_body->size() >= kSendfileFrom) {
      if (auto file = server_->body_files.file_of(from.shared_body))
        co_return co_await write_with_sendfile(from, file->fd(), 0, from.shared_body->size(), version, keep_alive);
    }
    if (from.file && !from.head_only) {
      http::response<FileRangeBody> res{status, version};
      copy_headers(res, from);
      beast::error_code ec;
      res.body().file.open(from.file->path.c_str(), beast::file_mode::scan, ec);
      if (!ec) res.body().file.seek(from.file->offset, ec);
      if (ec) {
        http::response<http::string_body> err{http::status::internal_server_error, version};
        err.set(http::field::content_type, "application/json; charset=utf-8");
        err.body() = transport_error("file_unreadable", "Файл не удалось прочитать.");
        err.keep_alive(false);
        err.prepare_payload();
        co_await http::async_write(socket_, err, kOnStrand);
        co_return false;
      }
      res.body().remaining = from.file->length;
      res.content_length(from.file->length);
      res.keep_alive(keep_alive);
      auto [wec, n] = co_await http::async_write(socket_, res, kOnStrand);
      co_return !wec;
    }
    // A body from memory: the head is rendered by hand into a buffer the session keeps, and head
    // and body leave in one gathered write. Beast's message would allocate a node per header
    // field and copy the body, which on a small keep-alive response cost more than the write.
    const std::string_view body =
        from.shared_body ? std::string_view(*from.shared_body) : std::string_view(from.body);
    const std::uint64_t length = from.head_only && from.file ? from.file->length : body.size();
    render_head(from.status, from.headers, from.shared_headers.get(), version, keep_alive, length, head_);
    std::array<asio::const_buffer, 2> wire{asio::buffer(head_),
                                           asio::buffer(body.data(), from.head_only ? 0 : body.size())};
    auto [wec, n] = co_await asio::async_write(socket_, wire, kOnStrand);
    if (head_.capacity() > kKeptRequestBuffer) head_ = std::string();
    co_return !wec;
  }

  // The head rendered as for a body from memory and sent with MSG_MORE, so that it leaves in
  // one packet with the start of the body (no TCP_CORK on and off: two system calls fewer per
  // file), then the file's range with sendfile().
  Task<bool> write_with_sendfile(const Response& from, int fd, std::uint64_t from_byte, std::uint64_t length,
                                 unsigned version, bool keep_alive) {
    render_head(from.status, from.headers, from.shared_headers.get(), version, keep_alive, length, head_);
    auto& socket = socket_;
    const int sock = socket.native_handle();
    if (!socket.non_blocking()) {  // send() and sendfile() must return EAGAIN, not block the thread
      beast::error_code ignored;
      socket.non_blocking(true, ignored);
    }
    std::optional<Cork> cork;
    if (length > kCorkFrom) cork.emplace(sock);
    ssize_t sent = ::send(sock, head_.data(), head_.size(), MSG_MORE | MSG_NOSIGNAL);
    if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK) co_return false;
    const auto head_sent = static_cast<std::size_t>(std::max<ssize_t>(sent, 0));
    if (head_sent < head_.size()) {  // a full socket buffer: the rest of the head as any write waits
      const auto rest = asio::buffer(head_.data() + head_sent, head_.size() - head_sent);
      auto [hec, hn] = co_await asio::async_write(socket_, rest, kOnStrand);
      if (hec) co_return false;
    }
    // The caller's deadline (write_response) covers the waits for a reader that stopped reading.
    off_t offset = static_cast<off_t>(from_byte);
    std::uint64_t left = length;
    bool ok = true;
    while (left > 0) {
      ssize_t n = ::sendfile(sock, fd, &offset, static_cast<std::size_t>(std::min<std::uint64_t>(left, 1 << 20)));
      if (n > 0) {
        left -= static_cast<std::uint64_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        auto [wec] = co_await socket.async_wait(tcp::socket::wait_write, kOnStrand);
        if (!wec) continue;
      }
      ok = false;  // an error, or the file shrank under us (n == 0): the length sent is wrong now
      break;
    }
    co_return ok;
  }

  // Holds a response's segments while its head and its file leave in two calls, as nginx does.
  // MSG_MORE on the head covers that call only: with TCP_NODELAY an acknowledgement arriving
  // before sendfile() pushes the head alone. Measured (docs/performance.md, "TCP_CORK for bodies
  // over 64 KB"): for a body over one 64 KB segment corking is worth its two setsockopt() calls
  // (100 KB: +40 % requests/s, 1 MB: +33 %), for one segment or less it is not (10-64 KB: -2 to -8 %).
  static constexpr std::uint64_t kCorkFrom = 64 * 1024;
  class Cork {
   public:
    explicit Cork(int fd) : fd_(fd) { set(1); }
    ~Cork() { set(0); }
    Cork(const Cork&) = delete;
    Cork& operator=(const Cork&) = delete;

   private:
    void set(int on) { ::setsockopt(fd_, IPPROTO_TCP, TCP_CORK, &on, sizeof on); }
    int fd_;
  };

  // Starts the kernel writing a file body's pages to the disk every kWritebackEvery bytes, without
  // waiting for it (sync_file_range, as RocksDB's bytes_per_sync does): a 1000 MB upload never
  // piles up a gigabyte of dirty pages for the writer to be throttled on later, and the fdatasync
  // that makes a finished upload durable (server/uploads) has only the last stretch left to wait for.
  // The call is made here, on the strand: it blocks only while the disk's queue is full, when an
  // upload outruns the disk, and then without it write() would be throttled on the dirty pages
  // instead, in longer pauses. Made on a worker it cost a third of the throughput on one core.
  class Writeback {
   public:
    explicit Writeback(int fd) : fd_(fd), from_(::lseek(fd, 0, SEEK_CUR)) {}
    void start_written() {
      const off_t at = ::lseek(fd_, 0, SEEK_CUR);
      if (from_ < 0 || at < from_ + kWritebackEvery) return;
      ::sync_file_range(fd_, from_, at - from_, SYNC_FILE_RANGE_WRITE);
      from_ = at;
    }

   private:
    static constexpr off_t kWritebackEvery = 8 << 20;
    int fd_;
    off_t from_;
  };

  // Read sizes for a request body: a file body goes to disk in chunks of this size; what stays
  // in memory (JSON, at most the body limit) needs less. Between requests the buffer keeps a head's worth.
  static constexpr std::size_t kFileBodyChunk = 256 * 1024;
  static constexpr std::size_t kMemoryBodyChunk = 64 * 1024;
  static constexpr std::size_t kKeptRequestBuffer = 8 * 1024;

  // Only on the stream's strand.
  StrandSocket socket_;
  std::optional<ConnectionSlot> slot_;  // handed to the WebSocket at an upgrade
  beast::flat_buffer buffer_;
  std::string head_;  // the response head being written
  bool idle_ = true;  // waiting for the first byte of a request: safe to close at shutdown
  bool refused_ = false;  // answered an error mid-request: the client may still be sending
  // The request being answered, for its access line.
  std::chrono::steady_clock::time_point started_;
  std::string_view method_ = "-";  // method_label(): a constant
  std::string request_id_;
  // The metrics' members the previous request was counted in (a family keeps its members for the
  // process's life): a keep-alive connection mostly repeats its route, and a family's lookup makes
  // a key and searches a map under a lock.
  struct Counted {
    std::string route;
    std::string_view method;
    int status = 0;
    metrics::Counter* requests = nullptr;
    metrics::Histogram* duration = nullptr;
  } counted_;

  // Constant after construction.
  const std::shared_ptr<Server::Impl> server_;
  const std::uint64_t id_;
  const Peer peer_;
};

}  // namespace

asio::awaitable<void> Server::Impl::accept_loop() {
  auto self = shared_from_this();
  tcp::endpoint remote;  // filled by accept() itself: no getpeername() per connection
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(io), remote, kUseTuple);
    if (stopping || !acceptor.is_open()) co_return;
    if (ec == asio::error::operation_aborted) co_return;
    if (ec == asio::error::no_descriptors || ec == beast::errc::too_many_files_open_in_system ||
        ec == asio::error::no_buffer_space || ec == asio::error::no_memory) {
      // Keep serving the connections we have; new ones get a prompt 503 until some end.
      shed_waiting_connections();
      backoff.expires_after(kDescriptorBackoff);
      co_await backoff.async_wait(kUseTuple);
      continue;
    }
    if (ec) continue;  // this one connection failed (reset before it was accepted): on to the next
    if (!admit(remote.address())) {
      static const std::string too_many = refusal_response(
          429, "too_many_connections",
          "С вашего адреса открыто слишком много соединений. Закройте лишние вкладки или попробуйте позже.");
      answer_and_close(socket.release(ec), too_many);
      continue;
    }
    ConnectionSlot slot(self, remote.address());
    auto id = next_id.fetch_add(1);
    auto strand = socket.get_executor();
    auto session = std::make_shared<HttpSession>(std::move(socket), remote, std::move(slot), self, id);
    add_live(id, session);
    asio::co_spawn(strand, session->run(), asio::detached);
  }
}

Server::Server(asio::io_context& io, asio::thread_pool& workers, ServerOptions options, HttpHandler& http,
               WsHandler& ws)
    : impl_(std::make_shared<Impl>(io, workers, std::move(options), http, ws)) {}

Server::~Server() = default;

Status Server::start() {
  auto& acceptor = impl_->acceptor;
  if (auto s = impl_->options.listener_fd >= 0 ? adopt_listener() : listen(); !s) return s;
  beast::error_code ec;
  // Linux gives an accepted socket the listener's TCP_NODELAY: set once here instead of by a
  // system call per connection. Small answers and frames leave at once, never held for an ACK.
  acceptor.set_option(tcp::no_delay(true), ec);
  if (ec)
    return Status::unavailable("listen_failed", "Не удалось настроить прослушиваемый порт: " + ec.message());
  impl_->bound_port = acceptor.local_endpoint(ec).port();
  impl_->spare_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  asio::co_spawn(acceptor.get_executor(), impl_->accept_loop(), asio::detached);
  return Status::ok();
}

std::uint16_t Server::port() const { return impl_->bound_port; }

Status Server::listen() {
  beast::error_code ec;
  auto address = asio::ip::make_address(impl_->options.address, ec);
  if (ec) return Status::bad_request("bad_address", "Неверный адрес для прослушивания: " + impl_->options.address);
  tcp::endpoint endpoint{address, impl_->options.port};
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return Status::unavailable("listen_failed", "Не удалось открыть порт " + std::to_string(impl_->options.port) +
                                                    ": " + ec.message());
  return Status::ok();
}

// The service manager's socket: it listens already, with the queue length the manager gave it.
Status Server::adopt_listener() {
  const auto refused = [](const std::string& why) {
    return Status::unavailable("listen_failed", "Не удалось принять сокет от системы запуска служб: " + why);
  };
  const int fd = impl_->options.listener_fd;
  sockaddr_storage local{};
  socklen_t length = sizeof local;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) != 0) return refused(std::strerror(errno));
  beast::error_code ec;
  impl_->acceptor.assign(local.ss_family == AF_INET6 ? tcp::v6() : tcp::v4(), fd, ec);
  if (ec) return refused(ec.message());
  return Status::ok();
}

void Server::stop() {
  impl_->stopping = true;
  asio::post(impl_->acceptor.get_executor(), [impl = impl_] {
    beast::error_code ec;
    impl->acceptor.close(ec);
  });
  std::vector<std::shared_ptr<Closable>> live;
  {
    MutexLock lock(impl_->live_mutex);
    for (auto& [id, weak] : impl_->live)
      if (auto c = weak.lock()) live.push_back(std::move(c));
  }
  for (auto& c : live) c->shutdown();
  asio::post(impl_->io, [impl = impl_] { impl->closes_posted = true; });
}

bool Server::only_close_handshakes_left() const {
  if (!impl_->closes_posted) return false;
  MutexLock lock(impl_->slots_mutex);
  return impl_->open_connections <= impl_->websockets.load();
}

std::size_t Server::websocket_count() const { return impl_->websockets.load(); }

ConnectionStats Server::connection_stats() const {
  ConnectionStats stats;
  {
    MutexLock lock(impl_->slots_mutex);
    stats.open = impl_->open_connections;
  }
  stats.refused_descriptors = impl_->refused_descriptors.load();
  stats.refused_per_address = impl_->refused_per_address.load();
  const auto recent = [now = Impl::now_ns()](std::int64_t at) {
    return at != 0 && now - at < std::chrono::nanoseconds(Impl::kRefusingWindow).count();
  };
  stats.refusing = recent(impl_->last_refusal_ns.load());
  stats.out_of_descriptors = recent(impl_->last_descriptor_refusal_ns.load());
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0) stats.descriptor_limit = limit.rlim_cur;
  stats.per_address_limit = impl_->options.max_connections_per_address;
  return stats;
}

void Server::write_metrics(metrics::Writer& out) const {
  auto& m = net_metrics();
  const auto stats = connection_stats();
  out.header("praktika_http_requests_total", "counter", "HTTP requests answered, by method, route pattern and status.");
  m.requests.write(out, "praktika_http_requests_total");
  out.header("praktika_http_request_duration_seconds", "histogram",
             "From a request's head read to its answer written, by route pattern.");
  m.durations.write(out, "praktika_http_request_duration_seconds");
  out.counter("praktika_http_response_bytes_total", "Bytes of response bodies sent.", m.response_bytes.value());
  out.gauge("praktika_connections_open", "TCP connections held now, HTTP and WebSocket.", static_cast<double>(stats.open));
  out.header("praktika_connections_refused_total", "counter", "Connections refused at once, by why.");
  out.sample("praktika_connections_refused_total", {{"reason", "descriptors"}}, stats.refused_descriptors);
  out.sample("praktika_connections_refused_total", {{"reason", "per_address"}}, stats.refused_per_address);
  out.gauge("praktika_websocket_connections", "WebSocket connections open now.",
            static_cast<double>(impl_->websockets.load()));
  out.counter("praktika_websocket_connections_total", "WebSocket connections accepted.", m.ws_accepted.value());
  out.header("praktika_websocket_closes_total", "counter", "WebSocket connections ended, by why.");
  m.ws_closes.write(out, "praktika_websocket_closes_total");
  out.counter("praktika_websocket_frames_sent_total", "Frames written to WebSocket connections (events and replies).",
              m.ws_frames_sent.value());
  out.header("praktika_websocket_frames_per_write", "histogram", "Frames carried by one sendmsg() (coalescing).");
  out.histogram("praktika_websocket_frames_per_write", {}, m.ws_frames_per_write);
  out.counter("praktika_websocket_slow_consumers_total", "WebSocket connections cut off because their send queue was full.",
              m.ws_slow_consumers.value());
  out.gauge("praktika_uploads_receiving", "Request bodies being streamed to disk now (uploads in progress).",
            static_cast<double>(m.uploads_receiving.value()));
  out.counter("praktika_upload_received_bytes_total", "Bytes of request bodies streamed to disk (uploads).",
              m.upload_bytes.value());
}

}  // namespace praktika::net
