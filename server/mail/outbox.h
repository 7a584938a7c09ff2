// Mail: the outbox of messages (store/migrations/006_mail.sql), their RFC 5322 form, and the
// retry policy. Modules enqueue inside their own transaction; the Sender (sender.h) delivers.
// Thread-safe (state lives in the store); every call blocks on SQLite: worker threads or the
// sender's thread, never a connection strand.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"

namespace praktika::store {
class Db;
class Tx;
}  // namespace praktika::store

namespace praktika::mail {

// A file sent with a message. Stored by path and read when the message is rendered, so the
// outbox row stays small; `content` is filled by load_attachments() just before sending.
struct Attachment {
  std::string path;          // absolute
  std::string name;          // the file name the recipient sees (UTF-8)
  std::string content_type;  // "application/pdf"
  std::string content;       // the bytes, once loaded
};

struct Message {
  std::string idempotency_key;  // unique per message: enqueuing the same key twice stores it once
  std::string event_id;
  std::vector<std::string> recipients;
  std::string subject;  // UTF-8
  std::string body;     // UTF-8 plain text
  std::vector<Attachment> attachments;  // none: a single text/plain part
};

struct StoredMessage {
  std::int64_t id = 0;
  Message message;
  std::string state;  // "pending" | "sent" | "failed"
  int attempts = 0;
  TimePoint next_attempt_at{};
  std::string last_error;
  TimePoint created_at{};
  std::optional<TimePoint> sent_at;
};

// After the n-th failed attempt the next one waits first_delay * 2^(n-1), at most max_delay;
// after max_attempts failures the message is "failed" and left for a person to look at.
struct RetryPolicy {
  int max_attempts = 8;
  std::chrono::seconds first_delay{30};
  std::chrono::seconds max_delay{3600};
  std::chrono::seconds delay_after(int failed_attempts) const;
};

struct Counts {
  std::int64_t pending = 0;
  std::int64_t sent = 0;
  std::int64_t failed = 0;
  std::optional<TimePoint> oldest_pending;  // when the oldest message still waiting was queued
};

class Outbox {
 public:
  Outbox(store::Db& db, RetryPolicy policy) : db_(db), policy_(policy) {}

  // Inside the caller's transaction. True when stored, false when the key was already there
  // (whatever that message's state): nothing is ever queued twice.
  static Result<bool> enqueue(store::Tx& tx, const Message& message, TimePoint now);

  // Inside the caller's transaction: the keys of every message queued so far (any state) that
  // begin with `prefix`, so a module can tell which of its letters it already wrote.
  static Result<std::set<std::string>> keys_with_prefix(store::Tx& tx, std::string_view prefix);
  // The same keys with each letter's state ("pending", "sent", "failed").
  static Result<std::map<std::string, std::string>> states_with_prefix(store::Tx& tx, std::string_view prefix);

  // Pending messages whose next attempt is due at `now`, oldest first (held ones included).
  Result<std::vector<StoredMessage>> due(TimePoint now, int limit = 50);
  // The sender's: takes up to `limit` pending messages due at `now` that no sender holds, oldest
  // first, and holds them until `now + hold` (claimed_by: store::claim_holder()), so that a sender
  // of another instance claiming at the same moment passes them over (PostgreSQL: FOR UPDATE SKIP
  // LOCKED). mark_sent, mark_failed and release end the hold; the messages of a sender that died
  // are taken again when its hold lapses (sent at least once, with the same Message-ID).
  Result<std::vector<StoredMessage>> claim(TimePoint now, Millis hold, int limit);
  // Gives back a claimed message not attempted (the sender stopped): due again at once.
  Status release(std::int64_t id);
  // The earliest instant a pending message may be attempted (its next attempt, or the end of
  // another sender's hold), if any.
  Result<std::optional<TimePoint>> next_due();
  Status mark_sent(std::int64_t id, TimePoint now);
  // Records the failure; schedules the retry by the policy or gives up ("failed").
  Status mark_failed(std::int64_t id, TimePoint now, std::string_view error);

  // The organiser's «Отправить ещё раз»: a failed or pending message of `event_id` is due at
  // `now` again. A failed one (its attempts spent) gets one more attempt: failing again leaves it
  // failed at once rather than retrying for hours unseen. letter_not_found (404) for a message of
  // another event or none; letter_already_sent (409) for a sent one.
  Status resend(std::string_view event_id, std::int64_t id, TimePoint now);

  Result<std::optional<StoredMessage>> find(std::int64_t id);
  Result<std::vector<StoredMessage>> list(std::string_view event_id);
  // Of every event, or of one.
  Result<Counts> counts(std::string_view event_id = {}) const;

  const RetryPolicy& policy() const { return policy_; }

 private:
  // Constant after construction.
  store::Db& db_;
  const RetryPolicy policy_;
};

// Reads every attachment's file into its `content`; an unreadable file is an error (the send
// attempt fails and is retried by the policy, so a file restored meanwhile still goes out).
Status load_attachments(Message& message);

// The whole RFC 5322 message as sent: headers in ASCII (UTF-8 words as =?UTF-8?B?…?=), the body
// text/plain; charset=utf-8 in base64 (no line-length or 8BITMIME worries on any server). With
// attachments (loaded), a multipart/mixed message (RFC 2046): the text part first, then each
// file in base64 with its name as an RFC 2231 parameter (filename*=UTF-8''…).
// `message_id` should be stable for one outbox row, so a resend after a crash is recognisable.
std::string render_rfc5322(const Message& message, std::string_view from, std::string_view from_name,
                           std::string_view message_id, TimePoint date);

// RFC 2047 encoded-word(s) for a header value; plain ASCII values are returned as they are.
std::string encode_header_word(std::string_view utf8);
std::string base64(std::string_view bytes);

}  // namespace praktika::mail
