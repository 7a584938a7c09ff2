#include "live/publisher.h"

namespace praktika::live::topic {

std::string timeline(std::string_view event) { return "timeline:" + std::string(event); }
std::string practice(std::string_view event, std::int64_t practice) {
  return "practice:" + std::string(event) + ":" + std::to_string(practice);
}
std::string section(std::string_view event, int section) {
  return "section:" + std::string(event) + ":" + std::to_string(section);
}
std::string section_moderation(std::string_view event, int section) {
  return "section-moderation:" + std::string(event) + ":" + std::to_string(section);
}
std::string author(std::string_view event, std::int64_t user) {
  return "author:" + std::string(event) + ":" + std::to_string(user);
}
std::string results(std::string_view event) { return "results:" + std::string(event); }
std::string flashmob(std::string_view event) { return "flashmob:" + std::string(event); }
std::string flashmob_item(std::string_view event, std::int64_t item) {
  return "flashmob-item:" + std::string(event) + ":" + std::to_string(item);
}
std::string certificates(std::string_view event) { return "certificates:" + std::string(event); }
std::string operations(std::string_view event) { return "operations:" + std::string(event); }

}  // namespace praktika::live::topic
