// The fixture most stage tests derive from: a data directory with the organiser's account, an SMTP
// server of the test's own that receives the letters, and the server, (re)started at a clock on
// the same data with the people reconnected. One thread at a time.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "support/scenario.h"
#include "support/server_process.h"
#include "support/smtp_server.h"
#include "support/temp_dir.h"

namespace praktika::test {

class StageServerTest : public ::testing::Test {
 protected:
  void SetUp() override;

  // Stops a running server and starts one with `options` on data_ (its data_dir is set here),
  // sending mail to smtp_ when `with_smtp`; people_ follow it to the new port.
  void start_server(ServerOptions options, bool with_smtp = true);

  TempDir data_;
  TempDir mail_dir_;
  std::unique_ptr<SmtpServer> smtp_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<People> people_;
};

}  // namespace praktika::test
