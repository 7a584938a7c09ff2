// The typed catalogue other modules read (intake/catalogue.h), on a temporary store (label
// `store`: run again on PostgreSQL by scripts/test_postgresql.sh). The owners' and co-authors'
// names come from the accounts' readers, not from a join in the catalogue's SQL.
#include "intake/catalogue.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/db.h"
#include "support/temp_dir.h"
#include "support/test_store.h"

namespace praktika::intake {
namespace {

class Catalogue : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = test::open_test_store(dir_.path() / "db.sqlite3");
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_ = std::move(db).value();
  }

  std::int64_t user(const std::string& email, const std::string& name) {
    std::int64_t id = 0;
    auto s = db_->transaction([&](store::Tx& tx) -> Status {
      auto st = tx.prepare("INSERT INTO users (email, password_hash, full_name, created_at) VALUES (?1, 'x', ?2, 0)")
                    .bind_text(1, email)
                    .bind_text(2, name)
                    .run();
      id = tx.last_insert_id();
      return st;
    });
    EXPECT_TRUE(s) << s.message();
    return id;
  }

  std::int64_t practice(std::int64_t owner, const std::vector<std::string>& coauthors) {
    std::int64_t id = 0;
    auto s = db_->transaction([&](store::Tx& tx) -> Status {
      auto st = tx.prepare("INSERT INTO practices (event_id, owner_id, section, type, answers, state, revision, "
                           "created_at, updated_at, submitted_at) VALUES ('irkutsk-2020', ?1, 1, 'practice', "
                           "'{\"organisation\":{\"name\":\"МБУ «Семья»\"}}', 'submitted', 1, 0, 0, 0)")
                    .bind_int(1, owner)
                    .run();
      if (!st) return st;
      id = tx.last_insert_id();
      for (const auto& email : coauthors) {
        auto added = tx.prepare("INSERT INTO practice_coauthors (practice_id, email) VALUES (?1, ?2)")
                         .bind_int(1, id)
                         .bind_text(2, email)
                         .run();
        if (!added) return added;
      }
      return Status::ok();
    });
    EXPECT_TRUE(s) << s.message();
    return id;
  }

  test::TempDir dir_;
  std::unique_ptr<store::Db> db_;
};

TEST_F(Catalogue, APracticeCarriesItsOwnersNameAndAddressFromTheAccounts) {
  const auto anna = user("anna@dom.ru", "Анна Иванова");
  const auto boris = user("boris@dom.ru", "Борис Петров");
  const auto first = practice(anna, {});
  const auto second = practice(boris, {});
  std::vector<Practice> found;
  auto s = db_->read([&](store::Tx& tx) -> Status {
    auto read = practices(tx, "irkutsk-2020", {});
    if (!read) return read.status();
    found = std::move(*read);
    return Status::ok();
  });
  ASSERT_TRUE(s) << s.message();
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].id, first);
  EXPECT_EQ(found[0].owner_name, "Анна Иванова");
  EXPECT_EQ(found[0].owner_email, "anna@dom.ru");
  EXPECT_EQ(found[1].id, second);
  EXPECT_EQ(found[1].owner_name, "Борис Петров");
  EXPECT_EQ(institution_of(found[1]), "МБУ «Семья»");
}

TEST_F(Catalogue, TheAuthorsAreTheOwnerFirstThenRegisteredCoAuthorsByName) {
  const auto owner = user("owner@dom.ru", "Яна Смирнова");
  // Their addresses sort the other way round from their names.
  const auto vera = user("a.vera@dom.ru", "Вера Козлова");
  const auto alla = user("z.alla@dom.ru", "Алла Орлова");
  // The owner named among the co-authors counts once; an address without an account is no author yet.
  const auto id = practice(owner, {"a.vera@dom.ru", "nobody@dom.ru", "z.alla@dom.ru", "owner@dom.ru"});
  std::vector<Author> authors;
  auto s = db_->read([&](store::Tx& tx) -> Status {
    auto read = authors_of(tx, id);
    if (!read) return read.status();
    authors = std::move(*read);
    return Status::ok();
  });
  ASSERT_TRUE(s) << s.message();
  ASSERT_EQ(authors.size(), 3u);
  EXPECT_EQ(authors[0].user_id, owner);
  EXPECT_TRUE(authors[0].owner);
  EXPECT_EQ(authors[1].user_id, alla);
  EXPECT_EQ(authors[1].full_name, "Алла Орлова");
  EXPECT_FALSE(authors[1].owner);
  EXPECT_EQ(authors[2].user_id, vera);
  EXPECT_EQ(authors[2].email, "a.vera@dom.ru");
}

TEST_F(Catalogue, APracticeThatDoesNotExistHasNoAuthors) {
  std::size_t count = 1;
  auto s = db_->read([&](store::Tx& tx) -> Status {
    auto read = authors_of(tx, 4242);
    if (!read) return read.status();
    count = read->size();
    return Status::ok();
  });
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(count, 0u);
}

}  // namespace
}  // namespace praktika::intake
