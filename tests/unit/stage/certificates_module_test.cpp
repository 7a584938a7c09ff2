#include "certificates/certificates_module.h"

#include <gtest/gtest.h>

#include "intake/intake_module.h"
#include "review/review_module.h"
#include "sections/sections_module.h"
#include "support/stage_harness.h"
#include "uploads/uploads_module.h"

namespace praktika::certificates {
namespace {

TimePoint at(const char* instant) { return *parse_instant(instant); }

TEST(CertificateModule, ChecksItsPartOfTheAgenda) {
  auto agenda = test::StageHarness::agenda("irkutsk-2020.json");
  EXPECT_FALSE(CertificateModule().check(agenda));
  agenda.modules["certificates"] = nlohmann::json{{"no_such_field", 1}};
  auto error = CertificateModule().check(agenda);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->json_path.rfind("/certificates", 0), 0u) << error->json_path;
}

TEST(CertificateModule, StartsAndAnswersItsRoutes) {
  test::StageHarness h(at("2020-07-09T12:00:00+08:00"));
  h.add<intake::IntakeModule>();
  h.add<uploads::UploadModule>();
  h.add<review::ReviewModule>();
  h.add<sections::SectionModule>();
  h.add<CertificateModule>();
  h.wire();
  ASSERT_TRUE(h.start().ok());
  EXPECT_EQ(h.call("GET", "/api/certificates/no-such-number").status, 404);
  auto organiser = h.sign_in("chair@example.org", {{"irkutsk-2020", accounts::Role::organiser, std::nullopt}});
  auto issued = h.call("GET", "/api/events/irkutsk-2020/certificates", organiser.token);
  EXPECT_EQ(issued.status, 200) << issued.body;
  ASSERT_TRUE(h.registry().topics.count("certificates"));
  EXPECT_EQ(h.registry().subscribe("certificates:irkutsk-2020", std::nullopt).status().http_status(), 401);
  EXPECT_TRUE(h.registry().subscribe("certificates:irkutsk-2020", organiser.identity).ok());
}

}  // namespace
}  // namespace praktika::certificates
