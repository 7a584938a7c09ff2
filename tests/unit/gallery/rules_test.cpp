#include "gallery/gallery.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace praktika::gallery {
namespace {

timeline::Agenda with_gallery(const nlohmann::json& part) {
  std::ifstream in(std::string(PRAKTIKA_SOURCE_DIR) + "/agenda/irkutsk-2020.json");
  std::stringstream text;
  text << in.rdbuf();
  auto doc = nlohmann::json::parse(text.str());
  if (part.is_null()) doc.erase("gallery");
  else doc["gallery"] = part;
  auto parsed = timeline::parse_agenda(doc.dump(), "test.json");
  EXPECT_TRUE(std::holds_alternative<timeline::Agenda>(parsed));
  return std::get<timeline::Agenda>(parsed);
}

TEST(GalleryRules, TheShippedAgendaIsValid) {
  auto agenda = with_gallery(nlohmann::json::object());
  std::ifstream in(std::string(PRAKTIKA_SOURCE_DIR) + "/agenda/irkutsk-2020.json");
  std::stringstream text;
  text << in.rdbuf();
  auto shipped = std::get<timeline::Agenda>(timeline::parse_agenda(text.str(), "irkutsk-2020.json"));
  EXPECT_FALSE(check_agenda(shipped));
  EXPECT_FALSE(rules_of(shipped).public_from);
}

TEST(GalleryRules, AnAbsentPartGivesTheDefaults) {
  auto agenda = with_gallery(nullptr);
  EXPECT_FALSE(check_agenda(agenda));
  EXPECT_EQ(rules_of(agenda).comment_max_chars, 2000u);
  EXPECT_EQ(rules_of(agenda).page_size, 20);
}

TEST(GalleryRules, PublicFromIsAnInstant) {
  auto agenda = with_gallery({{"public_from", "2020-07-09T00:00+08:00"}, {"comment_max_chars", 500}});
  EXPECT_FALSE(check_agenda(agenda));
  auto rules = rules_of(agenda);
  ASSERT_TRUE(rules.public_from);
  EXPECT_EQ(*rules.public_from, *parse_instant("2020-07-08T16:00:00Z"));
  EXPECT_EQ(rules.comment_max_chars, 500u);
}

TEST(GalleryRules, MistakesAreNamedByTheirPath) {
  auto error = check_agenda(with_gallery({{"public_from", "9 July"}}));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->json_path, "/gallery/public_from");
  error = check_agenda(with_gallery({{"page_sise", 10}}));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->json_path, "/gallery/page_sise");
  error = check_agenda(with_gallery({{"comment_max_chars", 0}}));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->json_path, "/gallery/comment_max_chars");
}

}  // namespace
}  // namespace praktika::gallery
