// The open WebSockets of each signed-in person, so that a logout or a change of roles reaches the
// sockets still holding the identity read at their upgrade: App closes them, and the client
// reconnects with what its cookie says now. Any thread; the table is guarded by mutex_.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "net/server.h"
#include "common/mutex.h"

namespace praktika::app {

class SocketsByUser {
 public:
  void add(std::int64_t user, const std::shared_ptr<net::WsConnection>& socket);
  void remove(std::int64_t user, std::uint64_t connection_id);
  // Forgets the user's sockets and returns those still alive.
  std::vector<std::shared_ptr<net::WsConnection>> take(std::int64_t user);

 private:
  using Entry = std::pair<std::uint64_t, std::weak_ptr<net::WsConnection>>;

  // Guarded by mutex_.
  Mutex mutex_;
  std::unordered_map<std::int64_t, std::vector<Entry>> by_user_ GUARDED_BY(mutex_);
};

}  // namespace praktika::app
