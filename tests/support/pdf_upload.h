// Files sent through tus by a signed-in person, for the integration tests that need a practice's
// file in place: any bytes in one piece, or a one-page PDF. One thread at a time.
#pragma once

#include <string>

#include "support/client.h"

namespace praktika::test {

// Creates an upload at `create_url` (…/uploads?purpose=…) with tus's Upload-Metadata `metadata`
// (empty: none) and sends `bytes` in one PATCH; the creation's answer (its Location, its JSON id).
// Failures are reported as gtest failures.
HttpResult send_by_tus(HttpClient& http, const std::string& create_url, const std::string& bytes,
                       const std::string& metadata = "");

// Sent by `http` to the shipped event for practice `id` with `purpose`; the upload's URL
// (/api/uploads/{id}). Failures are reported as gtest failures.
std::string upload_pdf(HttpClient& http, const std::string& purpose, int id);

}  // namespace praktika::test
