#include "sections/wire.h"

namespace praktika::sections {
namespace {

using nlohmann::json;

// Declared before list() and or_null(), whose lookup finds only what is declared ahead of them.
json to_json(const SessionInfo& s);
json to_json(const PublishedOrder& order);
json to_json(const SectionSummary& s);
json to_json(const MySlot& s);
json to_json(const MaterialLink& m);
json to_json(const WindowTimes& w);
json to_json(const LiveSlot& s);
json to_json(const CurrentSlot& s);
json to_json(const DoneSlot& s);
json to_json(const RaisedHand& h);
json to_json(const AskedQuestion& q);
json to_json(const AttendanceRow& r);
json to_json(const SectionResult& r);
json to_json(const PublishedResults& r);

// Every item's JSON in a JSON array ("[]" when there are none).
template <typename T>
json list(const std::vector<T>& items) {
  json out = json::array();
  for (const auto& item : items) out.push_back(to_json(item));
  return out;
}

template <typename T>
json or_null(const std::optional<T>& value) {
  if (!value) return nullptr;
  if constexpr (std::is_same_v<T, std::string>) return *value;
  else return to_json(*value);
}

json to_json(const SessionInfo& s) {
  return {{"id", s.id},       {"title", s.title},         {"starts", s.starts},
          {"ends", s.ends},   {"room_url", s.room_url},   {"moderator", s.moderator}};
}

json to_json(const PublishedOrder& order) { return {{"published_at", order.published_at}, {"slots", list(order.slots)}}; }

json to_json(const SectionSummary& s) {
  return {{"number", s.number},
          {"title", s.title},
          {"room_url", s.room_url},
          {"contact", {{"name", s.contact_name}, {"phone", s.contact_phone}}},
          {"schedule", or_null(s.schedule)}};
}

json to_json(const MySlot& s) {
  return {{"practice", s.practice},
          {"section", s.section},
          {"section_title", s.section_title},
          {"room_url", s.room_url},
          {"slot", or_null(s.slot)}};
}

json to_json(const MaterialLink& m) {
  return {{"id", m.id}, {"purpose", m.purpose}, {"file_name", m.file_name}, {"length", m.length}, {"url", m.url}};
}

json to_json(const WindowTimes& w) {
  return {{"opens", w.opens}, {"closes", w.closes}, {"rehearsal_from", or_null(w.rehearsal_from)}};
}

// {"practice"} and {"info"} when the practice was found.
json slot_base(std::int64_t practice, const std::optional<PracticeCard>& info) {
  json out = {{"practice", practice}};
  if (info) out["info"] = to_json(*info);
  return out;
}

json to_json(const LiveSlot& s) {
  json out = slot_base(s.practice, s.info);
  out["seconds"] = s.seconds;
  return out;
}

json to_json(const CurrentSlot& s) {
  json out = to_json(static_cast<const LiveSlot&>(s));
  out["materials"] = list(s.materials);
  out["started_at"] = s.started_at;
  out["ends_at"] = or_null(s.ends_at);
  out["remaining_seconds"] = s.remaining_seconds;
  return out;
}

json to_json(const DoneSlot& s) {
  json out = slot_base(s.practice, s.info);
  out["outcome"] = s.outcome;
  out["started_at"] = or_null(s.started_at);
  out["ended_at"] = s.ended_at;
  return out;
}

json to_json(const RaisedHand& h) {
  return {{"id", h.id}, {"user", h.user}, {"name", h.name}, {"status", h.status}, {"raised_at", h.raised_at}};
}

json to_json(const AskedQuestion& q) {
  json out = {{"id", q.id},         {"user", q.user},   {"name", q.name},         {"text", q.text},
              {"status", q.status}, {"votes", q.votes}, {"asked_at", q.asked_at}};
  if (q.moderation) {
    out["hidden"] = q.moderation->hidden;
    out["flags"] = q.moderation->flags;
  }
  return out;
}

json to_json(const AttendanceRow& r) {
  return {{"section", r.section},
          {"user", {{"id", r.user_id}, {"full_name", r.full_name}, {"email", r.email}}},
          {"first_joined", r.first_joined},
          {"seconds", r.seconds},
          {"minutes", r.minutes}};
}

json to_json(const SectionResult& r) {
  return {{"section", r.section}, {"title", r.title}, {"best", list(r.best)}, {"note", r.note}};
}

json to_json(const PublishedResults& r) {
  return {{"text", r.text},
          {"sections", list(r.sections)},
          {"published_at", r.published_at},
          {"session", or_null(r.session)}};
}

}  // namespace

json to_json(const PracticeCard& p) {
  return {{"id", p.id}, {"title", p.title}, {"institution", p.institution}, {"authors", p.authors}};
}

json to_json(const TimedSlot& s) {
  json out = {{"position", s.position}, {"practice", s.practice}, {"seconds", s.seconds}, {"minutes", s.seconds / 60.0}};
  if (s.info) out["info"] = to_json(*s.info);
  if (s.starts_at) out["starts_at"] = *s.starts_at;
  if (s.ends_at) out["ends_at"] = *s.ends_at;
  return out;
}

json to_json(const Overview& o) {
  return {{"sections", list(o.sections)},
          {"sessions",
           {{"sections", or_null(o.sections_session)},
            {"welcome", or_null(o.welcome_session)},
            {"results", or_null(o.results_session)}}},
          {"warn_before_minutes", o.warn_before_minutes},
          {"slot_minutes", {{"min", o.min_slot_minutes}, {"max", o.max_slot_minutes}}},
          {"gap_minutes", o.gap_minutes}};
}

json to_json(const Schedule& s) {
  json out = {{"event", s.event},
              {"section", s.section},
              {"published", s.published ? list(*s.published) : json(nullptr)},
              {"published_at", or_null(s.published_at)}};
  if (s.draft) {
    out["draft"] = list(s.draft->slots);
    out["fits"] = s.draft->fits;
    out["unscheduled"] = list(s.draft->unscheduled);
    out["draft_differs"] = s.draft->differs;
  }
  return out;
}

json to_json(const Notice& n) {
  return {{"id", n.id},     {"section", n.section}, {"practice", n.practice},
          {"text", n.text}, {"slot", n.slot},       {"created_at", n.created_at}};
}

json to_json(const MySlots& mine) { return {{"slots", list(mine.slots)}, {"notices", list(mine.notices)}}; }

json to_json(const SectionState& s) {
  return {{"event", s.event},
          {"section", s.section},
          {"title", s.title},
          {"room_url", s.room_url},
          {"status", s.status},
          {"rehearsal", s.rehearsal},
          {"window", or_null(s.window)},
          {"version", s.version},
          {"now", s.now},
          {"current", or_null(s.current)},
          {"next", or_null(s.next)},
          {"queue", list(s.queue)},
          {"done", list(s.done)},
          {"started_at", or_null(s.started_at)},
          {"closed_at", or_null(s.closed_at)},
          {"hands", list(s.floor.hands)},
          {"speaking", or_null(s.floor.speaking)},
          {"questions", list(s.floor.questions)},
          {"premoderation", s.floor.premoderation}};
}

json to_json(const Moderation& m) {
  // No "speaking": the moderators read it from the public state.
  return {{"event", m.event},
          {"section", m.section},
          {"version", m.version},
          {"questions", list(m.floor.questions)},
          {"hands", list(m.floor.hands)},
          {"premoderation", m.floor.premoderation}};
}

json to_json(const ActReply& r) {
  if (r.hand) return {{"hand", *r.hand}, {"state", to_json(r.state)}};
  if (r.question) return {{"question", r.question->id}, {"status", r.question->status}, {"state", to_json(r.state)}};
  return to_json(r.state);
}

json to_json(const TimerNotice& n) {
  json out = {{"practice", n.practice}, {"at", n.at}, {"ends_at", n.ends_at}, {"version", n.version}};
  if (n.minutes_left) out["minutes_left"] = *n.minutes_left;
  return out;
}

json to_json(const std::vector<AttendanceRow>& rows) { return {{"attendance", list(rows)}}; }

json to_json(const Results& r) { return {{"results", or_null(r.results)}}; }

json to_json(const CalendarFeed& feed) { return {{"url", or_null(feed.url)}}; }

}  // namespace praktika::sections
