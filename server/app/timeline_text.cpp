#include "app/timeline_text.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace praktika::app {
namespace {

std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

}  // namespace

TimelineText::TimelineText(const timeline::Timeline& timeline) : timeline_(timeline) {
  for (const auto& stage : timeline.stage_ids()) {
    if (auto opens = timeline.opens_at(stage)) changes_.push_back(*opens);
    if (auto closes = timeline.closes_at(stage)) changes_.push_back(*closes);
  }
  std::sort(changes_.begin(), changes_.end());
}

std::shared_ptr<const std::string> TimelineText::rest_at(TimePoint now) {
  // A stage is open when opens <= now < closes: the state changes at each instant, not after it.
  const auto span = static_cast<std::size_t>(std::upper_bound(changes_.begin(), changes_.end(), now) - changes_.begin());
  {
    MutexLock lock(mutex_);
    if (rest_ && span_ == span) return rest_;
  }
  auto state = timeline_.to_json(now);
  state.erase("now");
  std::string text = dump(state);  // {"open":[…],"stages":[…]}: the braces go
  auto rest = std::make_shared<const std::string>(text.substr(1, text.size() - 2));
  MutexLock lock(mutex_);
  span_ = span;
  rest_ = rest;
  return rest;
}

std::string TimelineText::at(TimePoint now) {
  auto rest = rest_at(now);
  // "now" sorts before "open" and "stages", as nlohmann::json orders an object's members.
  std::string out = "{\"now\":";
  out += dump(timeline_.format(now));
  out += ',';
  out += *rest;
  out += '}';
  return out;
}

}  // namespace praktika::app
