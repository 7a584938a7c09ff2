// A one-page PDF sent through tus by a signed-in person, for the integration tests that need a
// practice's file in place. One thread at a time.
#pragma once

#include <string>

#include "support/client.h"

namespace praktika::test {

// Sent by `http` to the shipped event for practice `id` with `purpose`; the upload's URL
// (/api/uploads/{id}). Failures are reported as gtest failures.
std::string upload_pdf(HttpClient& http, const std::string& purpose, int id);

}  // namespace praktika::test
