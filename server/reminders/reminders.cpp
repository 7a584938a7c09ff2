#include "reminders/reminders.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <variant>

#include "common/errors.h"
#include "mail/outbox.h"
#include "mail/template.h"
#include "store/db.h"
#include "timeline/agenda.h"
#include "timeline/russian_date.h"
#include "timeline/timeline.h"

namespace praktika::reminders {
namespace {

// The letter's words are the agenda's (mail.templates.milestone_reminder); without them the
// organiser is warned on the desk only.
std::optional<mail::Template> letter_template(const timeline::Agenda& agenda) {
  auto part = mail::read_mail_part(agenda);
  if (auto* read = std::get_if<mail::MailPart>(&part))
    if (auto it = read->templates.find("milestone_reminder"); it != read->templates.end()) return it->second;
  return std::nullopt;
}

}  // namespace

ReminderService::ReminderService(store::Db& db, const timeline::Clock& clock, std::vector<timeline::EventView> events,
                                 Organisers organisers, std::function<void()> mail_queued)
    : db_(db),
      clock_(clock),
      events_(std::move(events)),
      organisers_(std::move(organisers)),
      mail_queued_(std::move(mail_queued)) {}

void ReminderService::add_check(std::string milestone, Check check) { checks_.emplace(std::move(milestone), std::move(check)); }

const timeline::EventView* ReminderService::find(std::string_view event_id) const {
  for (const auto& e : events_)
    if (e.agenda->id == event_id) return &e;
  return nullptr;
}

std::vector<TimePoint> ReminderService::warn_instants(std::string_view event_id) const {
  std::vector<TimePoint> out;
  const auto* event = find(event_id);
  if (!event) return out;
  for (const auto& m : event->agenda->milestones)
    if (m.warn_days_before && checks_.contains(m.id)) out.push_back(m.at - std::chrono::days(*m.warn_days_before));
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::vector<Warning>> ReminderService::warnings(std::string_view event_id) {
  const auto* event = find(event_id);
  if (!event) return errors::event_not_found();
  const TimePoint now = clock_.now();
  std::vector<Warning> out;
  for (const auto& m : event->agenda->milestones) {
    if (!m.warn_days_before) continue;
    Warning w;
    w.milestone = m.id;
    w.title = m.title;
    w.at = m.at;
    w.warn_from = m.at - std::chrono::days(*m.warn_days_before);
    if (now < w.warn_from) continue;
    w.utc_offset_minutes = event->timeline->utc_offset_minutes();
    w.deadline_text = timeline::deadline_text(m.at, w.utc_offset_minutes);
    w.passed = now >= m.at;
    auto [from, to] = checks_.equal_range(m.id);
    for (auto it = from; it != to; ++it) {
      auto left = it->second(event_id);
      if (!left) return left.status();
      if (left->count > 0) w.left.push_back(std::move(*left));
    }
    if (!w.left.empty()) out.push_back(std::move(w));
  }
  std::stable_sort(out.begin(), out.end(), [](const Warning& a, const Warning& b) { return a.at < b.at; });
  return out;
}

Result<int> ReminderService::send_due(std::string_view event_id) {
  auto found = warnings(event_id);
  if (!found) return found.status();
  const auto* event = find(event_id);
  int queued = 0;
  for (const auto& w : *found) {
    // After the milestone the desk still shows the work left; a letter then would only be noise.
    if (w.passed) continue;
    auto to = organisers_(event_id);
    if (!to) return to.status();
    if (to->empty()) continue;
    const auto tmpl = letter_template(*event->agenda);
    if (!tmpl) continue;  // the desk shows the warning all the same
    std::string left;
    for (const auto& l : w.left) left += "— " + l.text + "\n";
    const std::map<std::string, std::string> values = {
        {"milestone", w.title}, {"deadline", w.deadline_text}, {"event_title", event->agenda->title}, {"left", left}};
    mail::Message letter;
    letter.idempotency_key = "reminder:" + std::string(event_id) + ":" + w.milestone;
    letter.event_id = std::string(event_id);
    letter.recipients = *to;
    letter.subject = mail::fill(tmpl->subject, values);
    letter.body = mail::fill(tmpl->body, values);
    bool stored = false;
    auto s = db_.transaction([&](store::Tx& tx) -> Status {
      auto r = mail::Outbox::enqueue(tx, letter, clock_.now());
      if (!r) return r.status();
      stored = *r;
      return Status::ok();
    });
    if (!s) return s;
    queued += stored ? 1 : 0;
  }
  if (queued > 0 && mail_queued_) mail_queued_();
  return queued;
}

}  // namespace praktika::reminders
