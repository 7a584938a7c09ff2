// SectionService's calendars: built from the same answers the pages read (overview, my_slots), so a
// moved running order is in the next download or subscription poll.
#include <random>

#include "common/errors.h"
#include "sections/calendar.h"
#include "sections/sections.h"
#include "store/db.h"

namespace praktika::sections {
namespace {

Status feed_not_found() { return Status::not_found("calendar_not_found", "Календарь по этой ссылке не найден: ссылку отозвали или она неверна."); }

CalendarZone zone_of(const timeline::Agenda& agenda) {
  if (!agenda.time_zone.empty()) return {agenda.time_zone, agenda.utc_offset_minutes};
  int a = agenda.utc_offset_minutes < 0 ? -agenda.utc_offset_minutes : agenda.utc_offset_minutes;
  char name[16];
  std::snprintf(name, sizeof name, "UTC%c%02d:%02d", agenda.utc_offset_minutes < 0 ? '-' : '+', a / 60, a % 60);
  return {name, agenda.utc_offset_minutes};
}

std::string uid(std::string_view event, const std::string& what) { return what + "." + std::string(event) + "@praktika"; }

// The practice's title, empty when it is gone.
std::string title_of(const TimedSlot& slot) { return slot.info ? slot.info->title : std::string(); }

// "Иванов И. И., Петров П. П.", empty when the practice is gone.
std::string authors_of(const TimedSlot& slot) {
  std::string out;
  if (slot.info)
    for (const auto& one : slot.info->authors) out += (out.empty() ? "" : ", ") + one;
  return out;
}

CalendarItem session_item(std::string_view event, const timeline::Agenda& agenda, const timeline::Timeline& timeline,
                          const std::string& id) {
  const auto* s = agenda.find_session(id);
  if (!s) return {};
  std::string description = s->moderator.empty() ? "" : "Модератор: " + s->moderator;
  return {uid(event, "session-" + s->id), s->title, description, s->room_url, timeline.format(s->starts),
          timeline.format(s->ends)};
}

std::vector<CalendarItem> deadlines(std::string_view event, const timeline::Agenda& agenda,
                                    const timeline::Timeline& timeline) {
  std::vector<CalendarItem> out;
  for (const auto& m : agenda.milestones)
    out.push_back({uid(event, "milestone-" + m.id), "Срок: " + m.title, agenda.title, "", timeline.format(m.at), ""});
  return out;
}

std::string new_token() {
  std::random_device random;  // the kernel's generator
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 16; ++i) {
    unsigned v = random();
    out += kHex[v & 15];
    out += kHex[(v >> 4) & 15];
    out += kHex[(v >> 8) & 15];
    out += kHex[(v >> 12) & 15];
  }
  return out;  // 64 hex characters: 256 random bits
}

std::string feed_url(const std::string& token) { return "/api/calendar/" + token + ".ics"; }

}  // namespace

std::string SectionService::calendar_stamp() const {
  return local_time(format_instant(clock_.now(), 0)) + "Z";
}

Result<std::string> SectionService::event_calendar(std::string_view event) {
  auto ref = find(event, std::nullopt);
  if (!ref) return ref.status();
  const auto& agenda = *(*ref)->agenda;
  const auto& timeline = *(*ref)->timeline;
  std::vector<CalendarItem> items;
  for (const auto& stage : agenda.stages)
    items.push_back({uid(event, "stage-" + stage.id), stage.title, stage.description, "", timeline.format(stage.opens),
                     timeline.format(stage.closes)});
  for (const auto& s : agenda.timetable) items.push_back(session_item(event, agenda, timeline, s.id));
  for (auto& d : deadlines(event, agenda, timeline)) items.push_back(std::move(d));
  return write_calendar(agenda.title, zone_of(agenda), items, calendar_stamp());
}

Result<std::string> SectionService::section_calendar(std::string_view event, int section) {
  auto ref = find(event, section);
  if (!ref) return ref.status();
  auto all = overview(event);
  if (!all) return all.status();
  const auto& agenda = *(*ref)->agenda;
  const auto* info = agenda.find_section(section);
  std::string name = "Секция " + std::to_string(section) + " «" + info->title + "»";
  std::vector<CalendarItem> items;
  if (const auto* sitting = agenda.find_session((*ref)->settings.sections_session))
    items.push_back({uid(event, "section-" + std::to_string(section)), name, sitting->title, info->room_url,
                     (*ref)->timeline->format(sitting->starts), (*ref)->timeline->format(sitting->ends)});
  for (const auto& s : all->sections) {
    if (s.number != section || !s.schedule) continue;
    for (const auto& slot : s.schedule->slots) {
      std::string summary = std::to_string(slot.position) + ". «" + title_of(slot) + "»";
      std::string who = authors_of(slot);
      items.push_back({uid(event, "slot-" + std::to_string(slot.practice)), summary,
                       (who.empty() ? "" : who + "\n") + name, info->room_url, slot.starts_at.value_or(""),
                       slot.ends_at.value_or("")});
    }
  }
  return write_calendar(name, zone_of(agenda), items, calendar_stamp());
}

Result<std::string> SectionService::my_calendar(const accounts::User& who, std::string_view event) {
  auto ref = find(event, std::nullopt);
  if (!ref) return ref.status();
  const auto& agenda = *(*ref)->agenda;
  const auto& timeline = *(*ref)->timeline;
  auto mine = my_slots(accounts::Identity{who, {}}, event);
  if (!mine) return mine.status();
  std::vector<CalendarItem> items;
  for (const auto& s : mine->slots) {
    if (!s.slot) continue;
    items.push_back({uid(event, "slot-" + std::to_string(s.practice)), "Моё выступление: «" + title_of(*s.slot) + "»",
                     "Секция " + std::to_string(s.section) + " «" + s.section_title + "»", s.room_url,
                     s.slot->starts_at.value_or(""), s.slot->ends_at.value_or("")});
  }
  for (const auto& id : {(*ref)->settings.welcome_session, (*ref)->settings.results_session})
    if (!id.empty() && agenda.find_session(id)) items.push_back(session_item(event, agenda, timeline, id));
  for (auto& d : deadlines(event, agenda, timeline)) items.push_back(std::move(d));
  return write_calendar(agenda.title + ": мой календарь", zone_of(agenda), items, calendar_stamp());
}

Result<CalendarFeed> SectionService::calendar_feed(const accounts::User& who, std::string_view event) {
  auto ref = find(event, std::nullopt);
  if (!ref) return ref.status();
  CalendarFeed out;
  Status s = db_.read([&](store::Tx& tx) -> Status {
    auto q = tx.prepare("SELECT token FROM calendar_feeds WHERE user_id = ?1 AND event_id = ?2");
    q.bind_int(1, who.id).bind_text(2, event);
    auto more = q.step();
    if (!more) return more.status();
    if (*more) out.url = feed_url(q.text(0));
    return Status::ok();
  });
  if (!s) return s;
  return out;
}

Result<CalendarFeed> SectionService::renew_calendar_feed(const accounts::User& who, std::string_view event) {
  auto ref = find(event, std::nullopt);
  if (!ref) return ref.status();
  std::string token = new_token();
  Status s = db_.transaction([&](store::Tx& tx) -> Status {
    return tx
        .prepare("INSERT INTO calendar_feeds (user_id, event_id, token, created_at) VALUES (?1, ?2, ?3, ?4) "
                 "ON CONFLICT (user_id, event_id) DO UPDATE SET token = excluded.token, created_at = excluded.created_at")
        .bind_int(1, who.id)
        .bind_text(2, event)
        .bind_text(3, token)
        .bind_int(4, to_ms(clock_.now()))
        .run();
  });
  if (!s) return s;
  return CalendarFeed{feed_url(token)};
}

Status SectionService::revoke_calendar_feed(const accounts::User& who, std::string_view event) {
  auto ref = find(event, std::nullopt);
  if (!ref) return ref.status();
  return db_.transaction([&](store::Tx& tx) -> Status {
    return tx.prepare("DELETE FROM calendar_feeds WHERE user_id = ?1 AND event_id = ?2")
        .bind_int(1, who.id)
        .bind_text(2, event)
        .run();
  });
}

Result<std::string> SectionService::feed_calendar(std::string_view token) {
  std::optional<accounts::User> user;
  std::string event;
  Status s = db_.read([&](store::Tx& tx) -> Status {
    auto q = tx.prepare("SELECT user_id, event_id FROM calendar_feeds WHERE token = ?1");
    q.bind_text(1, token);
    auto more = q.step();
    if (!more) return more.status();
    if (!*more) return feed_not_found();
    event = q.text(1);
    auto found = accounts::user_by_id(tx, q.int64(0));
    if (!found) return found.status();
    if (!*found) return feed_not_found();
    user = **found;
    return Status::ok();
  });
  if (!s) return s;
  return my_calendar(*user, event);
}

}  // namespace praktika::sections
