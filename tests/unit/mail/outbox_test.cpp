#include "mail/outbox.h"

#include <gtest/gtest.h>

#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <set>
#include <thread>

#include "mail/sender.h"
#include "mail/template.h"
#include "store/db.h"
#include "support/test_store.h"
#include "support/temp_dir.h"

namespace praktika::mail {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

using test::TempDir;

const TimePoint kStart = TimePoint(Millis(1593396000000));  // 2020-06-29T02:00:00Z

Message letter(const std::string& key) {
  return Message{key, "irkutsk-2020", {"a@dom.ru", "b@dom.ru"}, "Решение экспертной группы", "Здравствуйте!\nПрактика допущена."};
}

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = test::open_test_store(dir_.path() / "db.sqlite3");
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_ = std::move(db).value();
    outbox_ = std::make_unique<Outbox>(*db_, RetryPolicy{3, 30s, 60s});
  }
  bool enqueue(const Message& m, TimePoint at) {
    bool stored = false;
    auto s = db_->transaction([&](store::Tx& tx) -> Status {
      auto r = Outbox::enqueue(tx, m, at);
      if (!r) return r.status();
      stored = *r;
      return Status::ok();
    });
    EXPECT_TRUE(s.is_ok()) << s.message();
    return stored;
  }

  TempDir dir_;
  std::unique_ptr<store::Db> db_;
  std::unique_ptr<Outbox> outbox_;
};


TEST_F(OutboxTest, TheSameIdempotencyKeyIsQueuedOnceWhateverItsState) {
  EXPECT_TRUE(enqueue(letter("k1"), kStart));
  EXPECT_FALSE(enqueue(letter("k1"), kStart + 1s));
  auto due = outbox_->due(kStart);
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->size(), 1u);
  ASSERT_TRUE(outbox_->mark_sent((*due)[0].id, kStart).is_ok());
  EXPECT_FALSE(enqueue(letter("k1"), kStart + 2s));  // sent: still not again
  EXPECT_TRUE(outbox_->due(kStart + 1h)->empty());
  EXPECT_EQ(outbox_->counts()->sent, 1);
}

TEST_F(OutboxTest, AFailureIsRetriedAfterABackoffThatDoublesUpToTheCapThenGivesUp) {
  RetryPolicy policy{8, 30s, 100s};
  EXPECT_EQ(policy.delay_after(1), 30s);
  EXPECT_EQ(policy.delay_after(2), 60s);
  EXPECT_EQ(policy.delay_after(3), 100s);
  EXPECT_EQ(policy.delay_after(7), 100s);

  ASSERT_TRUE(enqueue(letter("k"), kStart));
  std::int64_t id = (*outbox_->due(kStart))[0].id;
  ASSERT_TRUE(outbox_->mark_failed(id, kStart, "connection refused").is_ok());
  EXPECT_TRUE(outbox_->due(kStart + 29s)->empty());
  ASSERT_EQ(outbox_->due(kStart + 30s)->size(), 1u);
  EXPECT_EQ(**outbox_->next_due(), kStart + 30s);

  ASSERT_TRUE(outbox_->mark_failed(id, kStart + 30s, "timeout").is_ok());
  EXPECT_TRUE(outbox_->due(kStart + 89s)->empty());
  ASSERT_EQ(outbox_->due(kStart + 90s)->size(), 1u);  // 60 s after the second failure

  ASSERT_TRUE(outbox_->mark_failed(id, kStart + 90s, "550 mailbox unavailable").is_ok());
  auto stored = **outbox_->find(id);
  EXPECT_EQ(stored.state, "failed");  // the third of three attempts
  EXPECT_EQ(stored.attempts, 3);
  EXPECT_EQ(stored.last_error, "550 mailbox unavailable");
  EXPECT_TRUE(outbox_->due(kStart + 24h)->empty());
  EXPECT_FALSE(outbox_->next_due()->has_value());
  EXPECT_EQ(outbox_->counts()->failed, 1);
}

// A transport that fails a set number of times, then accepts.
class FlakyTransport : public Transport {
 public:
  explicit FlakyTransport(int failures) : failures_(failures) {}
  Status send(const Message&, const std::string& text, const std::function<bool()>&) override {
    ++calls;
    last = text;
    if (failures_-- > 0) return Status::unavailable("smtp_error", "421 try later");
    return Status::ok();
  }
  int calls = 0;
  std::string last;

 private:
  int failures_;
};

TEST_F(OutboxTest, TheSenderRetriesWhenDueAndNeverResendsWhatWasAccepted) {
  auto clock = timeline::Clock::simulated(kStart, 1.0);
  auto transport = std::make_unique<FlakyTransport>(1);
  FlakyTransport* flaky = transport.get();
  Sender sender(*outbox_, clock, std::move(transport), {"smtp://127.0.0.1:1", "noreply@umc.ru", "УМЦ"});
  ASSERT_TRUE(enqueue(letter("k"), kStart - 1s));
  EXPECT_EQ(sender.run_once(), 0);  // refused; next try in 30 s
  EXPECT_EQ(flaky->calls, 1);
  EXPECT_EQ(sender.run_once(), 0);  // not due yet: not even tried
  EXPECT_EQ(flaky->calls, 1);

  // A sender started 30 s later (a restart) sends it once, then never again.
  auto later = timeline::Clock::simulated(kStart + 31s, 1.0);
  auto ok = std::make_unique<FlakyTransport>(0);
  FlakyTransport* accepting = ok.get();
  Sender restarted(*outbox_, later, std::move(ok), {"smtp://127.0.0.1:1", "noreply@umc.ru", "УМЦ"});
  EXPECT_EQ(restarted.run_once(), 1);
  EXPECT_EQ(restarted.run_once(), 0);
  EXPECT_EQ(accepting->calls, 1);
  auto stored = **outbox_->find(1);
  EXPECT_EQ(stored.state, "sent");
  EXPECT_EQ(stored.attempts, 2);
  EXPECT_NE(accepting->last.find("Message-ID: <outbox-1.irkutsk-2020@praktika>"), std::string::npos);
}

TEST_F(OutboxTest, AClaimedLetterIsHeldFromOtherSendersUntilItsOutcomeOrItsHoldLapses) {
  ASSERT_TRUE(enqueue(letter("a"), kStart));
  ASSERT_TRUE(enqueue(letter("b"), kStart));
  auto first = outbox_->claim(kStart, Millis(60s), 1);
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_EQ(first->size(), 1u);
  const auto a = (*first)[0].id;
  auto second = outbox_->claim(kStart, Millis(60s), 5);
  ASSERT_EQ(second->size(), 1u);  // only the other one
  EXPECT_NE((*second)[0].id, a);
  EXPECT_TRUE(outbox_->claim(kStart + 59s, Millis(60s), 5)->empty());

  // The second's sender failed it: due again by the policy (30 s), no longer held.
  ASSERT_TRUE(outbox_->mark_failed((*second)[0].id, kStart + 1s, "421").is_ok());
  EXPECT_EQ(**outbox_->next_due(), kStart + 31s);
  // The first's sender died: its hold lapses and another takes the letter.
  auto again = outbox_->claim(kStart + 60s, Millis(60s), 1);
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].id, a);
  // Given back by a sender that stopped before trying it: due at once.
  ASSERT_TRUE(outbox_->release(a).is_ok());
  EXPECT_EQ(outbox_->claim(kStart + 61s, Millis(60s), 5)->size(), 2u);
}

// Two instances' senders on one store, claiming at the same moment: every letter is taken by
// exactly one of them (on PostgreSQL through SELECT … FOR UPDATE SKIP LOCKED).
TEST_F(OutboxTest, TwoSendersClaimingAtOnceNeverTakeTheSameLetter) {
  constexpr int kLetters = 60;
  for (int i = 0; i < kLetters; ++i) ASSERT_TRUE(enqueue(letter("k" + std::to_string(i)), kStart));
  auto other_db = test::open_test_store(dir_.path() / "db.sqlite3");  // the second instance's connection
  ASSERT_TRUE(other_db.ok()) << other_db.status().message();
  Outbox other(**other_db, RetryPolicy{3, 30s, 60s});

  std::vector<std::int64_t> taken[2];
  std::atomic<int> errors{0};
  auto run = [&](Outbox& outbox, std::vector<std::int64_t>& mine) {
    for (;;) {
      auto batch = outbox.claim(kStart, Millis(10min), 3);
      if (!batch) {
        if (batch.status().code() != store::kStorageBusy) ++errors;
        continue;
      }
      if (batch->empty()) return;
      for (const auto& m : *batch) {
        mine.push_back(m.id);
        if (!outbox.mark_sent(m.id, kStart)) ++errors;
      }
    }
  };
  std::thread a([&] { run(*outbox_, taken[0]); });
  std::thread b([&] { run(other, taken[1]); });
  a.join();
  b.join();
  EXPECT_EQ(errors.load(), 0);
  std::set<std::int64_t> all(taken[0].begin(), taken[0].end());
  for (auto id : taken[1]) EXPECT_TRUE(all.insert(id).second) << "letter " << id << " taken twice";
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kLetters));
  EXPECT_EQ(outbox_->counts()->sent, kLetters);
}

TEST(Rfc5322, HeadersAreAsciiWithUtf8WordsAndTheBodyIsBase64Utf8) {
  auto text = render_rfc5322(letter("k"), "noreply@umc.ru", "Оргкомитет", "id-1@praktika", kStart);
  EXPECT_NE(text.find("Subject: " + encode_header_word("Решение экспертной группы") + "\r\n"), std::string::npos) << text;
  EXPECT_EQ(encode_header_word("Решение экспертной группы").rfind("=?UTF-8?B?", 0), 0u);
  EXPECT_NE(text.find("From: =?UTF-8?B?" + base64("Оргкомитет") + "?= <noreply@umc.ru>\r\n"), std::string::npos);
  EXPECT_NE(text.find("Date: Mon, 29 Jun 2020 02:00:00 +0000\r\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Content-Type: text/plain; charset=utf-8\r\n"), std::string::npos);
  std::string body = text.substr(text.find("\r\n\r\n") + 4);
  for (size_t at; (at = body.find("\r\n")) != std::string::npos;) body.erase(at, 2);  // 76-character lines joined
  EXPECT_EQ(body, base64("Здравствуйте!\r\nПрактика допущена."));
  for (unsigned char c : text) EXPECT_LT(c, 0x80);
}

TEST(Rfc5322, ALongSubjectIsFoldedIntoWordsCutBetweenCharacters) {
  std::string subject;
  for (int i = 0; i < 40; ++i) subject += "ж";  // 80 bytes
  auto encoded = encode_header_word(subject);
  EXPECT_EQ(encoded, "=?UTF-8?B?" + base64(subject.substr(0, 44)) + "?=\r\n =?UTF-8?B?" + base64(subject.substr(44)) + "?=");
  EXPECT_EQ(encode_header_word("plain"), "plain");
  EXPECT_EQ(encode_header_word("a\r\nBcc: x@y"), "a  Bcc: x@y");
}

TEST(Rfc5322, AttachmentsMakeAMultipartMixedMessageWithTheFileInBase64AndItsUtf8Name) {
  auto m = letter("k");
  m.attachments.push_back({"/unused", "Сертификат 1.pdf", "application/pdf", std::string("%PDF-1.5\0\xff", 10)});
  auto text = render_rfc5322(m, "noreply@umc.ru", "Оргкомитет", "id-1@praktika", kStart);
  auto type_at = text.find("Content-Type: multipart/mixed; boundary=\"");
  ASSERT_NE(type_at, std::string::npos) << text;
  auto start = type_at + std::string("Content-Type: multipart/mixed; boundary=\"").size();
  std::string boundary = text.substr(start, text.find('"', start) - start);
  EXPECT_LE(boundary.size(), 70u);  // RFC 2046
  // The text part first, then the file; the closing delimiter last.
  auto first = text.find("\r\n--" + boundary + "\r\nContent-Type: text/plain; charset=utf-8\r\n");
  auto second = text.find("\r\n--" + boundary + "\r\nContent-Type: application/pdf\r\n");
  ASSERT_NE(first, std::string::npos) << text;
  ASSERT_NE(second, std::string::npos) << text;
  EXPECT_LT(first, second);
  EXPECT_NE(text.find("Content-Disposition: attachment; filename*=UTF-8''%D0%A1%D0%B5%D1%80%D1%82%D0%B8%D1%84%D0%B8%D0%BA%D0%B0%D1%82%201.pdf\r\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find(base64(std::string("%PDF-1.5\0\xff", 10)) + "\r\n--" + boundary + "--\r\n"), std::string::npos);
  // The boundary occurs only as a delimiter: three times, plus its declaration.
  size_t count = 0;
  for (size_t at = 0; (at = text.find(boundary, at)) != std::string::npos; at += boundary.size()) ++count;
  EXPECT_EQ(count, 4u);
  for (unsigned char c : text) EXPECT_LT(c, 0x80);
}

TEST(Rfc5322, AnAttachmentWhoseFileIsGoneFailsTheLoadNotTheProcess) {
  auto m = letter("k");
  m.attachments.push_back({"/nonexistent/praktika/file.pdf", "file.pdf", "application/pdf", {}});
  auto s = load_attachments(m);
  EXPECT_FALSE(s);
  EXPECT_EQ(s.code(), "attachment_missing");
}

TEST(Template, PlaceholdersAreFilledAndUnknownOnesStayVisible) {
  EXPECT_EQ(fill("«{title}»: {outcome} {nope}", {{"title", "Клуб"}, {"outcome", "допущена"}}), "«Клуб»: допущена {nope}");
}

TEST(SmtpUrl, OnlySmtpSchemesWithAHost) {
  EXPECT_TRUE(valid_smtp_url("smtp://127.0.0.1:2525"));
  EXPECT_TRUE(valid_smtp_url("smtps://mail.example.org"));
  EXPECT_FALSE(valid_smtp_url("http://127.0.0.1"));
  EXPECT_FALSE(valid_smtp_url("smtp://"));
}
}  // namespace
}  // namespace praktika::mail
