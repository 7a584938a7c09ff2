#include "app/operations.h"

#include <gtest/gtest.h>

namespace praktika::app {
namespace {

using nlohmann::json;

// What the organiser's page reads: counts it could not read are an empty object, mail counts
// appear only when read, and a state (Redis down) has no first and last instants.
TEST(OperationsWire, WhatWasNotReadIsLeftOutAndAStateHasNoInstants) {
  OperationsView view;
  view.at = "2020-07-07T02:00:00Z";
  view.presence_backend = "redis";
  view.mail.configured = true;
  view.certificates = OperationsView::Jobs{1, 2, 3};
  view.problems.push_back({"presence_unavailable", "Нет связи с Redis.", "Проверьте Redis.", 1, std::nullopt, std::nullopt});
  view.problems.push_back({"smtp_error", "Письма не уходят.", "Проверьте почту.", 4, "2020-07-07T01:00:00Z",
                           "2020-07-07T01:30:00Z"});
  json out = to_json(view);
  EXPECT_EQ(out["mail"], (json{{"configured", true}}));
  EXPECT_EQ(out["conversions"], json::object());
  EXPECT_EQ(out["certificates"], (json{{"queued", 1}, {"running", 2}, {"failed", 3}}));
  EXPECT_FALSE(out["problems"][0].contains("first"));
  EXPECT_EQ(out["problems"][1]["last"], "2020-07-07T01:30:00Z");
  EXPECT_EQ(out["presence"], (json{{"backend", "redis"}, {"healthy", false}}));
  EXPECT_EQ(out["pages"], json::array());

  view.mail = {true, true, 2, 1, 5, "2020-07-07T01:59:00Z"};
  EXPECT_EQ(to_json(view)["mail"],
            (json{{"configured", true}, {"pending", 2}, {"failed", 1}, {"sent", 5}, {"oldest_pending_at", "2020-07-07T01:59:00Z"}}));
}

}  // namespace
}  // namespace praktika::app
