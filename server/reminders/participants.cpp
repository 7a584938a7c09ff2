#include "reminders/participants.h"

#include <algorithm>
#include <set>

#include "common/errors.h"
#include "intake/catalogue.h"
#include "mail/outbox.h"
#include "mail/template.h"
#include "store/db.h"
#include "timeline/russian_date.h"
#include "timeline/timeline.h"

namespace praktika::reminders {
namespace {

// «8 июля 2020 г.» (the day only) and «10:24», in the event's offset.
std::string day_text(TimePoint t, int offset) {
  std::string date = timeline::russian_date(t, offset);
  auto cut = date.find(" г.");
  return cut == std::string::npos ? date : date.substr(0, cut + std::string_view(" г.").size());
}
std::string time_text(TimePoint t, int offset) { return format_instant(t, offset).substr(11, 5); }

std::string prefix(Kind kind, std::string_view event) {
  return "reminder:" + std::string(kind_id(kind)) + ":" + std::string(event) + ":";
}

Status kind_not_found() {
  return Status::not_found("reminder_kind_not_found", "Такого напоминания в этом мероприятии нет.");
}

}  // namespace

// One letter as it would be queued: its window and its key.
struct ParticipantReminders::Planned {
  TimePoint at{};
  TimePoint until{};
  std::int64_t user_id = 0;
  mail::Message message;
};

ParticipantReminders::ParticipantReminders(store::Db& db, const timeline::Clock& clock,
                                           std::vector<intake::EventView> events, Sources sources,
                                           std::function<void()> mail_queued)
    : db_(db), clock_(clock), sources_(std::move(sources)), mail_queued_(std::move(mail_queued)) {
  for (const auto& view : events) {
    auto read = read_settings(*view.agenda);
    auto* settings = std::get_if<Settings>(&read);
    if (!settings || settings->kinds.empty()) continue;
    events_.emplace(view.agenda->id, EventRef{view, std::move(*settings)});
  }
}

std::vector<std::string> ParticipantReminders::event_ids() const {
  std::vector<std::string> out;
  for (const auto& [id, ref] : events_) out.push_back(id);
  return out;
}

const ParticipantReminders::EventRef* ParticipantReminders::find(std::string_view event) const {
  auto it = events_.find(event);
  return it == events_.end() ? nullptr : &it->second;
}

const timeline::Agenda* ParticipantReminders::agenda(std::string_view event) const {
  const auto* ref = find(event);
  return ref ? ref->view.agenda : nullptr;
}

Result<std::map<Kind, bool>> ParticipantReminders::switches(std::string_view event) {
  std::map<Kind, bool> out;
  for (Kind k : kKinds) out[k] = true;
  Status s = db_.read([&](store::Tx& tx) -> Status {
    auto q = tx.prepare("SELECT kind, enabled FROM reminder_switches WHERE event_id = ?1");
    q.bind_text(1, event);
    for (;;) {
      auto more = q.step();
      if (!more) return more.status();
      if (!*more) return Status::ok();
      if (auto k = kind_of(q.text(0))) out[*k] = q.int64(1) != 0;
    }
  });
  if (!s) return s;
  return out;
}

// The letters of one kind being planned: each is filled from the kind's template, with the
// event's own values added to the ones given.
struct ParticipantReminders::Letters {
  const timeline::Agenda& agenda;
  const std::string& event;
  int offset = 0;
  Kind kind;
  const mail::Template& tmpl;
  const mail::MailPart& mail_part;
  std::string cabinet_url;
  std::vector<Planned> out;

  std::string snippet(const std::string& id) const {
    auto it = mail_part.snippets.find(id);
    return it == mail_part.snippets.end() ? std::string() : it->second;
  }

  void add(const Occasion& o, std::int64_t user, const std::string& email, const std::string& key_tail,
           std::map<std::string, std::string> values) {
    values.emplace("event_title", agenda.title);
    values.emplace("event_title_genitive", agenda.title_genitive.empty() ? agenda.title : agenda.title_genitive);
    values.emplace("cabinet_url", cabinet_url);
    Planned p;
    p.at = o.at;
    p.until = o.until;
    p.user_id = user;
    p.message.idempotency_key = prefix(kind, event) + key_tail;
    p.message.event_id = event;
    p.message.recipients = {email};
    p.message.subject = mail::fill(tmpl.subject, values);
    p.message.body = mail::fill(tmpl.body, values);
    out.push_back(std::move(p));
  }

  // One line per practice: «— № 3 «Семейная гостиная»».
  std::string item(const intake::Practice& p) const {
    std::string title = p.answers.value("name", "");
    return mail::fill(snippet(title.empty() ? "reminder_item_untitled" : "reminder_item"),
                      {{"number", std::to_string(p.id)}, {"title", title}});
  }
};

Result<std::vector<ParticipantReminders::Planned>> ParticipantReminders::planned(const EventRef& ref,
                                                                                   const KindSettings& kind) {
  const timeline::Agenda& agenda = *ref.view.agenda;
  auto part = mail::read_mail_part(agenda);
  const auto* mail_part = std::get_if<mail::MailPart>(&part);
  if (!mail_part) return Status::internal("reminder_template", "Шаблон письма не читается.");
  Letters letters{.agenda = agenda,
                  .event = agenda.id,
                  .offset = ref.view.timeline->utc_offset_minutes(),
                  .kind = kind.kind,
                  .tmpl = mail_part->templates.at(kind.template_id),
                  .mail_part = *mail_part,
                  .cabinet_url = ref.settings.site_url + "/events/" + agenda.id + "/cabinet",
                  .out = {}};
  Status s = kind.kind == Kind::draft || kind.kind == Kind::payment ? plan_unfinished(letters, kind)
             : kind.kind == Kind::speaker                            ? plan_speakers(letters, kind)
                                                                     : plan_certificates(letters, ref);
  if (!s) return s;
  return std::move(letters.out);
}

// Drafts not submitted by the stage's close, or fees without a proof of payment by the
// milestone: one letter per person, listing their practices.
Status ParticipantReminders::plan_unfinished(Letters& letters, const KindSettings& kind) {
  const timeline::Agenda& agenda = letters.agenda;
  TimePoint deadline{};
  if (kind.kind == Kind::draft) deadline = agenda.find_stage(kind.stage)->closes;
  else deadline = agenda.find_milestone(kind.milestone)->at;
  if (kind.kind == Kind::payment && !intake::charges_fees(agenda)) return Status::ok();
  struct Person {
    std::string name, email, items;
  };
  std::map<std::int64_t, Person> people;
  Status s = db_.read([&](store::Tx& tx) -> Status {
    intake::PracticeQuery query;
    if (kind.kind == Kind::draft) query.include_drafts = true;
    else query.without_payment_proof = true;
    auto found = intake::practices(tx, letters.event, query);
    if (!found) return found.status();
    for (const auto& p : *found) {
      if (kind.kind == Kind::draft && p.submitted()) continue;
      auto& person = people[p.owner_id];
      person.name = p.owner_name;
      person.email = p.owner_email;
      person.items += letters.item(p);
    }
    return Status::ok();
  });
  if (!s) return s;
  for (const auto& o : occasions(kind.hours_before, deadline))
    for (const auto& [user, person] : people)
      letters.add(o, user, person.email, std::to_string(o.hours) + "h:" + std::to_string(user),
                  {{"full_name", person.name},
                   {"items", person.items},
                   {"deadline", timeline::deadline_text(deadline, letters.offset)}});
  return Status::ok();
}

// Speakers before their slot in the running order.
Status ParticipantReminders::plan_speakers(Letters& letters, const KindSettings& kind) {
  if (!sources_.speaker_slots) return Status::ok();
  const std::string& event = letters.event;
  const int offset = letters.offset;
  auto slots = sources_.speaker_slots(event);
  if (!slots) return slots.status();
  const std::string requirements = sources_.presenter_requirements ? sources_.presenter_requirements(event) : "";
  for (const auto& slot : *slots)
    for (const auto& o : occasions(kind.hours_before, slot.starts))
      for (const auto& speaker : slot.speakers)
        // The slot's start is in the key: a slot moved by a new running order is a new occasion.
        letters.add(o, speaker.user_id, speaker.email,
                    std::to_string(o.hours) + "h:" + std::to_string(slot.practice) + "@" +
                        std::to_string(to_ms(slot.starts)) + ":" + std::to_string(speaker.user_id),
                    {{"full_name", speaker.full_name},
                     {"title", slot.title},
                     {"section", std::to_string(slot.section)},
                     {"section_title", slot.section_title},
                     {"room_url", slot.room_url},
                     {"date", day_text(slot.starts, offset)},
                     {"starts", time_text(slot.starts, offset)},
                     {"ends", time_text(slot.ends, offset)},
                     {"presenter_requirements", requirements}});
  return Status::ok();
}

// Certificates: due from the moment one is made, for as long as it stays made; a person whose
// certificate was itself mailed has been told.
Status ParticipantReminders::plan_certificates(Letters& letters, const EventRef& ref) {
  if (!sources_.certificates) return Status::ok();
  auto issued = sources_.certificates(letters.event);
  if (!issued) {
    if (issued.status().http_status() == 404) return Status::ok();  // no certificates in this event
    return issued.status();
  }
  for (const auto& c : *issued) {
    if (c.mailed) continue;
    letters.add(Occasion{0, TimePoint{}, TimePoint::max()}, c.user_id, c.email, std::to_string(c.user_id),
                {{"full_name", c.full_name},
                 {"number", c.number},
                 {"template_title", c.title},
                 {"verify_url", ref.settings.site_url + "/verify/" + c.number}});
  }
  return Status::ok();
}

Result<int> ParticipantReminders::send_due(std::string_view event) {
  const auto* ref = find(event);
  if (!ref) return 0;
  auto on = switches(event);
  if (!on) return on.status();
  const TimePoint now = clock_.now();
  std::vector<mail::Message> due;
  for (const auto& kind : ref->settings.kinds) {
    if (!(*on)[kind.kind]) continue;
    auto letters = planned(*ref, kind);
    if (!letters) return letters.status();
    for (auto& p : *letters)
      if (p.at <= now && now < p.until) due.push_back(std::move(p.message));
  }
  if (due.empty()) return 0;
  int queued = 0;
  Status s = db_.transaction([&](store::Tx& tx) -> Status {
    queued = 0;
    for (const auto& m : due) {
      auto stored = mail::Outbox::enqueue(tx, m, now);
      if (!stored) return stored.status();
      queued += *stored ? 1 : 0;
    }
    return Status::ok();
  });
  if (!s) return s;
  if (queued > 0 && mail_queued_) mail_queued_();
  return queued;
}

Result<std::optional<TimePoint>> ParticipantReminders::next_due(std::string_view event) {
  const auto* ref = find(event);
  if (!ref) return std::optional<TimePoint>();
  auto on = switches(event);
  if (!on) return on.status();
  const TimePoint now = clock_.now();
  std::optional<TimePoint> next;
  auto consider = [&](TimePoint at) {
    if (at > now && (!next || at < *next)) next = at;
  };
  for (const auto& kind : ref->settings.kinds) {
    if (!(*on)[kind.kind]) continue;
    const timeline::Agenda& agenda = *ref->view.agenda;
    if (kind.kind == Kind::draft)
      for (const auto& o : occasions(kind.hours_before, agenda.find_stage(kind.stage)->closes)) consider(o.at);
    if (kind.kind == Kind::payment)
      for (const auto& o : occasions(kind.hours_before, agenda.find_milestone(kind.milestone)->at)) consider(o.at);
    if (kind.kind == Kind::speaker && sources_.speaker_slots) {
      auto slots = sources_.speaker_slots(event);
      if (!slots) return slots.status();
      for (const auto& slot : *slots)
        for (const auto& o : occasions(kind.hours_before, slot.starts)) consider(o.at);
    }
  }
  return next;
}

Result<std::vector<KindSchedule>> ParticipantReminders::schedule(std::string_view event) {
  const auto* ref = find(event);
  if (!ref) return errors::event_not_found();
  auto on = switches(event);
  if (!on) return on.status();
  const TimePoint now = clock_.now();
  std::vector<KindSchedule> out;
  for (const auto& kind : ref->settings.kinds) {
    KindSchedule row;
    row.kind = kind.kind;
    row.title = kind.title;
    row.description = kind.description;
    row.enabled = (*on)[kind.kind];
    row.hours_before = kind.hours_before;
    auto letters = planned(*ref, kind);
    if (!letters) return letters.status();
    std::set<std::string> sent;
    Status s = db_.read([&](store::Tx& tx) -> Status {
      auto keys = mail::Outbox::keys_with_prefix(tx, prefix(kind.kind, event));
      if (!keys) return keys.status();
      sent = std::move(*keys);
      return Status::ok();
    });
    if (!s) return s;
    row.sent = static_cast<std::int64_t>(sent.size());
    std::map<TimePoint, std::set<std::int64_t>> waiting;  // moment -> people
    for (const auto& p : *letters)
      if (now < p.until && !sent.contains(p.message.idempotency_key)) waiting[std::max(p.at, now)].insert(p.user_id);
    if (!waiting.empty()) {
      row.next_at = waiting.begin()->first;
      row.people = static_cast<std::int64_t>(waiting.begin()->second.size());
    } else if (kind.kind == Kind::draft || kind.kind == Kind::payment) {
      // Nobody to write to yet: the moment still stands for whoever is left by then.
      const timeline::Agenda& agenda = *ref->view.agenda;
      TimePoint deadline = kind.kind == Kind::draft ? agenda.find_stage(kind.stage)->closes
                                                    : agenda.find_milestone(kind.milestone)->at;
      for (const auto& o : occasions(kind.hours_before, deadline))
        if (o.at > now) {
          row.next_at = o.at;
          break;
        }
    }
    out.push_back(std::move(row));
  }
  return out;
}

Status ParticipantReminders::set_enabled(const accounts::Identity& who, std::string_view event, std::string_view kind,
                                         bool enabled) {
  const auto* ref = find(event);
  if (!ref) {
    if (!accounts::is_organiser(who, event)) return errors::organiser_only();
    return kind_not_found();
  }
  if (!accounts::is_organiser(who, event)) return errors::organiser_only();
  auto k = kind_of(kind);
  if (!k || !ref->settings.find(*k)) return kind_not_found();
  Status s = db_.transaction([&](store::Tx& tx) -> Status {
    return tx
        .prepare("INSERT INTO reminder_switches (event_id, kind, enabled, changed_by, changed_at) VALUES (?1, ?2, ?3, ?4, ?5) "
                 "ON CONFLICT (event_id, kind) DO UPDATE SET enabled = excluded.enabled, changed_by = excluded.changed_by, "
                 "changed_at = excluded.changed_at")
        .bind_text(1, event)
        .bind_text(2, kind_id(*k))
        .bind_int(3, enabled ? 1 : 0)
        .bind_int(4, who.user.id)
        .bind_int(5, to_ms(clock_.now()))
        .run();
  });
  if (s && switched_) switched_(std::string(event));
  return s;
}

}  // namespace praktika::reminders
