#include "net/router.h"

#include <gtest/gtest.h>

namespace praktika::net {
namespace {

RouteHandler answering(int status) {
  return [status](const Request&, const PathParams&) {
    Response r;
    r.status = status;
    return r;
  };
}

TEST(Router, BindsPathParametersBySegment) {
  Router router;
  router.add("GET", "/api/events/{id}/timeline", answering(200));
  auto m = router.match("GET", "/api/events/irkutsk-2020/timeline");
  ASSERT_EQ(m.outcome, Router::Outcome::matched);
  EXPECT_EQ(m.params.get("id"), "irkutsk-2020");
  EXPECT_EQ(m.params.get("missing"), "");
}

TEST(Router, LiteralSegmentsMustMatchExactly) {
  Router router;
  router.add("GET", "/api/events/{id}/timeline", answering(200));
  EXPECT_EQ(router.match("GET", "/api/events/x/timelines").outcome, Router::Outcome::no_such_path);
  EXPECT_EQ(router.match("GET", "/api/events/x").outcome, Router::Outcome::no_such_path);
  EXPECT_EQ(router.match("GET", "/api/events/x/timeline/more").outcome, Router::Outcome::no_such_path);
}

TEST(Router, AWrongMethodListsTheAllowedOnes) {
  Router router;
  router.add("GET", "/api/events/{id}/roles", answering(200));
  router.add("POST", "/api/events/{id}/roles", answering(201));
  auto m = router.match("PUT", "/api/events/x/roles");
  EXPECT_EQ(m.outcome, Router::Outcome::method_not_allowed);
  EXPECT_EQ(m.allowed, "GET, POST");
  auto post = router.match("POST", "/api/events/x/roles");
  ASSERT_EQ(post.outcome, Router::Outcome::matched);
  EXPECT_EQ((*post.handler)(Request{}, post.params).status, 201);
}

TEST(Router, HeadIsServedByTheGetRoute) {
  Router router;
  router.add("GET", "/api/health", answering(200));
  EXPECT_EQ(router.match("HEAD", "/api/health").outcome, Router::Outcome::matched);
}

TEST(Router, ListsEveryRouteForTheAuthorizationMatrix) {
  Router router;
  router.add("GET", "/a", answering(200));
  router.add("POST", "/b/{x}", answering(200));
  auto routes = router.routes();
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[1].method, "POST");
  EXPECT_EQ(routes[1].pattern, "/b/{x}");
}

}  // namespace
}  // namespace praktika::net
