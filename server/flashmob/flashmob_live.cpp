#include "flashmob/flashmob_live.h"

#include <charconv>

#include <nlohmann/json.hpp>

#include "common/errors.h"
#include "flashmob/wire.h"

namespace praktika::flashmob {

using nlohmann::json;

void add_live(live::Registry& registry, FlashmobService& flashmob) {
  registry.add_topic("flashmob", {[&flashmob](const live::Caller&, const std::vector<std::string>& parts) -> Result<json> {
                                    if (parts.size() != 1) return errors::invalid_topic();
                                    auto feed = flashmob.now(parts[0]);
                                    if (!feed) return feed.status();
                                    return to_json(*feed);
                                  },
                                  {}});
  registry.add_topic(
      "flashmob-item", {[&flashmob](const live::Caller& caller, const std::vector<std::string>& parts) -> Result<json> {
                          if (parts.size() != 2) return errors::invalid_topic();
                          if (!caller.identity) return errors::not_authenticated();
                          std::int64_t id = 0;
                          auto [p, ec] = std::from_chars(parts[1].data(), parts[1].data() + parts[1].size(), id);
                          if (ec != std::errc{} || p != parts[1].data() + parts[1].size())
                            return item_not_found();
                          auto item = flashmob.item(*caller.identity, parts[0], id);
                          if (!item) return item.status();
                          return json{{"item", to_json(*item)}};
                        },
                        {}});
}

void push_feed_changes(live::Alarm& alarm, FlashmobService& flashmob, const std::string& event_id) {
  // Due at once: the next boundary is read on the alarm's strand, so two schedule changes told
  // from two threads cannot leave the older answer in place.
  const std::string key = "flashmob:" + event_id;
  alarm.set(key, TimePoint{}, [&alarm, &flashmob, event_id, key] {
    alarm.set(key, flashmob.next_change(event_id), [&alarm, &flashmob, event_id] {
      if (auto now = flashmob.now(event_id)) flashmob.publish_now(event_id, *now);
      push_feed_changes(alarm, flashmob, event_id);
    });
  });
}

}  // namespace praktika::flashmob
