#include "gallery/wire.h"

#include <gtest/gtest.h>

namespace praktika::gallery {
namespace {

using nlohmann::json;

// The shape clients read from the answers and the pushes alike (docs/protocol.md).
TEST(GalleryWire, ACommentCarriesEveryKeyWithNullsForWhatItLacks) {
  Comment c{7, 3, std::nullopt, {42, "Анна Петрова"}, std::nullopt, "2020-07-07T10:00:00+08:00", std::nullopt, true,
            false};
  json expected = {{"id", 7},
                   {"practice", 3},
                   {"parent", nullptr},
                   {"author", {{"id", 42}, {"full_name", "Анна Петрова"}}},
                   {"text", nullptr},
                   {"created_at", "2020-07-07T10:00:00+08:00"},
                   {"edited_at", nullptr},
                   {"hidden", true},
                   {"deleted", false}};
  EXPECT_EQ(wire(c), expected);

  c.parent = 5;
  c.text = "Спасибо!";
  c.edited_at = "2020-07-07T10:05:00+08:00";
  json reply = wire(c);
  EXPECT_EQ(reply["parent"], 5);
  EXPECT_EQ(reply["text"], "Спасибо!");
  EXPECT_EQ(reply["edited_at"], "2020-07-07T10:05:00+08:00");
}

}  // namespace
}  // namespace praktika::gallery
