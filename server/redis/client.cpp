#include "redis/client.h"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <charconv>
#include <csignal>
#include <fcntl.h>
#include <mutex>

namespace praktika::redis {

namespace asio = boost::asio;
using Strand = asio::strand<asio::io_context::executor_type>;
using SteadyClock = std::chrono::steady_clock;

namespace {

Status unavailable() {
  return Status::unavailable("redis_unavailable", "Redis недоступен");
}

Status bad_url(std::string_view url) {
  return Status::bad_request("bad_redis_url",
                             "Неверный адрес Redis (ожидается redis://хост:порт): " + std::string(url));
}

Reply copy_reply(const redisReply* r) {
  Reply out;
  switch (r->type) {
    case REDIS_REPLY_STRING:
      out.kind = Reply::Kind::string;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      out.kind = Reply::Kind::status;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ERROR:
      out.kind = Reply::Kind::error;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.kind = Reply::Kind::integer;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.kind = Reply::Kind::array;
      out.elements.reserve(r->elements);
      for (size_t i = 0; i < r->elements; ++i) out.elements.push_back(copy_reply(r->element[i]));
      break;
    default:
      out.kind = Reply::Kind::nil;
  }
  return out;
}

}  // namespace

Result<Endpoint> parse_url(std::string_view url) {
  constexpr std::string_view kScheme = "redis://";
  if (!url.starts_with(kScheme)) return bad_url(url);
  std::string_view rest = url.substr(kScheme.size());
  // Only database 0: presence keys are namespaced by prefix, not by SELECT.
  if (auto slash = rest.find('/'); slash != std::string_view::npos) {
    std::string_view db = rest.substr(slash + 1);
    if (!db.empty() && db != "0") return bad_url(url);
    rest = rest.substr(0, slash);
  }
  Endpoint ep;
  std::string_view port_text;
  if (rest.starts_with('[')) {
    auto close = rest.find(']');
    if (close == std::string_view::npos) return bad_url(url);
    ep.host = std::string(rest.substr(1, close - 1));
    std::string_view after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad_url(url);
      port_text = after.substr(1);
      if (port_text.empty()) return bad_url(url);
    }
  } else {
    auto colon = rest.find(':');
    ep.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = rest.substr(colon + 1);
      if (port_text.empty()) return bad_url(url);
    }
  }
  if (ep.host.empty() || ep.host.find('@') != std::string::npos) return bad_url(url);
  if (!port_text.empty()) {
    int port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port < 1 || port > 65535)
      return bad_url(url);
    ep.port = port;
  }
  return ep;
}

// The socket of one hiredis connection as Asio sees it. hiredis asks for read and write
// readiness through the ev hooks; each wish becomes at most one outstanding async_wait.
// Outlives the context when a wait is still in flight: `ac` is cleared by the cleanup hook, so a
// late completion does nothing.
struct Socket : std::enable_shared_from_this<Socket> {
  Socket(const Strand& strand, int fd, redisAsyncContext* context) : descriptor(strand, fd), ac(context) {}

  asio::posix::stream_descriptor descriptor;
  redisAsyncContext* ac;  // null once hiredis is done with the connection
  bool want_read = false;
  bool want_write = false;
  bool read_waiting = false;
  bool write_waiting = false;

  void arm_read() {
    if (read_waiting || !want_read || !ac) return;
    read_waiting = true;
    descriptor.async_wait(asio::posix::stream_descriptor::wait_read,
                          [self = shared_from_this()](boost::system::error_code ec) {
                            self->read_waiting = false;
                            if (ec || !self->ac || !self->want_read) return;
                            redisAsyncHandleRead(self->ac);
                            self->arm_read();
                          });
  }

  void arm_write() {
    if (write_waiting || !want_write || !ac) return;
    write_waiting = true;
    descriptor.async_wait(asio::posix::stream_descriptor::wait_write,
                          [self = shared_from_this()](boost::system::error_code ec) {
                            self->write_waiting = false;
                            if (ec || !self->ac || !self->want_write) return;
                            redisAsyncHandleWrite(self->ac);
                            self->arm_write();
                          });
  }

  static void add_read(void* p) {
    auto* s = static_cast<Socket*>(p);
    s->want_read = true;
    s->arm_read();
  }
  static void del_read(void* p) { static_cast<Socket*>(p)->want_read = false; }
  static void add_write(void* p) {
    auto* s = static_cast<Socket*>(p);
    s->want_write = true;
    s->arm_write();
  }
  static void del_write(void* p) { static_cast<Socket*>(p)->want_write = false; }
  // hiredis closes the fd right after this: hand it back instead of letting Asio close it.
  // release() also cancels the outstanding waits (they complete with operation_aborted).
  static void cleanup(void* p) {
    auto* s = static_cast<Socket*>(p);
    if (!s->ac) return;
    s->ac = nullptr;
    s->want_read = s->want_write = false;
    s->descriptor.release();
  }
};

class Client::Impl : public std::enable_shared_from_this<Client::Impl> {
 public:
  Impl(asio::io_context& io, Endpoint endpoint, ClientOptions options)
      : endpoint_(std::move(endpoint)),
        options_(std::move(options)),
        strand_(asio::make_strand(io)),
        reconnect_timer_(strand_),
        connect_timer_(strand_),
        watchdog_timer_(strand_) {}

  ~Impl() {
    // Reached with a live context only when the io_context was destroyed with our handlers
    // still queued; the reactor is shut down by then, so only hand back the fd and free.
    if (ac_) {
      ac_->onConnect = nullptr;
      ac_->onDisconnect = nullptr;
      redisAsyncContext* ac = ac_;
      ac_ = nullptr;
      redisAsyncFree(ac);
    }
  }

  void start() {
    asio::post(strand_, [self = shared_from_this()] {
      self->connect();
      self->arm_watchdog();
    });
  }

  void command(std::vector<std::string> argv, ReplyCallback done) {
    asio::post(strand_, [self = shared_from_this(), argv = std::move(argv), done = std::move(done)]() mutable {
      self->do_command(std::move(argv), std::move(done));
    });
  }

  void close() {
    asio::post(strand_, [self = shared_from_this()] { self->do_close(); });
  }

  bool connected() const { return connected_.load(std::memory_order_acquire); }
  const Endpoint& endpoint() const { return endpoint_; }

 private:
  struct Pending {
    Impl* impl;
    ReplyCallback done;
  };

  // ---- all below runs on strand_ ----

  void do_command(std::vector<std::string> argv, ReplyCallback done) {
    if (!ac_ || !connected() || closed_ || argv.empty()) {
      fail_later(std::move(done));
      return;
    }
    std::vector<const char*> args;
    std::vector<size_t> lens;
    args.reserve(argv.size());
    lens.reserve(argv.size());
    for (const auto& a : argv) {
      args.push_back(a.data());
      lens.push_back(a.size());
    }
    auto* pending = new Pending{this, std::move(done)};
    if (redisAsyncCommandArgv(ac_, &Impl::on_reply, pending, static_cast<int>(args.size()), args.data(),
                              lens.data()) != REDIS_OK) {
      ReplyCallback cb = std::move(pending->done);
      delete pending;
      fail_later(std::move(cb));
      return;
    }
    if (outstanding_++ == 0) last_progress_ = SteadyClock::now();
  }

  // Never call back from inside command(): the caller may hold a lock or be inside hiredis.
  void fail_later(ReplyCallback done) {
    if (!done) return;
    asio::post(strand_, [done = std::move(done)] { done(unavailable()); });
  }

  static void on_reply(redisAsyncContext*, void* r, void* privdata) {
    std::unique_ptr<Pending> pending(static_cast<Pending*>(privdata));
    Impl* self = pending->impl;
    if (self->outstanding_ > 0) --self->outstanding_;
    self->last_progress_ = SteadyClock::now();
    // A null reply means hiredis is failing every pending command because the connection is
    // going away: connected() turns false before any caller learns of the failure.
    if (r == nullptr) self->connected_.store(false, std::memory_order_release);
    if (!pending->done) return;
    if (r == nullptr) {
      pending->done(unavailable());
    } else {
      pending->done(copy_reply(static_cast<redisReply*>(r)));
    }
  }

  void connect() {
    if (closed_) return;
    redisAsyncContext* ac = redisAsyncConnect(endpoint_.host.c_str(), endpoint_.port);
    if (ac == nullptr) {
      schedule_reconnect();
      return;
    }
    if (ac->err) {
      redisAsyncFree(ac);
      schedule_reconnect();
      return;
    }
    // hiredis leaves the socket inheritable; a spawned child (ffmpeg, a test's redis-server)
    // must not keep our connection open.
    ::fcntl(ac->c.fd, F_SETFD, ::fcntl(ac->c.fd, F_GETFD) | FD_CLOEXEC);
    socket_ = std::make_shared<Socket>(strand_, ac->c.fd, ac);
    ac->data = this;
    ac->ev.data = socket_.get();
    ac->ev.addRead = &Socket::add_read;
    ac->ev.delRead = &Socket::del_read;
    ac->ev.addWrite = &Socket::add_write;
    ac->ev.delWrite = &Socket::del_write;
    ac->ev.cleanup = &Socket::cleanup;
    ac_ = ac;
    redisAsyncSetDisconnectCallback(ac, &Impl::on_disconnect);
    // Arms the first write wait: a writable socket is how a non-blocking connect completes.
    redisAsyncSetConnectCallback(ac, &Impl::on_connect);

    connect_timer_.expires_after(options_.connect_timeout);
    connect_timer_.async_wait([self = shared_from_this(), ac](boost::system::error_code ec) {
      if (ec || self->ac_ != ac || self->connected()) return;
      self->drop_connection();
    });
  }

  static void on_connect(const redisAsyncContext* ac, int status) {
    auto* self = static_cast<Impl*>(ac->data);
    if (status != REDIS_OK) {
      // hiredis frees the context right after this returns.
      self->lost_context();
      return;
    }
    self->connect_timer_.cancel();
    // hiredis reads only after it wrote; reading from the start notices a server that goes
    // away while we are idle, so on_state(false) comes without waiting for the next command.
    Socket::add_read(ac->ev.data);
    self->backoff_ = std::chrono::milliseconds(0);
    self->connected_.store(true, std::memory_order_release);
    self->up_ = true;
    if (!self->options_.channel.empty()) self->subscribe();
    if (self->options_.on_state && !self->closed_) self->options_.on_state(true);
  }

  // The callback stays registered for the connection's life: hiredis calls it for the
  // confirmation, for every message, and with a null reply when the connection goes.
  void subscribe() {
    const std::string& channel = options_.channel;
    redisAsyncCommand(ac_, &Impl::on_pubsub, this, "SUBSCRIBE %b", channel.data(), channel.size());
  }

  static void on_pubsub(redisAsyncContext*, void* r, void* privdata) {
    if (r == nullptr) return;
    auto* self = static_cast<Impl*>(privdata);
    auto* reply = static_cast<redisReply*>(r);
    if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 3 || self->closed_) return;
    const redisReply* kind = reply->element[0];
    const redisReply* payload = reply->element[2];
    if (kind->type != REDIS_REPLY_STRING || std::string_view(kind->str, kind->len) != "message") return;
    if (payload->type != REDIS_REPLY_STRING || !self->options_.on_message) return;
    self->options_.on_message(std::string_view(payload->str, payload->len));
  }

  // Called by hiredis while it frees the context (after failing every pending command).
  static void on_disconnect(const redisAsyncContext* ac, int) {
    static_cast<Impl*>(ac->data)->lost_context();
  }

  // The context is gone or about to be freed by hiredis: forget it, but keep the Socket until
  // hiredis has returned (its cleanup hook may still run) and then try again.
  void lost_context() {
    ac_ = nullptr;
    outstanding_ = 0;
    connect_timer_.cancel();
    connected_.store(false, std::memory_order_release);
    asio::post(strand_, [self = shared_from_this()] {
      if (!self->ac_) self->socket_.reset();
      self->schedule_reconnect();
    });
    report_down();
  }

  void report_down() {
    if (!up_) return;
    up_ = false;
    if (options_.on_state && !closed_) options_.on_state(false);
  }

  // Frees the context ourselves (timeout, close): pending callbacks get the unavailable Status.
  void drop_connection() {
    if (!ac_) return;
    redisAsyncContext* ac = ac_;
    connected_.store(false, std::memory_order_release);
    // Freeing a context that never connected does not call on_disconnect.
    redisAsyncFree(ac);
    if (ac_ == ac) {  // on_disconnect did not run
      ac_ = nullptr;
      outstanding_ = 0;
      socket_.reset();
      report_down();
      schedule_reconnect();
    }
  }

  void schedule_reconnect() {
    if (closed_ || ac_) return;
    backoff_ = backoff_.count() == 0 ? options_.reconnect_min : std::min(backoff_ * 2, options_.reconnect_max);
    reconnect_timer_.expires_after(backoff_);
    reconnect_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (ec || self->ac_ || self->closed_) return;
      self->connect();
    });
  }

  void arm_watchdog() {
    if (closed_) return;
    watchdog_timer_.expires_after(std::max(options_.command_timeout / 4, std::chrono::milliseconds(50)));
    watchdog_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (ec || self->closed_) return;
      if (self->ac_ && self->connected() && self->outstanding_ > 0 &&
          SteadyClock::now() - self->last_progress_ > self->options_.command_timeout) {
        self->drop_connection();
      }
      self->arm_watchdog();
    });
  }

  void do_close() {
    if (closed_) return;
    closed_ = true;
    reconnect_timer_.cancel();
    connect_timer_.cancel();
    watchdog_timer_.cancel();
    drop_connection();
    connected_.store(false, std::memory_order_release);
  }

  // Constant after construction.
  const Endpoint endpoint_;
  const ClientOptions options_;
  Strand strand_;

  // Written only on strand_; read from any thread.
  std::atomic<bool> connected_{false};

  // Only on strand_.
  asio::steady_timer reconnect_timer_;
  asio::steady_timer connect_timer_;
  asio::steady_timer watchdog_timer_;
  redisAsyncContext* ac_ = nullptr;
  std::shared_ptr<Socket> socket_;
  std::chrono::milliseconds backoff_{0};
  std::size_t outstanding_ = 0;
  bool up_ = false;  // on_state(true) was the last thing told
  SteadyClock::time_point last_progress_{};
  bool closed_ = false;
};

Result<std::unique_ptr<Client>> Client::create(asio::io_context& io, std::string_view url, ClientOptions options) {
  auto endpoint = parse_url(url);
  if (!endpoint) return endpoint.status();
  // hiredis writes with write(2): a Redis that went away would otherwise kill the process
  // with SIGPIPE. Left alone when the program already chose a disposition.
  static std::once_flag sigpipe_once;
  std::call_once(sigpipe_once, [] {
    struct sigaction current {};
    if (::sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) ::signal(SIGPIPE, SIG_IGN);
  });
  auto impl = std::make_shared<Impl>(io, std::move(*endpoint), std::move(options));
  impl->start();
  return std::unique_ptr<Client>(new Client(std::move(impl)));
}

Client::Client(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
Client::~Client() { impl_->close(); }

void Client::command(std::vector<std::string> argv, ReplyCallback done) {
  impl_->command(std::move(argv), std::move(done));
}
void Client::close() { impl_->close(); }
bool Client::connected() const { return impl_->connected(); }
const Endpoint& Client::endpoint() const { return impl_->endpoint(); }

}  // namespace praktika::redis
