// An asynchronous Redis client: hiredis 0.14 driven by Asio. Owns one connection (and its
// reconnects) to one Redis server. Any thread may call it; everything it does, including every
// callback it makes, runs on its own strand of the io_context it was given.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace boost::asio {
class io_context;
}

namespace praktika::redis {

// "redis://HOST[:PORT][/0]"; HOST may be a name, an IPv4 address or "[IPv6]". Port 6379 by default.
struct Endpoint {
  std::string host;
  int port = 6379;
};
Result<Endpoint> parse_url(std::string_view url);

// A reply, copied out of hiredis so that it outlives the callback and crosses threads.
struct Reply {
  enum class Kind { nil, integer, string, status, error, array };
  Kind kind = Kind::nil;
  std::int64_t integer = 0;
  std::string str;              // string, status ("OK") and error ("WRONGTYPE …") replies
  std::vector<Reply> elements;  // array replies

  bool is_error() const { return kind == Kind::error; }
  bool is_nil() const { return kind == Kind::nil; }
};

// Called on the client's strand. An error Status ("redis_unavailable") means the command
// was not answered: the client was disconnected when it was issued, or the connection
// dropped before the reply came. An error *reply* from Redis is a Reply of Kind::error.
using ReplyCallback = std::function<void(Result<Reply>)>;

struct ClientOptions {
  // Reconnect delay after a failed attempt or a dropped connection: doubles from min to max.
  std::chrono::milliseconds reconnect_min{100};
  std::chrono::milliseconds reconnect_max{2000};
  // A connection attempt that has not completed by then is abandoned and retried.
  std::chrono::milliseconds connect_timeout{2000};
  // The connection is dropped (and re-made) when a command waits longer than this for its
  // reply: a stopped or partitioned Redis keeps the socket open but never answers.
  std::chrono::milliseconds command_timeout{3000};
  // Told true when a connection is established, false when it is lost. On the strand.
  std::function<void(bool connected)> on_state;
  // Subscriber mode: on every connection the client subscribes to `channel` and hands each
  // message's payload to `on_message`, on the strand. Such a client is given no commands.
  std::string channel;
  std::function<void(std::string_view payload)> on_message;
};

// Disconnect semantics: when the connection drops, every command still waiting for its reply
// completes with the "redis_unavailable" Status, on_state(false) is called, and the client
// reconnects with backoff until close(). Commands issued while disconnected fail the same way
// at once (they are not queued: callers re-send their state on on_state(true)).
//
// The hiredis context and its socket are owned by the client; the socket is never closed by
// Asio (hiredis closes it). Commands issued close together are written together (pipelined).
class Client {
 public:
  // Starts connecting in the background. Fails only on a malformed URL.
  static Result<std::unique_ptr<Client>> create(boost::asio::io_context& io, std::string_view url,
                                                ClientOptions options = {});
  // Closes (see close()). Callbacks may still run afterwards, on the strand, until the
  // io_context has run the pending work; they must not rely on the Client object.
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Binary-safe: each argument is sent as is. `done` may be empty (fire and forget).
  void command(std::vector<std::string> argv, ReplyCallback done = {});

  // Stops reconnecting and drops the connection; commands waiting for replies fail.
  // Idempotent; on_state is not called again afterwards.
  void close();

  // Whether the connection is up now (may be stale by the time the caller acts on it).
  bool connected() const;
  const Endpoint& endpoint() const;

  class Impl;

 private:
  explicit Client(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace praktika::redis
