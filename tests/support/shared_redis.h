// The Redis that scripts/test.sh started for the whole run (PRAKTIKA_TEST_REDIS_URL), or one of
// the test's own, started here and killed with this object. url() is empty when neither is there.
#pragma once

#include <cstdlib>
#include <memory>
#include <string>

#include "support/redis_server.h"

namespace praktika::test {

class SharedRedis {
 public:
  SharedRedis() {
    if (const char* url = std::getenv("PRAKTIKA_TEST_REDIS_URL"); url && *url) {
      url_ = url;
    } else if (auto own = RedisServer::start()) {
      own_ = std::move(*own);
      url_ = own_->url();
    }
  }
  const std::string& url() const { return url_; }

 private:
  std::unique_ptr<RedisServer> own_;
  std::string url_;
};

}  // namespace praktika::test
