#include "sections/run_store.h"

#include <gtest/gtest.h>

#include <stdlib.h>

#include <filesystem>

#include "store/db.h"
#include "support/test_store.h"

namespace praktika::sections {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
// gtest's Test::Run would hide the name inside a test.
using SectionRun = praktika::sections::Run;

const TimePoint kAt = *parse_instant("2020-07-08T10:00:00+08:00");

class RunStore : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "praktika-runs-XXXXXX").string();
    dir_ = ::mkdtemp(pattern.data());
    auto db = test::open_test_store(dir_ / "praktika.db");
    ASSERT_TRUE(db.ok()) << db.status().code();
    db_ = std::move(db).value();
  }
  void TearDown() override {
    db_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  SectionRun load(int section = 1) {
    SectionRun out;
    Status s = db_->read([&](store::Tx& tx) -> Status {
      auto run = load_run(tx, "ev", section);
      if (!run) return run.status();
      out = std::move(*run);
      return Status::ok();
    });
    EXPECT_TRUE(s) << s.code();
    return out;
  }

  void save(const SectionRun& run) {
    Status s = db_->transaction([&](store::Tx& tx) { return save_run(tx, "ev", 1, run, kAt); });
    ASSERT_TRUE(s) << s.code();
  }

  fs::path dir_;
  std::unique_ptr<store::Db> db_;
};

SectionRun everything() {
  SectionRun run;
  run.status = RunStatus::paused;
  run.current = SectionRun::Current{12, 660, kAt, kAt + 11min};
  run.remaining = 6min;
  run.queue = {{13, 600}};
  run.done = {{11, Outcome::presented, kAt - 10min, kAt}, {14, Outcome::absent, std::nullopt, kAt - 5min}};
  run.fired = {"warning:5"};
  run.started_at = kAt - 30min;
  run.version = 9;
  run.rehearsal = true;
  return run;
}

TEST_F(RunStore, ASectionNeverStoredReadsAsWaitingAtVersionZero) {
  SectionRun run = load();
  EXPECT_EQ(run.status, RunStatus::waiting);
  EXPECT_EQ(run.version, 0);
  EXPECT_FALSE(run.current);
  EXPECT_FALSE(run.started_at);
}

TEST_F(RunStore, ARunReadsBackAsItWasSaved) {
  SectionRun saved = everything();
  save(saved);
  SectionRun run = load();
  EXPECT_EQ(run.status, RunStatus::paused);
  ASSERT_TRUE(run.current);
  EXPECT_EQ(run.current->practice, 12);
  EXPECT_EQ(run.current->seconds, 660);
  EXPECT_EQ(run.current->started_at, kAt);
  EXPECT_EQ(run.current->ends_at, kAt + 11min);
  EXPECT_EQ(run.remaining, 6min);
  EXPECT_EQ(run.queue, saved.queue);
  ASSERT_EQ(run.done.size(), 2u);
  EXPECT_EQ(run.done[0].started_at, kAt - 10min);
  EXPECT_EQ(run.done[1].outcome, Outcome::absent);
  EXPECT_FALSE(run.done[1].started_at);
  EXPECT_EQ(run.fired, saved.fired);
  EXPECT_EQ(run.started_at, kAt - 30min);
  EXPECT_FALSE(run.closed_at);
  EXPECT_EQ(run.version, 9);
  EXPECT_TRUE(run.rehearsal);
  EXPECT_TRUE(load(2).status == RunStatus::waiting);
}

// Rows written before the run became typed must read the same: a restart during the day keeps them.
TEST_F(RunStore, ARowInTheStoredJsonFormReadsAsTheRun) {
  const std::int64_t ms = kAt.time_since_epoch().count();
  std::string state = R"({"status":"running","remaining_ms":0,"queue":[{"practice":13,"seconds":600}],)"
                      R"("fired":["warning:5"],"started_at":)" + std::to_string(ms - 60000) +
                      R"(,"closed_at":0,"rehearsal":false,"current":{"practice":12,"seconds":900,"started_at":)" +
                      std::to_string(ms) + R"(,"ends_at":)" + std::to_string(ms + 900000) +
                      R"(},"done":[{"practice":11,"outcome":"absent","started_at":0,"ended_at":)" +
                      std::to_string(ms - 30000) + "}]}";
  Status s = db_->transaction([&](store::Tx& tx) {
    return tx.prepare("INSERT INTO section_runs (event_id, section, state, version, updated_at) VALUES ('ev', 1, ?1, 4, 0)")
        .bind_text(1, state)
        .run();
  });
  ASSERT_TRUE(s) << s.code();
  SectionRun run = load();
  EXPECT_EQ(run.status, RunStatus::running);
  EXPECT_EQ(run.version, 4);
  EXPECT_EQ(run.started_at, kAt - 1min);
  EXPECT_FALSE(run.closed_at);
  EXPECT_EQ(run.current->ends_at, kAt + 15min);
  EXPECT_EQ(run.done[0].outcome, Outcome::absent);
  EXPECT_FALSE(run.done[0].started_at);
  EXPECT_EQ(run.done[0].ended_at, kAt - 30s);

  // And saved again, the row keeps that form.
  save(run);
  std::string stored;
  s = db_->read([&](store::Tx& tx) -> Status {
    auto q = tx.prepare("SELECT state FROM section_runs WHERE event_id = 'ev' AND section = 1");
    auto row = q.step();
    if (!row) return row.status();
    stored = q.text(0);
    return Status::ok();
  });
  ASSERT_TRUE(s);
  EXPECT_EQ(nlohmann::json::parse(stored), nlohmann::json::parse(state));
}

TEST_F(RunStore, EveryStoredSectionIsListed) {
  save(everything());
  auto listed = std::vector<std::pair<std::string, int>>{};
  Status s = db_->read([&](store::Tx& tx) -> Status {
    auto runs = stored_runs(tx);
    if (!runs) return runs.status();
    listed = *runs;
    return Status::ok();
  });
  ASSERT_TRUE(s);
  EXPECT_EQ(listed, (std::vector<std::pair<std::string, int>>{{"ev", 1}}));
}

}  // namespace
}  // namespace praktika::sections
