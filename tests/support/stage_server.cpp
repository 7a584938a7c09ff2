#include "support/stage_server.h"

#include <string>

namespace praktika::test {

void StageServerTest::SetUp() {
  std::string output;
  ASSERT_TRUE(create_organiser(data_.path(), &output)) << output;
  auto smtp = SmtpServer::start(mail_dir_.path());
  ASSERT_TRUE(smtp) << smtp.status().message();
  smtp_ = std::move(*smtp);
}

void StageServerTest::start_server(ServerOptions options, bool with_smtp) {
  if (server_) server_->stop();
  server_.reset();
  options.data_dir = data_.path();
  if (with_smtp) options.extra_args.insert(options.extra_args.end(), {"--smtp", smtp_->url()});
  auto started = ServerProcess::start(options);
  ASSERT_TRUE(started) << started.status().message();
  server_ = std::move(*started);
  if (people_) people_->reconnect(server_->port());
  else people_ = std::make_unique<People>(server_->port());
}

}  // namespace praktika::test
