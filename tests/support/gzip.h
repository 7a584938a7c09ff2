// gzip decoding for the tests that check compressed answers. Pure function, any thread.
#pragma once

#include <string>

namespace praktika::test {

// A gzip stream's content (up to 8 MiB); "<not gzip>" when it is not a whole, valid stream.
std::string gunzip(const std::string& bytes);

}  // namespace praktika::test
