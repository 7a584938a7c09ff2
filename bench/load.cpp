// praktika_load — the benchmark load client that scripts/bench/run.sh drives against praktika and
// its peers. One process, one io_context thread (pin it to its own core). It speaks just enough
// WebSocket (RFC 6455, no extensions) and HTTP/1.1 keep-alive to load a server, parsing frames by
// hand out of one buffer per connection: the client has to stay cheaper per message than the
// servers it measures, and to hold 15,000 connections in a few KB each, which Beast's stream (a
// few KB of buffers and three timers per connection) would not.
//
//   praktika_load ws-fanout  --url ws://H:P/ws --connections N --topic T [--rate-start R] ...
//   praktika_load ws-connect --url ws://H:P/ws --connections N --topic T [--server-pid PID]
//   praktika_load ws-reconnect --url ws://H:P/ws --connections N --topic T --ready-file F
//   praktika_load http       --url http://H:P/path --connections C --duration S [--paths-file F]
//
// Results are one JSON object on stdout; progress goes to stderr. Latencies are microseconds,
// measured against a send timestamp the publisher (this process, steady clock) puts in each event.
#include <netinet/in.h>
#include <sys/resource.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "histogram.h"

namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using praktika::bench::Histogram;
using SteadyClock = std::chrono::steady_clock;

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now().time_since_epoch()).count();
}

// ---------------------------------------------------------------------------------------------
// Command line, URLs, processes

class Options {
 public:
  Options(int argc, char** argv, int first) {
    for (int i = first; i < argc; ++i) {
      std::string name = argv[i];
      if (name.rfind("--", 0) != 0) throw std::runtime_error("expected an option, got " + name);
      if (i + 1 >= argc) throw std::runtime_error(name + " needs a value");
      values_[name.substr(2)] = argv[++i];
    }
  }
  std::string str(const std::string& name, const std::string& fallback = "") const {
    auto it = values_.find(name);
    return it == values_.end() ? fallback : it->second;
  }
  double num(const std::string& name, double fallback) const {
    auto it = values_.find(name);
    return it == values_.end() ? fallback : std::stod(it->second);
  }
  bool has(const std::string& name) const { return values_.count(name) != 0; }

 private:
  std::map<std::string, std::string> values_;
};

struct Url {
  std::string host;
  std::uint16_t port = 80;
  std::string target = "/";
};

Url parse_url(std::string_view text) {
  Url url;
  auto scheme = text.find("://");
  if (scheme != std::string_view::npos) text.remove_prefix(scheme + 3);
  auto slash = text.find('/');
  std::string_view authority = text.substr(0, slash);
  if (slash != std::string_view::npos) url.target = std::string(text.substr(slash));
  auto colon = authority.rfind(':');
  url.host = std::string(authority.substr(0, colon));
  if (colon != std::string_view::npos) url.port = static_cast<std::uint16_t>(std::stoi(std::string(authority.substr(colon + 1))));
  return url;
}

tcp::endpoint resolve(asio::io_context& io, const Url& url) {
  tcp::resolver resolver(io);
  return *resolver.resolve(url.host, std::to_string(url.port)).begin();
}

// How many loopback source addresses WebSocket connections are spread over (--sources). From
// one address, each connect() walks the ephemeral ports the others already hold
// (__inet_hash_connect checks every taken port it passes against the established table): at
// 15,000 connections that walk cost this client 60 % of its time, more than any server's whole
// handshake, so every server measured at the client's pace. Phones come from many addresses.
std::uint32_t g_sources = 64;

// Binds a connection to a loopback destination to 127.0.0.(2 + tag % g_sources), its port left
// to connect() (IP_BIND_ADDRESS_NO_PORT), which then picks the first free one for that address.
boost::system::error_code bind_source(tcp::socket& socket, const tcp::endpoint& to, std::uint32_t tag) {
  boost::system::error_code ec;
  if (g_sources <= 1 || !to.address().is_v4() || !to.address().is_loopback()) return ec;
  socket.open(tcp::v4(), ec);
  if (ec) return ec;
  int on = 1;
  if (::setsockopt(socket.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &on, sizeof on) != 0)
    return {errno, boost::system::system_category()};
  auto source = asio::ip::make_address_v4((127u << 24) | (2 + tag % g_sources));
  socket.bind(tcp::endpoint(source, 0), ec);
  return ec;
}

// CPU seconds (user + system, all threads) and resident memory of another process, from /proc.
struct ProcSample {
  double cpu_seconds = 0;
  std::int64_t rss_kb = 0;
};

std::optional<ProcSample> sample_process(int pid) {
  if (pid <= 0) return std::nullopt;
  ProcSample sample;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return std::nullopt;
  // The command name may hold spaces: fields are counted after its closing parenthesis.
  std::istringstream fields(line.substr(line.rfind(')') + 2));
  std::vector<std::string> f{std::istream_iterator<std::string>(fields), {}};
  if (f.size() < 13) return std::nullopt;
  sample.cpu_seconds = (std::stod(f[11]) + std::stod(f[12])) / static_cast<double>(sysconf(_SC_CLK_TCK));
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) sample.rss_kb = std::stoll(line.substr(6));
  }
  return sample;
}

// The same for a comma-separated list of processes, summed: a cluster's instances, or nginx's
// worker and the praktika behind its auth_request.
std::optional<ProcSample> sample_processes(const std::string& pids) {
  std::optional<ProcSample> total;
  std::istringstream list(pids);
  std::string pid;
  while (std::getline(list, pid, ',')) {
    if (pid.empty()) continue;
    auto one = sample_process(std::stoi(pid));
    if (!one) continue;
    if (!total) total = ProcSample{};
    total->cpu_seconds += one->cpu_seconds;
    total->rss_kb += one->rss_kb;
  }
  return total;
}

double self_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

std::int64_t self_rss_kb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6));
  }
  return 0;
}

void raise_open_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

// A small JSON writer for the results: keys in the order written, numbers as given.
class Json {
 public:
  Json& field(std::string_view key, double value) {
    key_(key);
    char buffer[64];
    if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 1e15) {
      std::snprintf(buffer, sizeof buffer, "%.0f", value);
    } else if (std::isfinite(value)) {
      std::snprintf(buffer, sizeof buffer, "%.4g", value);
    } else {
      std::snprintf(buffer, sizeof buffer, "null");
    }
    out_ += buffer;
    return *this;
  }
  Json& field(std::string_view key, std::string_view value) {
    key_(key);
    out_ += '"';
    for (char c : value) {
      if (c == '"' || c == '\\') out_ += '\\';
      out_ += c;
    }
    out_ += '"';
    return *this;
  }
  Json& field(std::string_view key, const char* value) { return field(key, std::string_view(value)); }
  Json& field(std::string_view key, bool value) {
    key_(key);
    out_ += value ? "true" : "false";
    return *this;
  }
  Json& raw(std::string_view key, const std::string& json) {
    key_(key);
    out_ += json;
    return *this;
  }
  std::string str() const { return "{" + out_ + "}"; }

 private:
  void key_(std::string_view key) {
    if (!out_.empty()) out_ += ',';
    out_ += '"';
    out_ += key;
    out_ += "\":";
  }
  std::string out_;
};

std::string latency_json(const Histogram& h) {
  return Json()
      .field("count", static_cast<double>(h.count()))
      .field("p50_us", static_cast<double>(h.percentile(50)))
      .field("p90_us", static_cast<double>(h.percentile(90)))
      .field("p99_us", static_cast<double>(h.percentile(99)))
      .field("p999_us", static_cast<double>(h.percentile(99.9)))
      .field("max_us", static_cast<double>(h.max()))
      .field("mean_us", h.mean())
      .str();
}

std::string join(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + items[i];
  return out + "]";
}

asio::awaitable<void> sleep_for(std::chrono::nanoseconds d) {
  asio::steady_timer timer(co_await asio::this_coro::executor, d);
  co_await timer.async_wait(asio::use_awaitable);
}

// ---------------------------------------------------------------------------------------------
// A WebSocket client connection. Callbacks come on the io_context's one thread.

class WsConn;

class WsListener {
 public:
  virtual ~WsListener() = default;
  virtual void on_open(WsConn& conn) = 0;  // the 101 arrived
  virtual void on_text(WsConn& conn, std::string_view text) = 0;
  virtual void on_closed(WsConn& conn, std::string_view why) = 0;  // once, for any reason
};

class WsConn : public std::enable_shared_from_this<WsConn> {
 public:
  WsConn(asio::io_context& io, const Url& url, WsListener& listener, std::uint32_t tag)
      : tag(tag), socket_(io), url_(url), listener_(listener) {}

  void start(const tcp::endpoint& endpoint) {
    started_ns = now_ns();
    if (auto ec = bind_source(socket_, endpoint, tag)) return fail("bind: " + ec.message());
    socket_.async_connect(endpoint, [self = shared_from_this()](boost::system::error_code ec) {
      if (ec) return self->fail("connect: " + ec.message());
      boost::system::error_code ignored;
      self->socket_.set_option(tcp::no_delay(true), ignored);
      // Any key will do: the server only echoes its hash, and this client does not check it.
      self->pending_ = "GET " + self->url_.target + self->query_ + " HTTP/1.1\r\nHost: " + self->url_.host + ":" +
                       std::to_string(self->url_.port) +
                       "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
      self->flush();
      self->read();
    });
  }

  void send_text(std::string_view payload) {
    if (closed_) return;
    append_frame(0x1, payload);
    if (!writing_now_) flush();
  }

  // Appended to the URL's target in the upgrade request; set before start().
  void set_query(std::string query) { query_ = std::move(query); }

  // Ends the connection without a closing handshake (as a client that goes away does).
  void close() { fail("closed by client"); }

  bool is_open() const { return open_ && !closed_; }

  // Set by the owner; the connection only carries them.
  std::uint32_t tag;
  std::int64_t started_ns = 0;
  bool ready = false;

 private:
  static constexpr std::size_t kInitialBuffer = 2048;

  void append_frame(std::uint8_t opcode, std::string_view payload) {
    pending_.push_back(static_cast<char>(0x80 | opcode));
    std::size_t n = payload.size();
    if (n < 126) {
      pending_.push_back(static_cast<char>(0x80 | n));
    } else if (n < 65536) {
      pending_.push_back(static_cast<char>(0x80 | 126));
      pending_.push_back(static_cast<char>(n >> 8));
      pending_.push_back(static_cast<char>(n & 0xff));
    } else {
      pending_.push_back(static_cast<char>(0x80 | 127));
      for (int i = 7; i >= 0; --i) pending_.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
    }
    // A zero masking key: XOR with it leaves the payload as it is, so it is copied, not masked.
    pending_.append(4, '\0');
    pending_.append(payload);
  }

  // Everything queued since the last write goes out in one write.
  void flush() {
    if (pending_.empty() || closed_) return;
    writing_now_ = true;
    writing_.swap(pending_);
    pending_.clear();
    asio::async_write(socket_, asio::buffer(writing_),
                      [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                        self->writing_now_ = false;
                        self->writing_.clear();
                        if (ec) return self->fail("write: " + ec.message());
                        self->flush();
                      });
  }

  void read() {
    if (closed_) return;
    if (!in_) {
      in_cap_ = kInitialBuffer;
      in_ = std::make_unique<char[]>(in_cap_);
    }
    socket_.async_read_some(asio::buffer(in_.get() + in_have_, in_cap_ - in_have_),
                            [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
                              if (ec) return self->fail(ec == asio::error::eof ? "closed by server" : "read: " + ec.message());
                              self->in_have_ += n;
                              self->open_ ? self->parse_frames() : self->parse_handshake();
                              self->read();
                            });
  }

  void parse_handshake() {
    std::string_view have(in_.get(), in_have_);
    auto end = have.find("\r\n\r\n");
    if (end == std::string_view::npos) {
      if (in_have_ == in_cap_) grow(in_cap_ * 2);
      return;
    }
    if (have.substr(0, 12) != "HTTP/1.1 101") {
      return fail("upgrade refused: " + std::string(have.substr(0, have.find("\r\n"))));
    }
    consume(end + 4);
    open_ = true;
    listener_.on_open(*this);
    if (!closed_) parse_frames();
  }

  void parse_frames() {
    auto* in = reinterpret_cast<const unsigned char*>(in_.get());
    std::size_t pos = 0;
    while (!closed_ && in_have_ - pos >= 2) {
      std::uint8_t b0 = in[pos];
      std::uint8_t b1 = in[pos + 1];
      std::uint64_t length = b1 & 0x7f;
      std::size_t header = 2;
      if (length == 126) {
        if (in_have_ - pos < 4) break;
        length = (std::uint64_t{in[pos + 2]} << 8) | in[pos + 3];
        header = 4;
      } else if (length == 127) {
        if (in_have_ - pos < 10) break;
        length = 0;
        for (int i = 0; i < 8; ++i) length = (length << 8) | in[pos + 2 + i];
        header = 10;
      }
      if (b1 & 0x80) return fail("protocol: a masked frame from the server");
      if (in_have_ - pos < header + length) {
        if (header + length > in_cap_) {
          consume(pos);
          grow(header + length);
          return;
        }
        break;
      }
      on_frame(b0 & 0x0f, (b0 & 0x80) != 0, std::string_view(in_.get() + pos + header, length));
      pos += header + length;
    }
    if (!closed_) consume(pos);
  }

  void on_frame(std::uint8_t opcode, bool fin, std::string_view payload) {
    switch (opcode) {
      case 0x0:  // continuation
        fragments_.append(payload);
        if (fin) {
          listener_.on_text(*this, fragments_);
          fragments_.clear();
          fragments_.shrink_to_fit();
        }
        return;
      case 0x1:
      case 0x2:
        if (fin) return listener_.on_text(*this, payload);
        fragments_.assign(payload);
        return;
      case 0x8:
        return fail("close frame from the server");
      case 0x9:
        append_frame(0xA, payload);
        if (!writing_now_) flush();
        return;
      default:
        return;
    }
  }

  void consume(std::size_t n) {
    if (n == 0) return;
    std::memmove(in_.get(), in_.get() + n, in_have_ - n);
    in_have_ -= n;
  }

  void grow(std::size_t capacity) {
    auto bigger = std::make_unique<char[]>(capacity);
    std::memcpy(bigger.get(), in_.get(), in_have_);
    in_ = std::move(bigger);
    in_cap_ = capacity;
  }

  void fail(const std::string& why) {
    if (closed_) return;
    closed_ = true;
    boost::system::error_code ignored;
    socket_.close(ignored);
    listener_.on_closed(*this, why);
  }

  tcp::socket socket_;
  const Url& url_;
  std::string query_;
  WsListener& listener_;
  std::unique_ptr<char[]> in_;
  std::size_t in_cap_ = 0;
  std::size_t in_have_ = 0;
  std::string fragments_;
  std::string pending_;
  std::string writing_;
  bool writing_now_ = false;
  bool open_ = false;
  bool closed_ = false;
};

// How a server is asked for a topic and given an event:
//   praktika: {"op":"subscribe","topic":T} on the socket, events published with {"op":"publish",...}
//             (the Node ws and Bun peers speak the same);
//   praktika-url: as praktika's front end subscribes: `?subscribe=1,T[,since]` in the upgrade's
//             URL, the reply coming with the 101 (web/src/lib/ws.ts); events as praktika;
//   raw:      the URL is the subscription (nchan), and the publisher's frames are broadcast as sent;
//   raw-state: as raw, with the topic's state as the first frame after the 101 (nchan sending the
//             one message stored in the channel): a subscription counts when that frame is in.
enum class Protocol { praktika, praktika_url, raw, raw_state };

Protocol parse_protocol(const std::string& name) {
  if (name == "praktika") return Protocol::praktika;
  if (name == "praktika-url") return Protocol::praktika_url;
  if (name == "raw") return Protocol::raw;
  if (name == "raw-state") return Protocol::raw_state;
  throw std::runtime_error("--protocol is praktika, praktika-url, raw or raw-state");
}

// The query of an upgrade that subscribes in its URL (Protocol::praktika_url), as ws.ts writes it.
std::string subscribe_query(const std::string& topic, std::int64_t since = -1) {
  return "?subscribe=1," + topic + (since >= 0 ? "," + std::to_string(since) : "");
}

// Opens subscriber connections, `concurrency` handshakes at a time, and counts them ready when
// the server has confirmed the subscription (for `raw` at the 101, for `raw-state` at the first frame).
class Subscribers : public WsListener {
 public:
  using EventSink = std::function<void(WsConn&, std::string_view)>;

  Subscribers(asio::io_context& io, Url url, tcp::endpoint endpoint, Protocol protocol, std::string topic)
      : io_(io), url_(std::move(url)), endpoint_(endpoint), protocol_(protocol), topic_(std::move(topic)) {}

  EventSink on_event;
  Histogram handshake_us;  // connect to confirmed subscription
  std::size_t ready = 0;
  std::size_t failed = 0;
  std::size_t lost = 0;  // closed after being ready
  std::string first_error;
  std::vector<std::shared_ptr<WsConn>> conns;

  std::shared_ptr<WsConn> open_one(std::uint32_t tag) {
    auto conn = std::make_shared<WsConn>(io_, url_, *this, tag);
    conns.push_back(conn);
    if (protocol_ == Protocol::praktika_url) conn->set_query(subscribe_query(topic_));
    conn->start(endpoint_);
    return conn;
  }

  // Opens `count` more, never more than `concurrency` handshakes in flight; resumes when all have
  // succeeded or failed.
  asio::awaitable<void> open(std::size_t count, std::size_t concurrency) {
    std::size_t target = conns.size() + count;
    while (conns.size() < target || in_flight() > 0) {
      while (conns.size() < target && in_flight() < concurrency) open_one(static_cast<std::uint32_t>(conns.size()));
      co_await sleep_for(std::chrono::milliseconds(1));
    }
  }

  std::size_t in_flight() const { return conns.size() - ready - failed - lost; }

  void on_open(WsConn& conn) override {
    if (protocol_ == Protocol::raw) return mark_ready(conn);
    if (protocol_ == Protocol::praktika_url || protocol_ == Protocol::raw_state) return;  // its reply is on its way
    conn.send_text(R"({"op":"subscribe","id":1,"topic":")" + topic_ + R"("})");
  }

  void on_text(WsConn& conn, std::string_view text) override {
    if (conn.ready) {
      if (on_event) on_event(conn, text);
      return;
    }
    if (protocol_ == Protocol::raw_state) return mark_ready(conn);
    if (text.find("\"re\":") == std::string_view::npos) return;  // a push before the reply
    if (text.find("\"ok\":true") != std::string_view::npos) return mark_ready(conn);
    if (first_error.empty()) first_error = "subscribe refused: " + std::string(text.substr(0, 200));
    conn.close();
  }

  void on_closed(WsConn& conn, std::string_view why) override {
    if (conn.ready) {
      ++lost;
      if (first_error.empty() && why != "closed by client") first_error = "subscriber lost: " + std::string(why);
    } else {
      ++failed;
      if (first_error.empty()) first_error = std::string(why);
    }
  }

  std::int64_t client_closed = 0;

 private:
  void mark_ready(WsConn& conn) {
    conn.ready = true;
    ++ready;
    handshake_us.record(static_cast<std::uint64_t>((now_ns() - conn.started_ns) / 1000));
  }

  asio::io_context& io_;
  Url url_;
  tcp::endpoint endpoint_;
  Protocol protocol_;
  std::string topic_;
};

// The publisher: one connection whose replies are ignored.
class Publisher : public WsListener {
 public:
  std::string error;
  bool opened = false;
  void on_open(WsConn&) override { opened = true; }
  void on_text(WsConn&, std::string_view text) override {
    if (error.empty() && text.find("\"error\"") != std::string_view::npos) error = std::string(text.substr(0, 200));
  }
  void on_closed(WsConn&, std::string_view why) override {
    if (error.empty()) error = "publisher closed: " + std::string(why);
  }
};

bool find_number(std::string_view text, std::string_view key, std::int64_t& out) {
  auto at = text.find(key);
  if (at == std::string_view::npos) return false;
  const char* begin = text.data() + at + key.size();
  return std::from_chars(begin, text.data() + text.size(), out).ec == std::errc{};
}

// ---------------------------------------------------------------------------------------------
// ws-fanout: N subscribers on one topic; events published at a rising rate, step by step, until
// the time to the last subscriber passes the limit, events go missing, or subscribers are lost.

class Fanout {
 public:
  Fanout(asio::io_context& io, const Options& options, Json& result)
      : io_(io),
        result_(result),
        options_(options),
        url_(parse_url(options.str("url"))),
        publish_url_(parse_url(options.str("publish-url", options.str("url")))),
        protocol_(parse_protocol(options.str("protocol", "praktika"))),
        topic_(options.str("topic", "bench:fanout")),
        subscribers_(io, url_, resolve(io, url_), protocol_, topic_),
        churners_(io, url_, resolve(io, url_), protocol_, topic_),
        publish_fanout_(options.num("publish-fanout", 0) != 0) {
    subscribers_.on_event = [this](WsConn&, std::string_view text) { on_event(text); };
  }

  asio::awaitable<void> run() {
    auto connections = static_cast<std::size_t>(options_.num("connections", 1000));
    auto concurrency = static_cast<std::size_t>(options_.num("concurrency", 200));
    double rate = options_.num("rate-start", 10);
    double factor = options_.num("rate-factor", 1.5);
    double add = options_.num("rate-step", 0);
    double step_seconds = options_.num("step-seconds", 5);
    int max_steps = static_cast<int>(options_.num("max-steps", 20));
    double limit_us = options_.num("p99-limit-ms", 100) * 1000;
    double churn = options_.num("churn", 0);
    int payload = static_cast<int>(options_.num("payload", 100));
    std::string server_pid = options_.str("server-pid");

    auto t0 = now_ns();
    co_await subscribers_.open(connections, concurrency);
    double connect_seconds = static_cast<double>(now_ns() - t0) / 1e9;
    std::cerr << "ws-fanout: " << subscribers_.ready << " subscribed in " << connect_seconds << " s\n";
    if (subscribers_.ready < connections) {
      result_.field("error", "only " + std::to_string(subscribers_.ready) + " of " + std::to_string(connections) +
                                 " subscribed: " + subscribers_.first_error);
      co_return;
    }

    Publisher publisher_listener;
    auto publisher = std::make_shared<WsConn>(io_, publish_url_, publisher_listener, 0);
    publisher->start(resolve(io_, publish_url_));
    for (int i = 0; i < 2000 && !publisher_listener.opened && publisher_listener.error.empty(); ++i) {
      co_await sleep_for(std::chrono::milliseconds(1));
    }
    if (!publisher_listener.opened) {
      result_.field("error", "publisher: " + publisher_listener.error);
      co_return;
    }
    if (churn > 0) asio::co_spawn(io_, churn_loop(churn), asio::detached);
    // Let the subscriptions settle (presence reports, Redis joins) before the first step.
    co_await sleep_for(std::chrono::milliseconds(static_cast<int>(options_.num("settle-ms", 1000))));

    // Two bounds: `--p99-limit-ms`, the target's latency, and `--sustain-limit-ms`, looser, for
    // throughput: the highest rate at which every event still reaches every subscriber without a
    // growing backlog. The rate keeps rising until the looser one fails.
    double sustain_us = options_.num("sustain-limit-ms", limit_us / 1000) * 1000;
    std::vector<std::string> steps;
    std::string best = "null";
    std::string best_sustained = "null";
    std::string stopped_because = "max-steps reached";
    for (int step = 0; step < max_steps; ++step) {
      StepResult r = co_await run_step(*publisher, rate, step_seconds, payload, server_pid);
      bool sustained = r.last_p99_us <= sustain_us && r.incomplete == 0 && r.lost == 0 &&
                       r.published_rate >= 0.9 * rate && publisher_listener.error.empty();
      bool within_limit = sustained && r.last_p99_us <= limit_us;
      steps.push_back(r.json.field("within_limit", within_limit).field("sustained", sustained).str());
      std::cerr << "ws-fanout: rate " << rate << "/s: " << r.deliveries_per_second << " deliveries/s, last p99 "
                << r.last_p99_us / 1000 << " ms, incomplete " << r.incomplete << ", server cpu " << r.server_cpu
                << "%, client cpu " << r.client_cpu << "%" << (within_limit ? "" : sustained ? "  (over the limit)" : "  (not sustained)") << "\n";
      std::string summary = Json()
                                .field("rate", rate)
                                .field("deliveries_per_second", r.deliveries_per_second)
                                .field("deliveries_per_cpu_second", r.deliveries_per_cpu_second)
                                .field("server_cpu_percent", r.server_cpu)
                                .field("client_cpu_percent", r.client_cpu)
                                .field("last_p99_us", r.last_p99_us)
                                .str();
      if (within_limit) best = summary;
      if (sustained) {
        best_sustained = summary;
      } else {
        if (r.lost) stopped_because = "subscribers lost";
        else if (r.incomplete) stopped_because = "events not delivered to every subscriber";
        else if (r.published_rate < 0.9 * rate) stopped_because = "publisher could not keep the rate";
        else if (!publisher_listener.error.empty()) stopped_because = "publisher: " + publisher_listener.error;
        else stopped_because = "p99 to the last subscriber over the sustain limit";
        break;
      }
      rate = std::max(rate * factor, rate + add);
    }
    churning_ = false;
    result_.field("connect_seconds", connect_seconds)
        .raw("handshake", latency_json(subscribers_.handshake_us))
        .raw("steps", join(steps))
        .raw("best", best)
        .raw("best_sustained", best_sustained)
        .field("stopped_because", stopped_because);
    if (churn > 0) {
      result_.field("churn_opened", static_cast<double>(churners_.conns.size()))
          .field("churn_failed", static_cast<double>(churners_.failed));
    }
    if (!subscribers_.first_error.empty()) result_.field("first_error", subscribers_.first_error);
    publisher->close();
  }

 private:
  struct Track {
    std::int64_t sent_ns = 0;
    std::uint32_t expected = 0;
    std::uint32_t received = 0;
    std::int64_t last_ns = 0;
  };

  struct StepResult {
    Json json;
    double deliveries_per_second = 0;
    double deliveries_per_cpu_second = 0;
    double server_cpu = 0;
    double client_cpu = 0;
    double published_rate = 0;
    double last_p99_us = 0;
    std::size_t incomplete = 0;
    std::size_t lost = 0;
  };

  void on_event(std::string_view text) {
    std::int64_t seq = 0;
    std::int64_t sent = 0;
    // A numbered event carries the topic's own "seq" before "data": ours is the one inside it.
    if (auto data = text.find("\"data\":"); data != std::string_view::npos) text.remove_prefix(data);
    if (!find_number(text, "\"seq\":", seq) || !find_number(text, "\"t\":", sent)) return;  // presence etc.
    std::int64_t now = now_ns();
    ++deliveries_;
    last_delivery_ns_ = now;
    delivery_us_.record(static_cast<std::uint64_t>(std::max<std::int64_t>(0, now - sent) / 1000));
    if (seq < 0 || static_cast<std::size_t>(seq) >= tracks_.size()) return;
    Track& track = tracks_[static_cast<std::size_t>(seq)];
    if (++track.received == track.expected) {
      track.last_ns = now;
      last_us_.record(static_cast<std::uint64_t>((now - track.sent_ns) / 1000));
    }
  }

  std::string event_data(std::int64_t seq, std::int64_t sent, int payload) {
    std::string head = "{\"t\":" + std::to_string(sent) + ",\"seq\":" + std::to_string(seq) + ",\"pad\":\"";
    int pad = std::max(0, payload - static_cast<int>(head.size()) - 2);
    return head + std::string(static_cast<std::size_t>(pad), 'x') + "\"}";
  }

  asio::awaitable<StepResult> run_step(WsConn& publisher, double rate, double seconds, int payload,
                                      const std::string& server_pid) {
    delivery_us_.clear();
    last_us_.clear();
    deliveries_ = 0;
    std::size_t lost_before = subscribers_.lost;
    std::size_t first = tracks_.size();
    auto events = static_cast<std::size_t>(std::llround(rate * seconds));
    auto server_before = sample_processes(server_pid);
    double client_before = self_cpu_seconds();
    std::int64_t start = now_ns();
    std::uint32_t expected = static_cast<std::uint32_t>(subscribers_.ready - subscribers_.lost);
    for (std::size_t sent = 0; sent < events;) {
      // Catch up when late: the rate is kept over the step, not per tick.
      auto due = std::min(events, static_cast<std::size_t>(static_cast<double>(now_ns() - start) / 1e9 * rate) + 1);
      for (; sent < due; ++sent) {
        std::int64_t seq = static_cast<std::int64_t>(tracks_.size());
        std::int64_t t = now_ns();
        tracks_.push_back(Track{t, expected, 0, 0});
        std::string data = event_data(seq, t, payload);
        if (protocol_ == Protocol::praktika) {
          publisher.send_text(R"({"op":"publish","id":)" + std::to_string(seq) + R"(,"topic":")" + topic_ +
                              (publish_fanout_ ? R"(","fanout":true,"data":)" : R"(","data":)") + data + "}");
        } else {
          publisher.send_text(R"({"topic":")" + topic_ + R"(","event":"bench","data":)" + data + "}");
        }
      }
      if (sent >= events) break;
      auto next = start + static_cast<std::int64_t>(static_cast<double>(sent) / rate * 1e9);
      co_await sleep_for(std::chrono::nanoseconds(std::max<std::int64_t>(0, next - now_ns())));
    }
    std::int64_t published_end = now_ns();
    // Wait for the stragglers, but not for ever: what has not arrived by then counts as missing.
    std::int64_t drain_deadline = published_end + static_cast<std::int64_t>(options_.num("drain-ms", 3000) * 1e6);
    auto complete = [&] {
      for (std::size_t i = first; i < tracks_.size(); ++i) {
        if (tracks_[i].received < tracks_[i].expected) return false;
      }
      return true;
    };
    while (!complete() && now_ns() < drain_deadline) co_await sleep_for(std::chrono::milliseconds(2));
    std::int64_t end = std::max(last_delivery_ns_, published_end);
    auto server_after = sample_processes(server_pid);
    double client_cpu_s = self_cpu_seconds() - client_before;

    StepResult r;
    for (std::size_t i = first; i < tracks_.size(); ++i) {
      if (tracks_[i].received < tracks_[i].expected) ++r.incomplete;
    }
    // Missing events count as infinitely late: a p99 must not look better because events vanished.
    for (std::size_t i = 0; i < r.incomplete; ++i) last_us_.record(~std::uint64_t{0});
    double wall = static_cast<double>(end - start) / 1e9;
    double publish_wall = static_cast<double>(published_end - start) / 1e9;
    r.lost = subscribers_.lost - lost_before;
    r.published_rate = events > 1 ? static_cast<double>(events) / std::max(publish_wall, seconds * (events - 1) / events) : rate;
    r.deliveries_per_second = static_cast<double>(deliveries_) / wall;
    r.client_cpu = client_cpu_s / wall * 100;
    r.last_p99_us = static_cast<double>(last_us_.percentile(99));
    double server_cpu_s = 0;
    if (server_before && server_after) {
      server_cpu_s = server_after->cpu_seconds - server_before->cpu_seconds;
      r.server_cpu = server_cpu_s / wall * 100;
      r.deliveries_per_cpu_second = server_cpu_s > 0 ? static_cast<double>(deliveries_) / server_cpu_s : 0;
    }
    r.json.field("rate", rate)
        .field("events", static_cast<double>(events))
        .field("published_rate", r.published_rate)
        .field("subscribers", static_cast<double>(expected))
        .field("deliveries", static_cast<double>(deliveries_))
        .field("seconds", wall)
        .field("deliveries_per_second", r.deliveries_per_second)
        .field("server_cpu_seconds", server_cpu_s)
        .field("server_cpu_percent", r.server_cpu)
        .field("deliveries_per_cpu_second", r.deliveries_per_cpu_second)
        .field("client_cpu_percent", r.client_cpu)
        .field("incomplete_events", static_cast<double>(r.incomplete))
        .field("subscribers_lost", static_cast<double>(r.lost))
        .raw("delivery_latency", latency_json(delivery_us_))
        .raw("last_subscriber_latency", latency_json(last_us_));
    if (server_after) r.json.field("server_rss_kb", static_cast<double>(server_after->rss_kb));
    co_return r;
  }

  // Presence churn: `per_second` new subscribers a second, each closed about a second later, so
  // as many connect as disconnect while the measured subscribers stay.
  asio::awaitable<void> churn_loop(double per_second) {
    std::deque<std::shared_ptr<WsConn>> alive;
    auto interval = std::chrono::nanoseconds(static_cast<std::int64_t>(1e9 / per_second));
    auto next = SteadyClock::now();
    churning_ = true;
    while (churning_) {
      alive.push_back(churners_.open_one(static_cast<std::uint32_t>(churners_.conns.size())));
      churners_.conns.back().reset();  // only `alive` keeps it
      if (alive.size() > static_cast<std::size_t>(per_second)) {
        alive.front()->close();
        alive.pop_front();
      }
      next += interval;
      asio::steady_timer timer(io_, next);
      co_await timer.async_wait(asio::use_awaitable);
    }
    for (auto& conn : alive) conn->close();
  }

  asio::io_context& io_;
  Json& result_;
  const Options& options_;
  Url url_;
  Url publish_url_;
  Protocol protocol_;
  std::string topic_;
  Subscribers subscribers_;
  Subscribers churners_;  // their events are not measured
  std::vector<Track> tracks_;
  Histogram delivery_us_;
  Histogram last_us_;
  std::uint64_t deliveries_ = 0;
  std::int64_t last_delivery_ns_ = 0;
  bool churning_ = false;
  bool publish_fanout_;  // through the instance's fan-out (numbered; with --redis to every instance)
};

// ---------------------------------------------------------------------------------------------
// ws-connect: N connections upgrade and subscribe as fast as the server takes them; then, idle,
// the server's resident memory per connection.

asio::awaitable<void> ws_connect(asio::io_context& io, const Options& options, Json& result) {
  Url url = parse_url(options.str("url"));
  auto connections = static_cast<std::size_t>(options.num("connections", 1000));
  auto concurrency = static_cast<std::size_t>(options.num("concurrency", 200));
  std::string server_pid = options.str("server-pid");
  Subscribers subscribers(io, url, resolve(io, url), parse_protocol(options.str("protocol", "praktika")),
                          options.str("topic", "bench:connect"));
  std::int64_t client_rss_before = self_rss_kb();
  auto server_before = sample_processes(server_pid);
  auto t0 = now_ns();
  co_await subscribers.open(connections, concurrency);
  double seconds = static_cast<double>(now_ns() - t0) / 1e9;
  auto server_busy = sample_processes(server_pid);
  std::cerr << "ws-connect: " << subscribers.ready << " of " << connections << " subscribed in " << seconds << " s\n";
  // Idle: let the server's allocator and any lazily grown buffers settle before measuring.
  co_await sleep_for(std::chrono::milliseconds(static_cast<int>(options.num("settle-ms", 3000))));
  auto server_after = sample_processes(server_pid);
  std::size_t still_open = 0;
  for (auto& conn : subscribers.conns) still_open += conn->is_open() ? 1 : 0;

  result.field("connections", static_cast<double>(connections))
      .field("subscribed", static_cast<double>(subscribers.ready))
      .field("failed", static_cast<double>(subscribers.failed))
      .field("still_open_after_settle", static_cast<double>(still_open))
      .field("seconds", seconds)
      .field("upgrades_per_second", static_cast<double>(subscribers.ready) / seconds)
      .raw("handshake", latency_json(subscribers.handshake_us))
      .field("client_bytes_per_connection",
             static_cast<double>(self_rss_kb() - client_rss_before) * 1024 / static_cast<double>(connections));
  if (server_before && server_after && server_busy) {
    double per_connection = static_cast<double>(server_after->rss_kb - server_before->rss_kb) * 1024 /
                            static_cast<double>(std::max<std::size_t>(1, still_open));
    result.field("server_rss_before_kb", static_cast<double>(server_before->rss_kb))
        .field("server_rss_after_kb", static_cast<double>(server_after->rss_kb))
        .field("server_bytes_per_connection", per_connection)
        .field("server_cpu_seconds", server_busy->cpu_seconds - server_before->cpu_seconds)
        .field("server_cpu_us_per_upgrade", (server_busy->cpu_seconds - server_before->cpu_seconds) * 1e6 /
                                                static_cast<double>(std::max<std::size_t>(1, subscribers.ready)));
  }
  if (!subscribers.first_error.empty()) result.field("first_error", subscribers.first_error);
  for (auto& conn : subscribers.conns) conn->close();
}

// ---------------------------------------------------------------------------------------------
// ws-reconnect: N clients subscribed; the runner stops the server and starts it again (it waits
// for --ready-file, written once all are subscribed); every client reconnects as the front end
// does (web/src/lib/ws.ts): after a close it waits minBackoff/2 + random × min(maxBackoff,
// minBackoff × 2^attempt), the attempt counting up to 16 and starting again at 0 once a socket
// opens, then connects and subscribes again, with `since` the number its last reply gave. Measured: the time from the first loss until every
// client is subscribed again, each client's own time from its loss to its new subscription, and
// the attempts that failed meanwhile.

struct Backoff {
  // The constants of web/src/lib/ws.ts (minBackoffMs, maxBackoffMs, the attempt's cap).
  static constexpr double kMinMs = 500;
  static constexpr double kMaxMs = 15'000;
  static constexpr int kMaxAttempt = 16;
  static double delay_ms(int attempt, double random01) {
    double ceiling = std::min(kMaxMs, kMinMs * std::pow(2.0, attempt));
    return kMinMs / 2 + random01 * ceiling;
  }
};

class Reconnector : public WsListener {
 public:
  Reconnector(asio::io_context& io, Url url, Protocol protocol, std::string topic, std::size_t clients)
      : io_(io), url_(std::move(url)), endpoint_(resolve(io, url_)), protocol_(protocol), topic_(std::move(topic)),
        clients_(clients), random_(0x5eed) {}

  struct Client {
    std::shared_ptr<WsConn> conn;
    int attempt = 0;
    bool subscribed = false;
    std::int64_t lost_ns = 0;  // 0: not lost since it last subscribed
    std::int64_t last_seq = -1;  // the topic's number from the last full subscribe reply (-1: none)
  };

  // First connections: `concurrency` handshakes at a time, no backoff.
  asio::awaitable<void> open_all(std::size_t concurrency) {
    std::size_t next = 0;
    while (next < clients_.size() || pending_first_ > 0) {
      while (next < clients_.size() && pending_first_ < concurrency) {
        ++pending_first_;
        connect(next++);
      }
      co_await sleep_for(std::chrono::milliseconds(1));
    }
  }

  void on_open(WsConn& conn) override {
    Client& c = clients_[conn.tag];
    if (c.conn.get() != &conn) return;
    c.attempt = 0;  // as ws.ts: an open socket starts the backoff again
    if (protocol_ == Protocol::raw) return subscribed(c);
    if (protocol_ == Protocol::praktika_url || protocol_ == Protocol::raw_state) return;  // its reply is on its way
    // As ws.ts: a topic subscribed before is asked again from the last number its reply gave.
    std::string since = c.last_seq >= 0 ? R"(,"since":)" + std::to_string(c.last_seq) : "";
    conn.send_text(R"({"op":"subscribe","id":1,"topic":")" + topic_ + "\"" + since + "}");
  }

  void on_text(WsConn& conn, std::string_view text) override {
    Client& c = clients_[conn.tag];
    if (c.conn.get() != &conn || c.subscribed) return;
    if (protocol_ == Protocol::raw_state) return subscribed(c);
    if (text.find("\"re\":") == std::string_view::npos) return;
    if (text.find("\"ok\":true") != std::string_view::npos) {
      // A resumed reply carries no state; the number stays the one the page already had.
      std::int64_t seq = 0;
      if (text.find("\"resumed\":true") == std::string_view::npos && find_number(text, "\"seq\":", seq)) c.last_seq = seq;
      return subscribed(c);
    }
    note_error("subscribe refused: " + std::string(text.substr(0, 200)));
    conn.close();
  }

  void on_closed(WsConn& conn, std::string_view why) override {
    Client& c = clients_[conn.tag];
    if (c.conn.get() != &conn) return;
    c.conn.reset();
    if (!storm_) {  // a first connection that failed: counted, not retried
      --pending_first_;
      note_error(std::string(why));
      return;
    }
    if (c.subscribed) {
      c.subscribed = false;
      c.lost_ns = now_ns();
      if (first_loss_ns == 0) first_loss_ns = c.lost_ns;
      --subscribed_now;
      ++losses;
    } else {
      ++failed_attempts;
      note_error(std::string(why));
    }
    schedule(conn.tag);
  }

  void start_storm() { storm_ = true; }
  std::size_t size() const { return clients_.size(); }

  std::size_t subscribed_now = 0;
  std::size_t losses = 0;
  std::size_t failed_attempts = 0;
  std::size_t attempts = 0;
  std::int64_t first_loss_ns = 0;
  std::int64_t first_back_ns = 0;
  std::int64_t last_back_ns = 0;
  Histogram reconnect_us;  // one client's loss to its new subscription
  std::map<std::string, std::size_t> errors;

 private:
  void connect(std::size_t index) {
    ++attempts;
    auto conn = std::make_shared<WsConn>(io_, url_, *this, static_cast<std::uint32_t>(index));
    clients_[index].conn = conn;
    if (protocol_ == Protocol::praktika_url) conn->set_query(subscribe_query(topic_, clients_[index].last_seq));
    conn->start(endpoint_);
  }

  void schedule(std::size_t index) {
    Client& c = clients_[index];
    double ms = Backoff::delay_ms(c.attempt, std::uniform_real_distribution<double>(0, 1)(random_));
    c.attempt = std::min(c.attempt + 1, Backoff::kMaxAttempt);
    auto timer = std::make_shared<asio::steady_timer>(io_, std::chrono::microseconds(static_cast<std::int64_t>(ms * 1000)));
    timer->async_wait([this, index, timer](boost::system::error_code ec) {
      if (!ec) connect(index);
    });
  }

  void subscribed(Client& c) {
    c.subscribed = true;
    ++subscribed_now;
    if (!storm_) {
      --pending_first_;
      return;
    }
    std::int64_t now = now_ns();
    if (first_back_ns == 0) first_back_ns = now;
    last_back_ns = now;
    if (c.lost_ns != 0) reconnect_us.record(static_cast<std::uint64_t>((now - c.lost_ns) / 1000));
    c.lost_ns = 0;
  }

  void note_error(std::string why) {
    // Messages carry no addresses or numbers worth keeping apart: a count per kind.
    ++errors[why.substr(0, 80)];
  }

  asio::io_context& io_;
  Url url_;
  tcp::endpoint endpoint_;
  Protocol protocol_;
  std::string topic_;
  std::vector<Client> clients_;
  std::mt19937_64 random_;
  std::size_t pending_first_ = 0;
  bool storm_ = false;
};

asio::awaitable<void> ws_reconnect(asio::io_context& io, const Options& options, Json& result) {
  auto clients = static_cast<std::size_t>(options.num("connections", 1000));
  Reconnector storm(io, parse_url(options.str("url")), parse_protocol(options.str("protocol", "praktika")),
                    options.str("topic", "bench:reconnect"), clients);
  auto t0 = now_ns();
  co_await storm.open_all(static_cast<std::size_t>(options.num("concurrency", 200)));
  std::cerr << "ws-reconnect: " << storm.subscribed_now << " of " << clients << " subscribed in "
            << static_cast<double>(now_ns() - t0) / 1e9 << " s\n";
  result.field("connections", static_cast<double>(clients)).field("subscribed_before", static_cast<double>(storm.subscribed_now));
  if (storm.subscribed_now < clients) {
    result.field("error", "only " + std::to_string(storm.subscribed_now) + " of " + std::to_string(clients) + " subscribed");
    co_return;
  }
  storm.start_storm();
  storm.errors.clear();
  std::size_t attempts_before = storm.attempts;
  { std::ofstream(options.str("ready-file", "/dev/null")) << "ready\n"; }
  // The runner restarts the server; wait for the storm to begin and then to end. The runner
  // creates --restarted-file once the new server listens: the time from then is the server's part.
  std::string restarted_file = options.str("restarted-file");
  std::int64_t listening_ns = 0;
  double cpu_before = self_cpu_seconds();
  auto deadline = now_ns() + static_cast<std::int64_t>(options.num("deadline-seconds", 120) * 1e9);
  auto wait_a_little = [&]() -> asio::awaitable<void> {
    co_await sleep_for(std::chrono::milliseconds(5));
    if (listening_ns == 0 && !restarted_file.empty() && access(restarted_file.c_str(), F_OK) == 0) listening_ns = now_ns();
  };
  while (storm.first_loss_ns == 0 && now_ns() < deadline) co_await wait_a_little();
  while ((storm.subscribed_now < clients || storm.losses < clients) && now_ns() < deadline) co_await wait_a_little();
  bool all_back = storm.subscribed_now == clients && storm.losses >= clients;
  std::vector<std::string> errors;
  for (const auto& [why, n] : storm.errors) errors.push_back(Json().field("error", why).field("count", static_cast<double>(n)).str());
  auto seconds = [](std::int64_t from, std::int64_t to) { return from && to ? static_cast<double>(to - from) / 1e9 : -1.0; };
  result.field("lost", static_cast<double>(storm.losses))
      .field("subscribed_after", static_cast<double>(storm.subscribed_now))
      .field("all_back", all_back)
      .field("seconds_to_all_back", all_back ? seconds(storm.first_loss_ns, storm.last_back_ns) : -1.0)
      .field("seconds_first_back_to_all_back", all_back ? seconds(storm.first_back_ns, storm.last_back_ns) : -1.0)
      .field("seconds_down", seconds(storm.first_loss_ns, storm.first_back_ns))
      .field("seconds_listening_to_all_back", all_back ? seconds(listening_ns, storm.last_back_ns) : -1.0)
      .field("seconds_listening_to_first_back", seconds(listening_ns, storm.first_back_ns))
      .field("client_cpu_seconds", self_cpu_seconds() - cpu_before)
      .field("attempts", static_cast<double>(storm.attempts - attempts_before))
      .field("failed_attempts", static_cast<double>(storm.failed_attempts))
      .raw("reconnect", latency_json(storm.reconnect_us));
  result.raw("errors", join(errors));
}

// ---------------------------------------------------------------------------------------------
// http: C keep-alive connections, each sending the next GET as soon as the previous answer is in.

class HttpConn : public std::enable_shared_from_this<HttpConn> {
 public:
  struct Totals {
    Histogram latency_us;
    std::uint64_t responses = 0;
    std::uint64_t bad_status = 0;
    std::uint64_t body_bytes = 0;
    std::uint64_t errors = 0;
    std::string first_error;
  };

  // `requests` are sent in turn from `first` on (a viewer walking through a video's segments).
  HttpConn(asio::io_context& io, const std::vector<std::string>& requests, std::size_t first, Totals& totals,
           std::int64_t deadline_ns)
      : socket_(io), totals_(totals), deadline_ns_(deadline_ns), requests_(requests), next_(first) {
    buffer_ = std::make_unique<char[]>(kBuffer);
  }

  void start(const tcp::endpoint& endpoint) {
    socket_.async_connect(endpoint, [self = shared_from_this()](boost::system::error_code ec) {
      if (ec) return self->fail("connect: " + ec.message());
      boost::system::error_code ignored;
      self->socket_.set_option(tcp::no_delay(true), ignored);
      self->send();
    });
  }

 private:
  static constexpr std::size_t kBuffer = 64 * 1024;

  void send() {
    if (now_ns() >= deadline_ns_) {
      boost::system::error_code ignored;
      socket_.close(ignored);
      return;
    }
    sent_ns_ = now_ns();
    header_done_ = false;
    const std::string& request = requests_[next_++ % requests_.size()];
    asio::async_write(socket_, asio::buffer(request), [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
      if (ec) return self->fail("write: " + ec.message());
      self->read();
    });
  }

  void read() {
    socket_.async_read_some(asio::buffer(buffer_.get() + have_, kBuffer - have_),
                            [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
                              if (ec) return self->fail("read: " + ec.message());
                              self->have_ += n;
                              self->parse();
                            });
  }

  void parse() {
    if (!header_done_) {
      std::string_view have(buffer_.get(), have_);
      auto end = have.find("\r\n\r\n");
      if (end == std::string_view::npos) {
        if (have_ == kBuffer) return fail("response header too large");
        return read();
      }
      std::string_view header = have.substr(0, end);
      int status = have.size() > 12 ? std::atoi(std::string(have.substr(9, 3)).c_str()) : 0;
      if (status < 200 || status >= 300) ++totals_.bad_status;
      std::string lower(header);
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower.find("transfer-encoding: chunked") != std::string::npos) return fail("chunked responses are not supported");
      auto at = lower.find("\r\ncontent-length:");
      body_left_ = 0;
      if (at != std::string::npos) body_left_ = std::strtoull(lower.c_str() + at + 17, nullptr, 10);
      header_done_ = true;
      std::size_t used = end + 4;
      std::memmove(buffer_.get(), buffer_.get() + used, have_ - used);
      have_ -= used;
    }
    std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(body_left_, have_));
    body_left_ -= take;
    totals_.body_bytes += take;
    std::memmove(buffer_.get(), buffer_.get() + take, have_ - take);
    have_ -= take;
    if (body_left_ > 0) return read();
    ++totals_.responses;
    totals_.latency_us.record(static_cast<std::uint64_t>((now_ns() - sent_ns_) / 1000));
    send();
  }

  void fail(const std::string& why) {
    ++totals_.errors;
    if (totals_.first_error.empty()) totals_.first_error = why;
    boost::system::error_code ignored;
    socket_.close(ignored);
  }

  tcp::socket socket_;
  Totals& totals_;
  std::int64_t deadline_ns_;
  const std::vector<std::string>& requests_;
  std::size_t next_;
  std::unique_ptr<char[]> buffer_;
  std::size_t have_ = 0;
  bool header_done_ = false;
  std::uint64_t body_left_ = 0;
  std::int64_t sent_ns_ = 0;
};

void http_load(asio::io_context& io, const Options& options, Json& result) {
  Url url = parse_url(options.str("url"));
  auto connections = static_cast<std::size_t>(options.num("connections", 100));
  double duration = options.num("duration", 10);
  std::string server_pid = options.str("server-pid");
  auto endpoint = resolve(io, url);
  // --paths-file: one path a line, each connection walking through them from its own place;
  // --header: one more request header (a viewer's session cookie).
  std::vector<std::string> paths;
  if (options.has("paths-file")) {
    std::ifstream file(options.str("paths-file"));
    for (std::string line; std::getline(file, line);) {
      if (!line.empty()) paths.push_back(line);
    }
    if (paths.empty()) throw std::runtime_error("--paths-file holds no paths");
  } else {
    paths.push_back(url.target);
  }
  std::string extra = options.has("header") ? options.str("header") + "\r\n" : "";
  std::vector<std::string> requests;
  for (const auto& path : paths) {
    requests.push_back("GET " + path + " HTTP/1.1\r\nHost: " + url.host + ":" + std::to_string(url.port) +
                       "\r\nAccept: */*\r\n" + extra + "\r\n");
  }
  HttpConn::Totals totals;
  auto server_before = sample_processes(server_pid);
  double client_before = self_cpu_seconds();
  std::int64_t start = now_ns();
  std::int64_t deadline = start + static_cast<std::int64_t>(duration * 1e9);
  for (std::size_t i = 0; i < connections; ++i) {
    std::make_shared<HttpConn>(io, requests, i * 7919 % requests.size(), totals, deadline)->start(endpoint);
  }
  io.run();
  double wall = static_cast<double>(now_ns() - start) / 1e9;
  auto server_after = sample_processes(server_pid);
  result.field("url", options.str("url"))
      .field("connections", static_cast<double>(connections))
      .field("seconds", wall)
      .field("responses", static_cast<double>(totals.responses))
      .field("requests_per_second", static_cast<double>(totals.responses) / wall)
      .field("body_bytes_per_second", static_cast<double>(totals.body_bytes) / wall)
      .field("gbit_per_second", static_cast<double>(totals.body_bytes) * 8 / 1e9 / wall)
      .field("non_2xx", static_cast<double>(totals.bad_status))
      .field("errors", static_cast<double>(totals.errors))
      .field("client_cpu_percent", (self_cpu_seconds() - client_before) / wall * 100)
      .raw("latency", latency_json(totals.latency_us));
  if (server_before && server_after) {
    double cpu = server_after->cpu_seconds - server_before->cpu_seconds;
    result.field("server_cpu_percent", cpu / wall * 100)
        .field("requests_per_cpu_second", cpu > 0 ? static_cast<double>(totals.responses) / cpu : 0)
        // CPU-seconds a second the server spends per Gbit/s of body sent: 1.0 is one core per Gbit/s.
        .field("server_cores_per_gbit", totals.body_bytes > 0 ? cpu / (static_cast<double>(totals.body_bytes) * 8 / 1e9) : 0)
        .field("server_rss_kb", static_cast<double>(server_after->rss_kb));
  }
  if (!totals.first_error.empty()) result.field("first_error", totals.first_error);
}

// Runs one mode's coroutine to its end; an exception it throws reaches main's catch.
void run_to_end(asio::io_context& io, asio::awaitable<void> work) {
  asio::co_spawn(io, std::move(work), [&](std::exception_ptr e) {
    if (e) std::rethrow_exception(e);
    io.stop();
  });
  io.run();
}

int usage() {
  std::cerr << "usage:\n"
               "  praktika_load ws-fanout --url ws://H:P/PATH [--publish-url ws://H:P/PATH]\n"
               "        [--protocol praktika|praktika-url|raw|raw-state]\n"
               "        --connections N --topic T [--payload BYTES] [--rate-start R] [--rate-factor F] [--rate-step R]\n"
               "        [--step-seconds S] [--max-steps K] [--p99-limit-ms MS] [--sustain-limit-ms MS] [--churn PER_SECOND]\n"
               "        [--server-pid PID]\n"
               "  praktika_load ws-connect --url ws://H:P/PATH [--protocol praktika|praktika-url|raw|raw-state]\n"
               "        --connections N --topic T\n"
               "        [--concurrency C] [--settle-ms MS] [--server-pid PID]\n"
               "  praktika_load ws-reconnect --url ws://H:P/PATH [--protocol praktika|praktika-url|raw|raw-state]\n"
               "        --connections N --topic T\n"
               "        --ready-file FILE [--deadline-seconds S]   (the runner restarts the server once FILE exists)\n"
               "  praktika_load http --url http://H:P/PATH --connections C --duration S [--paths-file F] [--header H]\n"
               "        [--server-pid PID[,PID…]]\n"
               "  WebSocket modes: [--sources N] spreads connections to a loopback server over N source addresses\n"
               "        (127.0.0.2 on; default 64; 1: all from one address)\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  std::string mode = argv[1];
  try {
    Options options(argc, argv, 2);
    if (!options.has("url")) return usage();
    raise_open_file_limit();
    g_sources = static_cast<std::uint32_t>(options.num("sources", g_sources));
    asio::io_context io(1);
    Json result;
    result.field("mode", mode);
    if (mode == "ws-fanout") {
      Fanout fanout(io, options, result);
      run_to_end(io, fanout.run());
      std::cout << result.str() << std::endl;
    } else if (mode == "ws-connect") {
      run_to_end(io, ws_connect(io, options, result));
      std::cout << result.str() << std::endl;
    } else if (mode == "ws-reconnect") {
      run_to_end(io, ws_reconnect(io, options, result));
      std::cout << result.str() << std::endl;
    } else if (mode == "http") {
      http_load(io, options, result);
      std::cout << result.str() << std::endl;
    } else {
      return usage();
    }
  } catch (const std::exception& e) {
    std::cerr << "praktika_load: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
