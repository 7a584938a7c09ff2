#include "uploads/uploads_module.h"

#include <gtest/gtest.h>

#include "support/stage_harness.h"

namespace praktika::uploads {
namespace {

TimePoint at(const char* instant) { return *parse_instant(instant); }

TEST(UploadModule, AcceptsTheLargestFileAnyAgendaAllows) {
  test::StageHarness h(at("2020-06-10T12:00:00+08:00"));
  auto& uploads = h.add<UploadModule>();
  std::uint64_t largest = 0;
  for (const auto& [purpose, rules] : h.events().find("irkutsk-2020")->agenda->files)
    for (const auto& kind : rules.kinds) largest = std::max<std::uint64_t>(largest, kind.max_bytes.value_or(0));
  EXPECT_GT(largest, 0u);
  EXPECT_EQ(uploads.service().max_length(), largest);
  EXPECT_EQ(uploads.service().files_dir(), h.data_dir() / "files");
}

TEST(UploadModule, AnswersTheTusDiscoveryRoute) {
  test::StageHarness h(at("2020-06-10T12:00:00+08:00"));
  h.add<UploadModule>();
  h.wire();
  ASSERT_GT(h.services().stage<UploadModule>().service().max_length(), 0u);
  auto options = h.call("OPTIONS", "/api/uploads");
  EXPECT_EQ(options.status, 204) << options.body;
  std::string max_size;
  for (const auto& [name, value] : options.headers)
    if (name == "Tus-Max-Size" || name == "tus-max-size") max_size = value;
  EXPECT_EQ(max_size, std::to_string(h.services().stage<UploadModule>().service().max_length()));
  auto author = h.sign_in("author@example.org");
  EXPECT_EQ(h.call("GET", "/api/uploads/none", author.token).status, 404);
}

}  // namespace
}  // namespace praktika::uploads
