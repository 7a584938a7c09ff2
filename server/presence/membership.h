// Internal to presence: this instance's members per topic. Not thread-safe: the owner guards
// it with its mutex.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace praktika::presence {

class Membership {
 public:
  // True when the member was not there yet.
  bool add(const std::string& topic, const std::string& member) { return topics_[topic].insert(member).second; }

  // True when the member was there.
  bool remove(const std::string& topic, const std::string& member) {
    auto it = topics_.find(topic);
    if (it == topics_.end() || it->second.erase(member) == 0) return false;
    if (it->second.empty()) topics_.erase(it);
    return true;
  }

  std::int64_t count(const std::string& topic) const {
    auto it = topics_.find(topic);
    return it == topics_.end() ? 0 : static_cast<std::int64_t>(it->second.size());
  }

  const std::unordered_map<std::string, std::unordered_set<std::string>>& topics() const { return topics_; }

 private:
  std::unordered_map<std::string, std::unordered_set<std::string>> topics_;
};

}  // namespace praktika::presence
