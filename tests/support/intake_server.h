// A fixture for integration tests: the shipped event's server during the intake, on a fresh data
// directory with the organiser account, and the people signed in to it. One thread at a time.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "support/scenario.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace praktika::test {

class IntakeServer : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(create_organiser(data_.path()));
    auto started = ServerProcess::start({.data_dir = data_.path(), .clock = kDuringIntake});
    ASSERT_TRUE(started);
    server_ = std::move(*started);
    people_ = std::make_unique<People>(server_->port());
  }

  TempDir data_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<People> people_;
};

}  // namespace praktika::test
