// The certificate job's claims on a store shared by several instances (label `store`: run again
// on PostgreSQL by scripts/test_postgresql.sh, where they take rows with FOR UPDATE SKIP LOCKED).
#include "certificates/certificates.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "store/db.h"
#include "support/temp_dir.h"
#include "support/test_store.h"

namespace praktika::certificates {
namespace {

using namespace std::chrono_literals;

const TimePoint kStart = TimePoint(Millis(1593396000000));

class CertificateClaims : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = test::open_test_store(dir_.path() / "db.sqlite3");
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_ = std::move(db).value();
  }
  // A running job of `count` pending certificates, one per new user; the job's id.
  std::int64_t running_job(int count) {
    std::int64_t job = 0;
    auto s = db_->transaction([&](store::Tx& tx) -> Status {
      auto user = [&](int i) -> Result<std::int64_t> {
        auto st = tx.prepare("INSERT INTO users (email, password_hash, full_name, created_at) VALUES (?1, 'x', ?2, 0)")
                      .bind_text(1, "p" + std::to_string(i) + "@dom.ru")
                      .bind_text(2, "Участник " + std::to_string(i))
                      .run();
        if (!st) return st;
        return tx.last_insert_id();
      };
      auto organiser = user(-1);
      if (!organiser) return organiser.status();
      auto st = tx.prepare(
                      "INSERT INTO certificate_jobs (event_id, state, total, send_mail, started_by, created_at) "
                      "VALUES ('irkutsk-2020', 'running', ?1, 0, ?2, 0)")
                    .bind_int(1, count)
                    .bind_int(2, *organiser)
                    .run();
      if (!st) return st;
      job = tx.last_insert_id();
      for (int i = 0; i < count; ++i) {
        auto u = user(i);
        if (!u) return u.status();
        st = tx.prepare(
                   "INSERT INTO certificates (number, event_id, user_id, template, data, email, state, job_id, created_at) "
                   "VALUES (?1, 'irkutsk-2020', ?2, 'certificate', '{}', 'p@dom.ru', 'pending', ?3, 0)")
                 .bind_text(1, "N" + std::to_string(i))
                 .bind_int(2, *u)
                 .bind_int(3, job)
                 .run();
        if (!st) return st;
      }
      return Status::ok();
    });
    EXPECT_TRUE(s.is_ok()) << s.message();
    return job;
  }

  test::TempDir dir_;
  std::unique_ptr<store::Db> db_;
};

TEST_F(CertificateClaims, AHeldCertificateIsNotOfferedOrTakenAgainUntilItsHoldLapses) {
  auto job = running_job(2);
  auto all = unclaimed_certificates(*db_, kStart);
  ASSERT_TRUE(all.ok()) << all.status().message();
  ASSERT_EQ(all->size(), 2u);
  auto [j, first] = (*all)[0];
  EXPECT_EQ(j, job);
  EXPECT_TRUE(*claim_certificate(*db_, job, first, kStart, Millis(2min)));
  EXPECT_FALSE(*claim_certificate(*db_, job, first, kStart + 1min, Millis(2min)));
  ASSERT_EQ(unclaimed_certificates(*db_, kStart + 1min)->size(), 1u);
  // Its holder died: after the hold another instance takes it.
  EXPECT_EQ(unclaimed_certificates(*db_, kStart + 2min)->size(), 2u);
  EXPECT_TRUE(*claim_certificate(*db_, job, first, kStart + 2min, Millis(2min)));
  // Of another job (re-queued by a newer one): not taken.
  EXPECT_FALSE(*claim_certificate(*db_, job + 1, (*all)[1].second, kStart, Millis(2min)));
}

// Two instances' workers, each offered every certificate at the same moment: each is taken by one.
TEST_F(CertificateClaims, TwoInstancesClaimingAtOnceNeverTakeTheSameCertificate) {
  constexpr int kCount = 40;
  auto job = running_job(kCount);
  auto offered = unclaimed_certificates(*db_, kStart);
  ASSERT_EQ(offered->size(), static_cast<std::size_t>(kCount));
  auto other = test::open_test_store(dir_.path() / "db.sqlite3");
  ASSERT_TRUE(other.ok()) << other.status().message();

  std::vector<std::int64_t> taken[2];
  std::atomic<int> errors{0};
  auto run = [&](store::Db& db, std::vector<std::int64_t>& mine) {
    for (const auto& [j, certificate] : *offered) {
      for (;;) {
        auto got = claim_certificate(db, j, certificate, kStart, Millis(2min));
        if (!got && got.status().code() == store::kStorageBusy) continue;
        if (!got) ++errors;
        else if (*got) mine.push_back(certificate);
        break;
      }
    }
  };
  std::thread a([&] { run(*db_, taken[0]); });
  std::thread b([&] { run(**other, taken[1]); });
  a.join();
  b.join();
  EXPECT_EQ(errors.load(), 0);
  std::set<std::int64_t> all(taken[0].begin(), taken[0].end());
  for (auto id : taken[1]) EXPECT_TRUE(all.insert(id).second) << "certificate " << id << " taken twice";
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kCount));
  EXPECT_TRUE(unclaimed_certificates(*db_, kStart + 1min)->empty());
  (void)job;
}

}  // namespace
}  // namespace praktika::certificates
