// Free loopback TCP ports for tests. Pure functions, any thread.
#pragma once

namespace praktika::test {

// A port on 127.0.0.1 that was free a moment ago (bound to port 0, then released). Another
// process may take it before the caller does; tests that bind it themselves should prefer port 0.
int free_port();

}  // namespace praktika::test
