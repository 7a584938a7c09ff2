#include "support/pdf_upload.h"

#include <gtest/gtest.h>

#include "support/bytes.h"
#include "support/media_fixtures.h"
#include "support/scenario.h"

namespace praktika::test {

HttpResult send_by_tus(HttpClient& http, const std::string& create_url, const std::string& bytes,
                       const std::string& metadata) {
  // An empty header is not sent (HttpClient::request): no metadata, no Upload-Metadata.
  auto created = http.request("POST", create_url, "",
                              {{"Tus-Resumable", "1.0.0"},
                               {"Upload-Length", std::to_string(bytes.size())},
                               {"Upload-Metadata", metadata}});
  EXPECT_EQ(created.status, 201) << created.body;
  if (created.status != 201) return created;
  auto done = http.request("PATCH", created.headers["location"], bytes,
                           {{"Tus-Resumable", "1.0.0"},
                            {"Content-Type", "application/offset+octet-stream"},
                            {"Upload-Offset", "0"}});
  EXPECT_EQ(done.status, 204) << done.body;
  return created;
}

std::string upload_pdf(HttpClient& http, const std::string& purpose, int id) {
  media::testing::TempDir work;
  media::testing::write_pdf(work.path() / "file.pdf", 1);
  std::string bytes = read_file(work.path() / "file.pdf");
  auto created = send_by_tus(http, kEventApi + "/uploads?purpose=" + purpose, bytes,
                             "filename " + base64(purpose + ".pdf") + ",practice " + base64(std::to_string(id)));
  return created.headers["location"];
}

}  // namespace praktika::test
