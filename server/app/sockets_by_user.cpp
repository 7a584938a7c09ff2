#include "app/sockets_by_user.h"

#include <algorithm>

namespace praktika::app {

void SocketsByUser::add(std::int64_t user, const std::shared_ptr<net::WsConnection>& socket) {
  MutexLock lock(mutex_);
  by_user_[user].emplace_back(socket->id(), socket);
}

void SocketsByUser::remove(std::int64_t user, std::uint64_t connection_id) {
  MutexLock lock(mutex_);
  auto found = by_user_.find(user);
  if (found == by_user_.end()) return;
  auto& entries = found->second;
  std::erase_if(entries, [&](const Entry& e) { return e.first == connection_id; });
  if (entries.empty()) by_user_.erase(found);
}

std::vector<std::shared_ptr<net::WsConnection>> SocketsByUser::take(std::int64_t user) {
  std::vector<Entry> entries;
  {
    MutexLock lock(mutex_);
    auto found = by_user_.find(user);
    if (found == by_user_.end()) return {};
    entries = std::move(found->second);
    by_user_.erase(found);
  }
  std::vector<std::shared_ptr<net::WsConnection>> alive;
  for (auto& [id, weak] : entries)
    if (auto socket = weak.lock()) alive.push_back(std::move(socket));
  return alive;
}

}  // namespace praktika::app
