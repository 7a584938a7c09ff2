// The one way a module pushes a live event: it names the topic with a builder below and hands the
// event to a Publisher. The Publisher serialises it once and delivers it to the topic's
// subscribers (hub/hub.h); which instances and in what order is the Publisher's business, not the
// module's. Thread-safe: called from any thread; it never waits on a subscriber.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace praktika::live {

// Topic names, "<family>:{event}[:<which>]": one builder per family, so a module and the policy
// that admits its subscribers cannot spell a topic two ways.
namespace topic {
std::string timeline(std::string_view event);
std::string practice(std::string_view event, std::int64_t practice);  // the gallery's discussion
std::string section(std::string_view event, int section);
std::string section_moderation(std::string_view event, int section);
std::string author(std::string_view event, std::int64_t user);  // a presenter's notices
std::string results(std::string_view event);
std::string flashmob(std::string_view event);  // the feed's now_playing
std::string flashmob_item(std::string_view event, std::int64_t item);
std::string certificates(std::string_view event);  // a job's progress
std::string operations(std::string_view event);    // the organiser's live view of this instance
}  // namespace topic

class Publisher {
 public:
  virtual ~Publisher() = default;
  // An event of the topic's story (a comment, a state, a stage opened).
  virtual void publish(const std::string& topic, std::string_view event, const nlohmann::json& data) = 0;
  // A figure each instance works out for itself (a presence count): to this instance's
  // subscribers only, never numbered or replayed.
  virtual void notify(const std::string& topic, std::string_view event, const nlohmann::json& data) = 0;
};

}  // namespace praktika::live
