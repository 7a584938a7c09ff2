#include "mail/outbox.h"

#include <algorithm>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "common/utf8.h"
#include "store/db.h"
#include "store/rows.h"

namespace praktika::mail {
namespace {

using nlohmann::json;

constexpr std::string_view kSelect =
    "SELECT id, idempotency_key, event_id, recipients, subject, body, state, attempts, next_attempt_at, "
    "last_error, created_at, sent_at, attachments FROM mail_outbox ";

StoredMessage read_row(store::Stmt& q) {
  StoredMessage m;
  m.id = q.int64(0);
  m.message.idempotency_key = q.text(1);
  m.message.event_id = q.text(2);
  auto recipients = json::parse(q.text(3), nullptr, false);
  if (recipients.is_array())
    for (const auto& r : recipients)
      if (r.is_string()) m.message.recipients.push_back(r.get<std::string>());
  m.message.subject = q.text(4);
  m.message.body = q.text(5);
  m.state = q.text(6);
  m.attempts = static_cast<int>(q.int64(7));
  m.next_attempt_at = from_ms(q.int64(8));
  m.last_error = q.is_null(9) ? "" : q.text(9);
  m.created_at = from_ms(q.int64(10));
  if (!q.is_null(11)) m.sent_at = from_ms(q.int64(11));
  auto files = json::parse(q.text(12), nullptr, false);
  if (files.is_array())
    for (const auto& f : files)
      if (f.is_object())
        m.message.attachments.push_back(
            {f.value("path", ""), f.value("name", ""), f.value("content_type", "application/octet-stream"), {}});
  return m;
}

Result<std::vector<StoredMessage>> read_all(store::Stmt& q) {
  return store::read_rows<StoredMessage>(q, [&](store::Stmt&) { return read_row(q); });
}

// The letters `where` (what follows kSelect) picks, its parameters bound by `bind(q)`, in a read of their own.
template <typename Bind>
Result<std::vector<StoredMessage>> select_letters(store::Db& db, std::string_view where, Bind&& bind) {
  std::vector<StoredMessage> out;
  auto s = db.read([&](store::Tx& tx) -> Status {
    auto q = tx.prepare(std::string(kSelect) + std::string(where));
    bind(q);
    auto rows = read_all(q);
    if (!rows) return rows.status();
    out = std::move(*rows);
    return Status::ok();
  });
  if (!s) return s;
  return out;
}

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

bool is_plain_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u < 0x7f && c != '=' && c != '?';
  });
}

// "Mon, 29 Jun 2020 02:00:00 +0000"
std::string rfc5322_date(TimePoint t) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  auto days = std::chrono::floor<std::chrono::days>(t);
  std::chrono::year_month_day ymd(days);
  std::chrono::weekday wd(days);
  std::chrono::hh_mm_ss hms(std::chrono::floor<std::chrono::seconds>(t - days));
  char out[64];
  std::snprintf(out, sizeof out, "%s, %u %s %d %02d:%02d:%02d +0000", kDays[wd.c_encoding()],
                static_cast<unsigned>(ymd.day()), kMonths[static_cast<unsigned>(ymd.month()) - 1],
                static_cast<int>(ymd.year()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  return out;
}

// Header values must not smuggle in another header.
std::string one_line(std::string_view s) {
  std::string out(s);
  std::replace_if(out.begin(), out.end(), [](char c) { return c == '\r' || c == '\n'; }, ' ');
  return out;
}

}  // namespace

std::chrono::seconds RetryPolicy::delay_after(int failed_attempts) const {
  if (failed_attempts < 1) return std::chrono::seconds(0);
  auto delay = first_delay;
  for (int i = 1; i < failed_attempts && delay < max_delay; ++i) delay *= 2;
  return std::min(delay, max_delay);
}

Result<bool> Outbox::enqueue(store::Tx& tx, const Message& message, TimePoint now) {
  auto q = tx.prepare(
      "INSERT INTO mail_outbox (idempotency_key, event_id, recipients, subject, body, state, next_attempt_at, "
      "created_at, attachments) VALUES (?1, ?2, ?3, ?4, ?5, 'pending', ?6, ?6, ?7) "
      "ON CONFLICT (idempotency_key) DO NOTHING");
  json files = json::array();
  for (const auto& a : message.attachments)
    files.push_back({{"path", a.path}, {"name", a.name}, {"content_type", a.content_type}});
  q.bind_text(1, message.idempotency_key)
      .bind_text(2, message.event_id)
      .bind_text(3, json(message.recipients).dump())
      .bind_text(4, message.subject)
      .bind_text(5, message.body)
      .bind_int(6, to_ms(now))
      .bind_text(7, files.dump());
  if (auto s = q.run(); !s) return s;
  return tx.changes() == 1;
}

Result<std::map<std::string, std::string>> Outbox::states_with_prefix(store::Tx& tx, std::string_view prefix) {
  // substr rather than LIKE: a prefix's '_' and '%' are no wildcards, in either dialect.
  auto q = tx.prepare(
      "SELECT idempotency_key, state FROM mail_outbox "
      "WHERE substr(idempotency_key, 1, length(CAST(?1 AS TEXT))) = CAST(?1 AS TEXT)");
  q.bind_text(1, prefix);
  std::map<std::string, std::string> out;
  auto s = store::each_row(q, [&]() -> Status {
    out[q.text(0)] = q.text(1);
    return Status::ok();
  });
  if (!s) return s;
  return out;
}

Result<std::set<std::string>> Outbox::keys_with_prefix(store::Tx& tx, std::string_view prefix) {
  auto states = states_with_prefix(tx, prefix);
  if (!states) return states.status();
  std::set<std::string> out;
  for (const auto& [key, state] : *states) out.insert(key);
  return out;
}

Result<std::vector<StoredMessage>> Outbox::due(TimePoint now, int limit) {
  return select_letters(db_, "WHERE state = 'pending' AND next_attempt_at <= ?1 ORDER BY next_attempt_at, id LIMIT ?2",
                [&](store::Stmt& q) { q.bind_int(1, to_ms(now)).bind_int(2, limit); });
}

Result<std::vector<StoredMessage>> Outbox::claim(TimePoint now, Millis hold, int limit) {
  std::vector<StoredMessage> out;
  auto s = db_.transaction([&](store::Tx& tx) -> Status {
    auto q = tx.prepare(std::string(kSelect) +
                        "WHERE state = 'pending' AND next_attempt_at <= ?1 AND coalesce(claimed_until, 0) <= ?1 "
                        "ORDER BY next_attempt_at, id LIMIT ?2" +
                        store::skip_locked(tx.dialect()));
    q.bind_int(1, to_ms(now)).bind_int(2, limit);
    auto rows = read_all(q);
    if (!rows) return rows.status();
    for (const auto& m : *rows) {
      auto held = tx.prepare("UPDATE mail_outbox SET claimed_by = ?2, claimed_until = ?3 WHERE id = ?1")
                      .bind_int(1, m.id)
                      .bind_text(2, store::claim_holder())
                      .bind_int(3, to_ms(now + hold))
                      .run();
      if (!held) return held;
    }
    out = std::move(*rows);
    return Status::ok();
  });
  if (!s) return s;
  return out;
}

Status Outbox::release(std::int64_t id) {
  return db_.transaction([&](store::Tx& tx) -> Status {
    return tx.prepare("UPDATE mail_outbox SET claimed_by = NULL, claimed_until = NULL WHERE id = ?1")
        .bind_int(1, id)
        .run();
  });
}

Result<std::optional<TimePoint>> Outbox::next_due() {
  std::optional<TimePoint> out;
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto q = tx.prepare(
        "SELECT min(CASE WHEN claimed_until > next_attempt_at THEN claimed_until ELSE next_attempt_at END) "
        "FROM mail_outbox WHERE state = 'pending'");
    auto more = q.step();
    if (!more) return more.status();
    if (*more && !q.is_null(0)) out = from_ms(q.int64(0));
    return Status::ok();
  });
  if (!s) return s;
  return out;
}

Status Outbox::mark_sent(std::int64_t id, TimePoint now) {
  return db_.transaction([&](store::Tx& tx) -> Status {
    auto q = tx.prepare(
        "UPDATE mail_outbox SET state = 'sent', attempts = attempts + 1, sent_at = ?2, last_error = NULL, "
        "claimed_by = NULL, claimed_until = NULL WHERE id = ?1 AND state = 'pending'");
    if (auto s = q.bind_int(1, id).bind_int(2, to_ms(now)).run(); !s) return s;
    return tx.prepare("INSERT INTO mail_attempts (message_id, at, ok) VALUES (?1, ?2, 1)")
        .bind_int(1, id)
        .bind_int(2, to_ms(now))
        .run();
  });
}

Status Outbox::mark_failed(std::int64_t id, TimePoint now, std::string_view error) {
  return db_.transaction([&](store::Tx& tx) -> Status {
    auto q = tx.prepare("SELECT attempts FROM mail_outbox WHERE id = ?1 AND state = 'pending'");
    q.bind_int(1, id);
    auto more = q.step();
    if (!more) return more.status();
    if (!*more) return Status::ok();  // sent or given up meanwhile
    int attempts = static_cast<int>(q.int64(0)) + 1;
    // >=: a message resent by hand after giving up has its one more attempt and no more.
    bool give_up = attempts >= policy_.max_attempts;
    auto next = now + std::chrono::duration_cast<Millis>(policy_.delay_after(attempts));
    auto u = tx.prepare(
        "UPDATE mail_outbox SET attempts = ?2, last_error = ?3, next_attempt_at = ?4, state = ?5, claimed_by = NULL, "
        "claimed_until = NULL WHERE id = ?1");
    u.bind_int(1, id)
        .bind_int(2, attempts)
        .bind_text(3, error)
        .bind_int(4, to_ms(next))
        .bind_text(5, give_up ? "failed" : "pending");
    if (auto s = u.run(); !s) return s;
    return tx.prepare("INSERT INTO mail_attempts (message_id, at, ok, error) VALUES (?1, ?2, 0, ?3)")
        .bind_int(1, id)
        .bind_int(2, to_ms(now))
        .bind_text(3, error)
        .run();
  });
}

Result<std::optional<StoredMessage>> Outbox::find(std::int64_t id) {
  auto rows = select_letters(db_, "WHERE id = ?1", [&](store::Stmt& q) { q.bind_int(1, id); });
  if (!rows) return rows.status();
  if (rows->empty()) return std::optional<StoredMessage>();
  return std::optional<StoredMessage>(std::move(rows->front()));
}

Status Outbox::resend(std::string_view event_id, std::int64_t id, TimePoint now) {
  return db_.transaction([&](store::Tx& tx) -> Status {
    auto q = tx.prepare("SELECT state FROM mail_outbox WHERE id = ?1 AND event_id = ?2");
    q.bind_int(1, id).bind_text(2, event_id);
    auto row = q.step();
    if (!row) return row.status();
    if (!*row) return Status::not_found("letter_not_found", "Письмо не найдено.");
    if (q.text(0) == "sent") return Status::conflict("letter_already_sent", "Это письмо уже отправлено.");
    return tx.prepare("UPDATE mail_outbox SET state = 'pending', next_attempt_at = ?2 WHERE id = ?1")
        .bind_int(1, id)
        .bind_int(2, to_ms(now))
        .run();
  });
}

Result<std::vector<StoredMessage>> Outbox::list(std::string_view event_id) {
  return select_letters(db_, "WHERE event_id = ?1 ORDER BY id", [&](store::Stmt& q) { q.bind_text(1, event_id); });
}

Result<Counts> Outbox::counts(std::string_view event_id) const {
  Counts c;
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto q = tx.prepare(
        "SELECT state, count(*), min(created_at) FROM mail_outbox WHERE coalesce(?1, '') = '' OR event_id = ?1 GROUP BY state");
    q.bind_text(1, event_id);
    return store::each_row(q, [&]() -> Status {
      std::string state = q.text(0);
      if (state == "pending") {
        c.pending = q.int64(1);
        c.oldest_pending = from_ms(q.int64(2));
      } else if (state == "sent") {
        c.sent = q.int64(1);
      } else {
        c.failed = q.int64(1);
      }
      return Status::ok();
    });
  });
  if (!s) return s;
  return c;
}

std::string base64(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                 static_cast<unsigned char>(bytes[i + 2]);
    out += kBase64[(v >> 18) & 63];
    out += kBase64[(v >> 12) & 63];
    out += kBase64[(v >> 6) & 63];
    out += kBase64[v & 63];
  }
  if (i < bytes.size()) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kBase64[(v >> 18) & 63];
    out += kBase64[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kBase64[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string encode_header_word(std::string_view utf8) {
  std::string text = one_line(utf8);
  if (is_plain_ascii(text)) return text;
  // An encoded word is at most 75 characters: 45 bytes of text each, cut between characters.
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = std::min(text.size(), start + 45);
    while (end < text.size() && end > start && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(std::string_view(text).substr(start, end - start)) + "?=";
    start = end;
  }
  return out;
}

Status load_attachments(Message& message) {
  for (auto& a : message.attachments) {
    std::ifstream in(a.path, std::ios::binary);
    if (!in) return Status::internal("attachment_missing", "Вложение не найдено: " + a.name);
    a.content.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (in.bad()) return Status::internal("attachment_unreadable", "Вложение не читается: " + a.name);
  }
  return Status::ok();
}

std::string render_rfc5322(const Message& message, std::string_view from, std::string_view from_name,
                           std::string_view message_id, TimePoint date) {
  std::string to;
  for (const auto& r : message.recipients) to += (to.empty() ? "" : ",\r\n ") + one_line(r);
  std::string out;
  out += "From: " + (from_name.empty() ? "" : encode_header_word(from_name) + " ") + "<" + one_line(from) + ">\r\n";
  out += "To: " + to + "\r\n";
  out += "Subject: " + encode_header_word(message.subject) + "\r\n";
  out += "Date: " + rfc5322_date(date) + "\r\n";
  out += "Message-ID: <" + one_line(message_id) + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  std::string body;
  for (char c : message.body) {  // CRLF line ends, as the wire wants
    if (c == '\n' && (body.empty() || body.back() != '\r')) body += '\r';
    body += c;
  }
  auto base64_lines = [](std::string_view bytes) {
    std::string encoded = base64(bytes), lines;
    for (size_t i = 0; i < encoded.size(); i += 76) lines += encoded.substr(i, 76) + "\r\n";
    return lines;
  };
  const std::string text_headers = "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  if (message.attachments.empty()) return out + text_headers + base64_lines(body);
  // Base64 lines never contain '=' followed by '_', so this boundary cannot occur in any part.
  std::string boundary = "=_praktika_" + base64(message_id).substr(0, 24);
  std::replace(boundary.begin(), boundary.end(), '/', '.');
  std::replace(boundary.begin(), boundary.end(), '+', '-');
  out += "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n";
  out += "This is a multipart message in MIME format.\r\n";
  out += "--" + boundary + "\r\n" + text_headers + base64_lines(body);
  for (const auto& a : message.attachments) {
    out += "--" + boundary + "\r\n";
    out += "Content-Type: " + one_line(a.content_type) + "\r\n";
    out += "Content-Transfer-Encoding: base64\r\n";
    out += "Content-Disposition: attachment; filename*=UTF-8''" + percent_encode_ext_value(a.name) + "\r\n\r\n";
    out += base64_lines(a.content);
  }
  out += "--" + boundary + "--\r\n";
  return out;
}

}  // namespace praktika::mail
