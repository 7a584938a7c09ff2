#include "announcements/announcements.h"

#include <map>
#include <optional>
#include <variant>

#include "common/errors.h"
#include "common/utf8.h"
#include "mail/outbox.h"
#include "mail/template.h"
#include "store/db.h"
#include "timeline/agenda.h"
#include "store/rows.h"

namespace praktika::announcements {
namespace {

constexpr std::size_t kMaxTitleChars = 200;
constexpr std::size_t kMaxTextChars = 10000;


// The letter's words are the agenda's (mail.templates.announcement).
std::optional<mail::Template> letter_template(const timeline::Agenda& agenda) {
  auto part = mail::read_mail_part(agenda);
  if (auto* read = std::get_if<mail::MailPart>(&part))
    if (auto it = read->templates.find("announcement"); it != read->templates.end()) return it->second;
  return std::nullopt;
}

}  // namespace

AnnouncementService::AnnouncementService(store::Db& db, const timeline::Clock& clock, timeline::FindEvent find_event,
                                         std::function<void()> wake_sender)
    : db_(db), clock_(clock), find_event_(std::move(find_event)), wake_sender_(std::move(wake_sender)) {}

Result<std::vector<Announcement>> AnnouncementService::list(std::string_view event_id) {
  auto event = find_event_(event_id);
  if (!event) return errors::event_not_found();
  std::vector<Announcement> list;
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto q = tx.prepare(
        "SELECT id, title, body, published_at FROM announcements WHERE event_id = ?1 "
        "ORDER BY published_at DESC, id DESC");
    q.bind_text(1, event_id);
    return store::each_row(q, [&]() -> Status {
      list.push_back({q.int64(0), q.text(1), q.text(2), event->timeline->format(from_ms(q.int64(3)))});
      return Status::ok();
    });
  });
  if (!s) return s;
  return list;
}

Result<Published> AnnouncementService::publish(const accounts::User& organiser, std::string_view event_id,
                                          std::string_view title_in, std::string_view text_in) {
  auto event = find_event_(event_id);
  if (!event) return errors::event_not_found();
  const std::string title = clean_text(title_in, TextLines::one);
  const std::string text = clean_text(text_in, TextLines::many);
  if (title.empty()) return Status::unprocessable("invalid_field", "Заполните заголовок объявления.");
  if (text.empty()) return Status::unprocessable("invalid_field", "Напишите текст объявления.");
  if (utf8_length(title) > kMaxTitleChars)
    return Status::unprocessable("invalid_field",
                                 "Заголовок объявления длиннее " + std::to_string(kMaxTitleChars) + " знаков.");
  if (utf8_length(text) > kMaxTextChars)
    return Status::unprocessable("invalid_field",
                                 "Текст объявления длиннее " + std::to_string(kMaxTextChars) + " знаков.");

  const TimePoint now = clock_.now();
  const auto found = letter_template(*event->agenda);
  if (!found)
    return Status::internal("mail_template_missing",
                            "В программе мероприятия нет шаблона письма об изменении условий: объявление не опубликовано.");
  const mail::Template& tmpl = *found;
  const std::map<std::string, std::string> values = {{"event_title", event->agenda->title},
                                                     {"event_title_genitive", event->agenda->title_genitive},
                                                     {"title", title},
                                                     {"text", text}};
  std::int64_t id = 0;
  std::int64_t letters = 0;
  auto s = db_.transaction([&](store::Tx& tx) -> Status {
    auto ins = tx.prepare(
                     "INSERT INTO announcements(event_id, title, body, author_id, published_at) "
                     "VALUES (?1, ?2, ?3, ?4, ?5)")
                   .bind_text(1, event_id)
                   .bind_text(2, title)
                   .bind_text(3, text)
                   .bind_int(4, organiser.id)
                   .bind_int(5, to_ms(now))
                   .run();
    if (!ins) return ins;
    id = tx.last_insert_id();
    auto recipients = intake::IntakeService::registered_emails(tx, event_id);
    if (!recipients) return recipients.status();
    // One letter per person: participants do not learn each other's addresses.
    for (const auto& email : *recipients) {
      mail::Message m;
      m.idempotency_key = "announcement:" + std::string(event_id) + ":" + std::to_string(id) + ":" + email;
      m.event_id = std::string(event_id);
      m.recipients = {email};
      m.subject = mail::fill(tmpl.subject, values);
      m.body = mail::fill(tmpl.body, values);
      auto stored = mail::Outbox::enqueue(tx, m, now);
      if (!stored) return stored.status();
      letters += *stored ? 1 : 0;
    }
    return Status::ok();
  });
  if (!s) return s;
  if (letters > 0 && wake_sender_) wake_sender_();
  return Published{{id, title, text, event->timeline->format(now)}, letters};
}

}  // namespace praktika::announcements
