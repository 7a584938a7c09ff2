#include "sections/sections.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "common/errors.h"
#include "common/plural.h"
#include "common/utf8.h"
#include "intake/catalogue.h"
#include "sections/action.h"
#include "sections/floor_store.h"
#include "sections/run_store.h"
#include "sections/stored.h"
#include "sections/wire.h"
#include "store/db.h"
#include "timeline/agenda_reader.h"
#include "timeline/russian_date.h"
#include "store/rows.h"

namespace praktika::sections {
namespace {

using nlohmann::json;

// The agenda's texts may name the bandwidth figure as {min_mbps}, so the figure is written once.
// `text` with every `placeholder` replaced by `value`.
std::string with_value(std::string text, std::string_view placeholder, const std::string& value) {
  for (auto at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder, at + value.size()))
    text.replace(at, placeholder.size(), value);
  return text;
}

std::string with_mbps(std::string text, int mbps) { return with_value(std::move(text), "{min_mbps}", std::to_string(mbps)); }

Status not_organiser() {
  return errors::organiser_only();
}
Status not_moderator() {
  return Status::forbidden("not_moderator", "Это действие доступно только модератору секции.");
}
// Practice facts the schedules and the live state show (the card), and whom a notice goes to.
struct PracticeInfo : PracticeCard {
  int section = 0;
  std::vector<std::int64_t> author_ids;  // owner first, then registered co-authors
};

Result<std::optional<PracticeInfo>> load_practice(store::Tx& tx, std::string_view event, std::int64_t id) {
  auto found = intake::practice_by_id(tx, event, id);
  if (!found) return found.status();
  if (!*found) return std::optional<PracticeInfo>();
  const intake::Practice& p = **found;
  PracticeInfo info;
  info.id = p.id;
  info.section = p.section;
  info.title = p.answers.value("name", "");
  info.institution = intake::institution_of(p);
  auto authors = intake::authors_of(tx, id);
  if (!authors) return authors.status();
  for (const auto& a : *authors) {
    info.author_ids.push_back(a.user_id);
    info.authors.push_back(a.full_name);
  }
  return std::optional<PracticeInfo>(std::move(info));
}

// The practices of a section admitted to present, by id.
Result<std::vector<std::int64_t>> presenters(store::Tx& tx, std::string_view event, int section) {
  auto admitted = intake::admitted(tx, event, intake::kPresentingOutcomes, section);
  if (!admitted) return admitted.status();
  std::vector<std::int64_t> out;
  for (const auto& d : *admitted) out.push_back(d.practice.id);
  return out;
}

struct ScheduleRow {
  std::vector<Slot> draft;
  std::optional<std::vector<Slot>> published;
  std::optional<TimePoint> published_at;
};

Result<std::optional<ScheduleRow>> load_schedule(store::Tx& tx, std::string_view event, int section) {
  auto q = tx.prepare(
      "SELECT draft, published, published_at FROM section_schedules WHERE event_id = ?1 AND section = ?2");
  q.bind_text(1, event).bind_int(2, section);
  auto row = q.step();
  if (!row) return row.status();
  if (!*row) return std::optional<ScheduleRow>();
  ScheduleRow out;
  out.draft = slots_from_json(json::parse(q.text(0), nullptr, false));
  if (!q.is_null(1)) out.published = slots_from_json(json::parse(q.text(1), nullptr, false));
  if (!q.is_null(2)) out.published_at = from_ms(q.int64(2));
  return std::optional<ScheduleRow>(std::move(out));
}

Status save_draft(store::Tx& tx, std::string_view event, int section, const std::vector<Slot>& draft, TimePoint now) {
  return tx
      .prepare(
          "INSERT INTO section_schedules (event_id, section, draft, updated_at) VALUES (?1, ?2, ?3, ?4) "
          "ON CONFLICT (event_id, section) DO UPDATE SET draft = excluded.draft, updated_at = excluded.updated_at")
      .bind_text(1, event)
      .bind_int(2, section)
      .bind_text(3, slots_to_json(draft).dump())
      .bind_int(4, to_ms(now))
      .run();
}

const timeline::Session* window_of(const EventRef& ref) {
  if (ref.settings.sections_session.empty()) return nullptr;
  return ref.agenda->find_session(ref.settings.sections_session);
}

// When the section may run, for clients to say so before they are refused.
std::optional<WindowTimes> window_times(const EventRef& ref) {
  if (!ref.settings.window) return std::nullopt;
  const auto& w = *ref.settings.window;
  WindowTimes out{ref.timeline->format(w.opens), ref.timeline->format(w.closes), std::nullopt};
  if (w.rehearsal_from) out.rehearsal_from = ref.timeline->format(*w.rehearsal_from);
  return out;
}

// Planned times of each slot from the window's start, with the gap between slots.
std::vector<TimedSlot> timed_slots(store::Tx& tx, const EventRef& ref, std::string_view event,
                                   const std::vector<Slot>& slots) {
  std::vector<TimedSlot> out;
  const auto* window = window_of(ref);
  TimePoint at = window ? window->starts : TimePoint{};
  int position = 1;
  for (const auto& slot : slots) {
    auto info = load_practice(tx, event, slot.practice);
    TimedSlot item{position++, slot.practice, slot.seconds, std::nullopt, std::nullopt, std::nullopt};
    if (info && *info) item.info = PracticeCard(**info);
    if (window) {
      item.starts_at = ref.timeline->format(at);
      item.ends_at = ref.timeline->format(at + std::chrono::seconds(slot.seconds));
    }
    at += std::chrono::seconds(slot.seconds) + std::chrono::minutes(ref.settings.gap_minutes);
    out.push_back(std::move(item));
  }
  return out;
}

// Whether the slots with their gaps fit the window.
bool fits(const EventRef& ref, const std::vector<Slot>& slots) {
  const auto* window = window_of(ref);
  if (!window) return false;
  std::int64_t total = 0;
  for (const auto& s : slots) total += s.seconds;
  if (!slots.empty()) total += static_cast<std::int64_t>(slots.size() - 1) * ref.settings.gap_minutes * 60;
  return std::chrono::seconds(total) <= window->ends - window->starts;
}

std::optional<SessionInfo> session_info(const EventRef& ref, const std::string& id) {
  if (id.empty()) return std::nullopt;
  const auto* s = ref.agenda->find_session(id);
  if (!s) return std::nullopt;
  return SessionInfo{s->id, s->title, ref.timeline->format(s->starts), ref.timeline->format(s->ends), s->room_url,
                     s->moderator};
}

Result<std::vector<MaterialLink>> materials_of(store::Tx& tx, std::string_view event, int section,
                                               std::int64_t practice) {
  std::vector<MaterialLink> out;
  auto found = intake::practice_by_id(tx, event, practice);
  if (!found) return found.status();
  if (!*found) return out;
  auto files = intake::files_of(tx, **found, intake::Audience::readers);
  if (!files) return files.status();
  for (const auto& f : *files)
    out.push_back({f.id, f.purpose, f.file_name, f.length,
                   "/api/events/" + std::string(event) + "/sections/" + std::to_string(section) + "/materials/" +
                       f.id});
  return out;
}

// The part's "window" as written.
struct WindowValues {
  int opens_before = 30;
  std::optional<TimePoint> until, rehearsal_from;
};

// The live window around the settings' sections session, or what is wrong with the part.
std::variant<LiveWindow, timeline::AgendaError> live_window(const timeline::Agenda& agenda, const Settings& s,
                                                            const WindowValues& values) {
  namespace reader = timeline::reader;
  const auto* window = agenda.find_session(s.sections_session);
  if (window->ends - window->starts < std::chrono::minutes(s.min_slot_minutes))
    return timeline::AgendaError{agenda.source, "/section_day/slot_minutes/min",
                                 "is longer than the session " + reader::in_quotes(s.sections_session)};
  LiveWindow live;
  live.opens = window->starts - std::chrono::minutes(values.opens_before);
  // The default end: midnight after the session's end, in the event's own offset.
  const auto offset = std::chrono::minutes(agenda.utc_offset_minutes);
  live.closes = values.until ? *values.until
                             : TimePoint(std::chrono::floor<std::chrono::days>(window->ends + offset) +
                                         std::chrono::days(1)) -
                                   offset;
  if (live.closes < window->ends)
    return timeline::AgendaError{agenda.source, "/section_day/window/until",
                                 "is before the end of the session " + reader::in_quotes(s.sections_session)};
  if (values.rehearsal_from && *values.rehearsal_from >= live.opens)
    return timeline::AgendaError{agenda.source, "/section_day/window/rehearsal_from",
                                 "must be before the window opens (the session's start less opens_before_minutes)"};
  live.rehearsal_from = values.rehearsal_from;
  return live;
}

}  // namespace

// ---- Settings, drafts and timers (pure) ---------------------------------------------------------

namespace {

// section_day.questions: the default of the pre-approval switch and the flags that hide a question.
// Its "sent_to_moderator" words are the front end's.
void read_question_settings(timeline::reader::Obj& o, Settings& s) {
  const auto* q = o.find("questions");
  if (!q) return;
  timeline::reader::Obj qo(*q, o.at("questions"));
  s.questions_premoderated = qo.boolean("premoderated", s.questions_premoderated);
  s.hide_after_flags = qo.opt_int("hide_after_flags", 0, 1000).value_or(s.hide_after_flags);
  qo.str("sent_to_moderator");
  qo.finish();
}

}  // namespace

std::variant<Settings, timeline::AgendaError> read_settings(const timeline::Agenda& agenda) {
  namespace reader = timeline::reader;
  Settings s;
  s.sections_session.clear();
  WindowValues values;
  auto error = reader::read_part(agenda, "section_day", [&](reader::Obj& o) {
    auto session = [&](reader::Obj& so, std::string_view key, std::string fallback, std::string& out) {
      std::string id = so.opt_str(key);
      if (!id.empty()) {
        if (!agenda.find_session(id)) reader::fail(so.at(key), reader::in_quotes(id) + " names no session of /timetable");
        out = id;
      } else if (agenda.find_session(fallback)) {
        out = fallback;
      }
    };
    if (const auto* sessions = o.find("sessions")) {
      reader::Obj so(*sessions, o.at("sessions"));
      session(so, "sections", "sections", s.sections_session);
      session(so, "welcome", "welcome", s.welcome_session);
      session(so, "results", "results", s.results_session);
      so.finish();
    } else {
      if (agenda.find_session("sections")) s.sections_session = "sections";
      if (agenda.find_session("welcome")) s.welcome_session = "welcome";
      if (agenda.find_session("results")) s.results_session = "results";
    }
    if (const auto* slot = o.find("slot_minutes")) {
      reader::Obj so(*slot, o.at("slot_minutes"));
      s.min_slot_minutes = so.opt_int("min", 1, 600).value_or(s.min_slot_minutes);
      s.max_slot_minutes = so.opt_int("max", 1, 600).value_or(s.max_slot_minutes);
      if (s.min_slot_minutes > s.max_slot_minutes) reader::fail(so.at("min"), "must not be above max");
      so.finish();
    }
    s.gap_minutes = o.opt_int("gap_minutes", 0, 120).value_or(s.gap_minutes);
    if (const auto* warn = o.opt_array("warn_before_minutes")) {
      s.warn_before_minutes.clear();
      reader::each(*warn, o.at("warn_before_minutes"), [&](const json& j, const std::string& path) {
        if (!j.is_number_integer() || j.get<std::int64_t>() < 1 || j.get<std::int64_t>() > 600)
          reader::fail(path, "must be an integer between 1 and 600");
        int m = j.get<int>();
        if (std::count(s.warn_before_minutes.begin(), s.warn_before_minutes.end(), m)) reader::fail(path, "repeats");
        s.warn_before_minutes.push_back(m);
      });
      std::sort(s.warn_before_minutes.rbegin(), s.warn_before_minutes.rend());
    }
    s.question_max_chars = o.opt_int("question_max_chars", 10, 100000).value_or(s.question_max_chars);
    read_question_settings(o, s);
    if (const auto* r = o.find("presenter_requirements")) {
      reader::Obj ro(*r, o.at("presenter_requirements"));
      PresenterRequirements req;
      req.when = ro.opt_str("when");
      req.title = ro.str("title");
      reader::each(ro.array("items", true), ro.at("items"), [&](const json& j, const std::string& path) {
        if (!j.is_string() || j.get<std::string>().empty()) reader::fail(path, "must be a non-empty string");
        req.items.push_back(j.get<std::string>());
      });
      req.min_mbps = static_cast<int>(ro.int64("min_mbps", 1, 10000));
      ro.finish();
      s.presenter_requirements = std::move(req);
    }
    if (const auto* w = o.find("window")) {
      reader::Obj wo(*w, o.at("window"));
      values.opens_before = wo.opt_int("opens_before_minutes", 0, 24 * 60).value_or(values.opens_before);
      if (wo.find("until")) values.until = wo.instant("until");
      if (wo.find("rehearsal_from")) values.rehearsal_from = wo.instant("rehearsal_from");
      wo.finish();
    }
    o.finish();
  });
  if (error) return *error;
  if (s.sections_session.empty()) return s;
  auto live = live_window(agenda, s, values);
  if (auto* wrong = std::get_if<timeline::AgendaError>(&live)) return *wrong;
  s.window = std::get<LiveWindow>(live);
  return s;
}

std::string requirements_text(const PresenterRequirements& requirements) {
  std::string text = requirements.title + ":\n";
  for (const auto& item : requirements.items)
    text += "— " + with_mbps(item, requirements.min_mbps) + "\n";
  return text;
}

std::string presenter_letter_block(const timeline::Agenda& agenda, const Settings& settings) {
  if (!settings.presenter_requirements) return {};
  const auto& requirements = *settings.presenter_requirements;
  std::string when;
  if (const auto* session = agenda.find_session(settings.sections_session); session && !requirements.when.empty()) {
    const int offset = agenda.utc_offset_minutes;
    const std::string date = timeline::russian_date(session->starts, offset);
    when = with_value(requirements.when, "{date}", date.substr(0, date.find(" г.") + 4));
    when = with_value(when, "{starts}", format_instant(session->starts, offset).substr(11, 5));
    when = "\n" + with_value(when, "{ends}", format_instant(session->ends, offset).substr(11, 5)) + "\n";
  }
  return when + "\n" + requirements_text(requirements);
}

Status window_allows(const LiveWindow& window, TimePoint now, bool organiser, std::string_view action,
                     int utc_offset_minutes) {
  // Nothing stays stuck outside the window, and a moderator may prepare the questions' switch
  // beforehand and hide an abusive question at any time.
  if (action == "close" || action == "reset" || action == "premoderation" || action == "hide") return Status::ok();
  // "08.07.2020 в 09:30" in the event's time.
  auto when = [&](TimePoint t) {
    std::string iso = format_instant(t, utc_offset_minutes);
    return iso.substr(8, 2) + "." + iso.substr(5, 2) + "." + iso.substr(0, 4) + " в " + iso.substr(11, 5);
  };
  if (now >= window.closes)
    return Status::conflict("section_day_over", "Работа секций завершилась " + when(window.closes) + ".");
  if (now >= window.opens) return Status::ok();
  if (organiser && window.rehearsal_from && now >= *window.rehearsal_from) return Status::ok();
  return Status::conflict("section_not_open_yet", "Секции открываются " + when(window.opens) + ".");
}

std::vector<Slot> draft_slots(const std::vector<std::int64_t>& practices, Millis window, const Settings& settings) {
  std::vector<Slot> out;
  if (practices.empty()) return out;
  auto n = static_cast<std::int64_t>(practices.size());
  std::int64_t usable = std::chrono::duration_cast<std::chrono::minutes>(window).count() - (n - 1) * settings.gap_minutes;
  std::int64_t minutes = std::clamp<std::int64_t>(usable / n, settings.min_slot_minutes, settings.max_slot_minutes);
  for (auto id : practices) out.push_back({id, static_cast<int>(minutes * 60)});
  return out;
}

std::vector<TimerEvent> timer_events(TimePoint started_at, TimePoint ends_at, const Settings& settings) {
  std::vector<TimerEvent> out;
  for (int m : settings.warn_before_minutes) {
    TimePoint at = ends_at - std::chrono::minutes(m);
    // A warning that would come before the slot began says nothing the presenter can use.
    if (at > started_at) out.push_back({"warning:" + std::to_string(m), m, at});
  }
  out.push_back({"time_up", 0, ends_at});
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.at < b.at; });
  return out;
}

std::string section_topic(std::string_view event, int section) { return live::topic::section(event, section); }
std::string moderation_topic(std::string_view event, int section) {
  return live::topic::section_moderation(event, section);
}
std::string author_topic(std::string_view event, std::int64_t user) { return live::topic::author(event, user); }
std::string results_topic(std::string_view event) { return live::topic::results(event); }

SectionService::SectionService(store::Db& db, const timeline::Clock& clock,
                               std::map<std::string, EventRef, std::less<>> events, live::Publisher& publisher)
    : db_(db), clock_(clock), events_(std::move(events)), publish_(publisher) {}

Result<const EventRef*> SectionService::find(std::string_view event, std::optional<int> section) const {
  auto it = events_.find(event);
  if (it == events_.end()) return errors::event_not_found();
  if (section && !it->second.agenda->find_section(*section))
    return Status::not_found("section_not_found", "Такой секции нет.");
  return &it->second;
}

std::string SectionService::letter_requirements(std::string_view event, const std::vector<std::string>& outcomes) const {
  auto it = events_.find(event);
  if (it == events_.end()) return {};
  // 'present' is the outcome that puts a practice in a running order (see presenters()).
  if (std::find(outcomes.begin(), outcomes.end(), "present") == outcomes.end()) return {};
  return presenter_letter_block(*it->second.agenda, it->second.settings);
}

Status SectionService::open_now(const accounts::Identity* who, const EventRef& ref, std::string_view event,
                                std::string_view action) const {
  if (!ref.settings.window) return Status::ok();
  bool organiser = who && accounts::is_organiser(*who, event);
  return window_allows(*ref.settings.window, clock_.now(), organiser, action, ref.timeline->utc_offset_minutes());
}

bool SectionService::is_moderator(const accounts::Identity* who, std::string_view event, int section) const {
  return who && (accounts::is_organiser(*who, event) ||
                 accounts::has_role(*who, event, accounts::Role::moderator, section));
}

namespace {

// The practice's card, if it still exists.
Result<std::optional<PracticeCard>> card_of(store::Tx& tx, std::string_view event, std::int64_t practice) {
  auto info = load_practice(tx, event, practice);
  if (!info) return info.status();
  if (!*info) return std::optional<PracticeCard>();
  return std::optional<PracticeCard>(PracticeCard(**info));
}

RaisedHand hand_of(const EventRef& ref, const HandRow& h) {
  return {{h.id, h.user, h.name, std::string(to_string(h.status))}, ref.timeline->format(h.raised_at)};
}

AskedQuestion question_of(const EventRef& ref, const QuestionRow& q, bool for_moderators) {
  AskedQuestion out{{q.id, q.user, q.name, std::string(to_string(q.status))}, q.text, q.votes,
                    ref.timeline->format(q.asked_at), std::nullopt};
  if (for_moderators) out.moderation = AskedQuestion::Moderation{q.hidden, q.flags};
  return out;
}

// Hands raised or speaking, in raise order, the questions shown (for the moderators also the
// pending and the hidden ones, with their flags, flagged ones first) by votes then time, and
// whether questions wait for approval.
Result<Floor> floor_of(store::Tx& tx, const EventRef& ref, std::string_view event, int section, bool for_moderators) {
  auto rows = FloorStore(tx, event, section).read(for_moderators);
  if (!rows) return rows.status();
  Floor out;
  for (const auto& h : rows->hands) {
    if (h.status == HandStatus::speaking) out.speaking = hand_of(ref, h);
    else out.hands.push_back(hand_of(ref, h));
  }
  for (const auto& q : rows->questions) out.questions.push_back(question_of(ref, q, for_moderators));
  out.premoderation = premoderated(rows->premoderation, ref.settings);
  return out;
}

// The presenter speaking now, with the materials, the times and the seconds left.
Result<CurrentSlot> current_of(store::Tx& tx, const EventRef& ref, std::string_view event, int section, const Run& run,
                               TimePoint now) {
  using std::chrono::duration_cast;
  using std::chrono::seconds;
  CurrentSlot out;
  out.practice = run.current->practice;
  auto card = card_of(tx, event, out.practice);
  if (!card) return card.status();
  out.info = std::move(*card);
  auto files = materials_of(tx, event, section, out.practice);
  if (!files) return files.status();
  out.materials = std::move(*files);
  out.seconds = run.current->seconds;
  out.started_at = ref.timeline->format(run.current->started_at);
  if (run.status == RunStatus::paused) {
    out.remaining_seconds = duration_cast<seconds>(run.remaining).count();
  } else {
    out.ends_at = ref.timeline->format(run.current->ends_at);
    out.remaining_seconds = duration_cast<seconds>(run.current->ends_at - now).count();
  }
  return out;
}

// The run's waiting and finished slots, with their practices' cards.
Status fill_slots(store::Tx& tx, const EventRef& ref, std::string_view event, const Run& run, SectionState& out) {
  auto fmt = [&](const std::optional<TimePoint>& t) {
    return t ? std::optional<std::string>(ref.timeline->format(*t)) : std::nullopt;
  };
  for (const auto& s : run.queue) {
    auto card = card_of(tx, event, s.practice);
    if (!card) return card.status();
    out.queue.push_back({s.practice, std::move(*card), s.seconds});
  }
  if (!out.queue.empty() && run.status != RunStatus::closed) out.next = out.queue.front();
  for (const auto& d : run.done) {
    auto card = card_of(tx, event, d.practice);
    if (!card) return card.status();
    out.done.push_back({d.practice, std::move(*card), std::string(to_string(d.outcome)), fmt(d.started_at),
                        ref.timeline->format(d.ended_at)});
  }
  out.started_at = fmt(run.started_at);
  out.closed_at = fmt(run.closed_at);
  return Status::ok();
}

Result<SectionState> public_state(store::Tx& tx, const EventRef& ref, std::string_view event, int section,
                                  const Run& run, TimePoint now) {
  const auto* info = ref.agenda->find_section(section);
  SectionState out;
  out.event = std::string(event);
  out.section = section;
  out.title = info ? info->title : "";
  out.room_url = info ? info->room_url : "";
  out.status = std::string(to_string(run.status));
  out.rehearsal = run.rehearsal;
  out.window = window_times(ref);
  out.version = run.version;
  out.now = ref.timeline->format(now);
  if (run.current) {
    auto current = current_of(tx, ref, event, section, run, now);
    if (!current) return current.status();
    out.current = std::move(*current);
  }
  if (auto st = fill_slots(tx, ref, event, run, out); !st) return st;
  auto floor = floor_of(tx, ref, event, section, false);
  if (!floor) return floor.status();
  out.floor = std::move(*floor);
  return out;
}

// What the moderators' topic carries: pending, approved and hidden questions, the hands, the
// pre-approval switch, and the version
// of the change that made it (the same counter as the public state's).
Result<Moderation> moderation_of(store::Tx& tx, const EventRef& ref, std::string_view event, int section,
                                 std::int64_t version) {
  auto floor = floor_of(tx, ref, event, section, true);
  if (!floor) return floor.status();
  return Moderation{std::string(event), section, version, std::move(*floor)};
}

// What a live change pushes: the public state, and the moderators' when it changed.
struct Pushes {
  SectionState state;
  std::optional<Moderation> moderation;  // empty: not pushed
};

Result<Pushes> save_and_show(store::Tx& tx, const EventRef& ref, std::string_view event, int section, const Run& run,
                             TimePoint now, bool with_moderation) {
  if (auto st = save_run(tx, event, section, run, now); !st) return st;
  Pushes out;
  auto state = public_state(tx, ref, event, section, run, now);
  if (!state) return state.status();
  out.state = std::move(*state);
  if (!with_moderation) return out;
  auto mod = moderation_of(tx, ref, event, section, run.version);
  if (!mod) return mod.status();
  out.moderation = std::move(*mod);
  return out;
}

// The run after `action`: a start takes the published order, which only the store knows.
Result<Transition> transit(store::Tx& tx, const EventRef& ref, std::string_view event, int section, RunAction action,
                           TimePoint now) {
  auto run = load_run(tx, event, section);
  if (!run) return run.status();
  if (auto* start = std::get_if<run_action::Start>(&action)) {
    auto schedule = load_schedule(tx, event, section);
    if (!schedule) return schedule.status();
    if (*schedule) start->published = (*schedule)->published;
  }
  return apply(*run, action, now, ref.settings);
}

TimerNotice timer_notice(const EventRef& ref, const Run& run, const DueEvent& due) {
  TimerNotice out{run.current->practice, ref.timeline->format(due.event.at), ref.timeline->format(run.current->ends_at),
                  due.version, std::nullopt};
  if (due.event.key != "time_up") out.minutes_left = due.event.minutes_left;
  return out;
}

// The reply to a floor action: the new state, with the hand or question it made (and whether the
// question waits for a moderator: "pending", or is shown: "approved").
ActReply floor_reply(const FloorAction& action, std::int64_t made, QuestionStatus asked, SectionState state) {
  ActReply reply{std::move(state), std::nullopt, std::nullopt};
  if (std::holds_alternative<floor_action::Hand>(action) || std::holds_alternative<floor_action::Give>(action))
    reply.hand = made;
  else if (std::holds_alternative<floor_action::Ask>(action))
    reply.question = ActReply::Asked{made, std::string(to_string(asked))};
  return reply;
}

}  // namespace

// ---- Schedules ----------------------------------------------------------------------------------

Result<Overview> SectionService::overview(std::string_view event) {
  auto ref = find(event, std::nullopt);
  if (!ref) return ref.status();
  const EventRef& r = **ref;
  Overview out;
  Status s = db_.read([&](store::Tx& tx) -> Status {
    for (const auto& section : r.agenda->sections) {
      // A value still marked as a placeholder in the agenda is never shown.
      SectionSummary item{section.number,
                          section.title,
                          section.room_url,
                          section.contact.is_placeholder("name") ? "" : section.contact.name,
                          section.contact.is_placeholder("phone") ? "" : section.contact.phone,
                          std::nullopt};
      auto row = load_schedule(tx, event, section.number);
      if (!row) return row.status();
      if (*row && (*row)->published)
        item.schedule = PublishedOrder{r.timeline->format(*(*row)->published_at),
                                       timed_slots(tx, r, event, *(*row)->published)};
      out.sections.push_back(std::move(item));
    }
    return Status::ok();
  });
  if (!s) return s;
  out.sections_session = session_info(r, r.settings.sections_session);
  out.welcome_session = session_info(r, r.settings.welcome_session);
  out.results_session = session_info(r, r.settings.results_session);
  out.warn_before_minutes = r.settings.warn_before_minutes;
  out.min_slot_minutes = r.settings.min_slot_minutes;
  out.max_slot_minutes = r.settings.max_slot_minutes;
  out.gap_minutes = r.settings.gap_minutes;
  return out;
}

namespace {

// What the organiser sees of a section's running order beside the published one.
Result<Draft> draft_of(store::Tx& tx, const EventRef& ref, std::string_view event, int section,
                       const std::optional<ScheduleRow>& row) {
  std::vector<Slot> draft = row ? row->draft : std::vector<Slot>{};
  Draft out;
  out.slots = timed_slots(tx, ref, event, draft);
  out.fits = fits(ref, draft);
  auto admitted = presenters(tx, event, section);
  if (!admitted) return admitted.status();
  for (auto id : *admitted)
    if (std::none_of(draft.begin(), draft.end(), [&](const Slot& slot) { return slot.practice == id; })) {
      auto info = load_practice(tx, event, id);
      if (!info) return info.status();
      if (*info) out.unscheduled.push_back(PracticeCard(**info));
    }
  out.differs = !row || !row->published || *row->published != draft;
  return out;
}

}  // namespace

Result<Schedule> SectionService::schedule(const accounts::Identity* who, std::string_view event, int section) {
  auto ref = find(event, section);
  if (!ref) return ref.status();
  bool organiser = who && accounts::is_organiser(*who, event);
  Schedule out{std::string(event), section, std::nullopt, std::nullopt, std::nullopt};
  Status s = db_.read([&](store::Tx& tx) -> Status {
    auto row = load_schedule(tx, event, section);
    if (!row) return row.status();
    if (*row && (*row)->published) {
      out.published = timed_slots(tx, **ref, event, *(*row)->published);
      out.published_at = (*ref)->timeline->format(*(*row)->published_at);
    }
    if (!organiser) return Status::ok();
    auto draft = draft_of(tx, **ref, event, section, *row);
    if (!draft) return draft.status();
    out.draft = std::move(*draft);
    return Status::ok();
  });
  if (!s) return s;
  return out;
}

Result<Schedule> SectionService::make_draft(const accounts::Identity& who, std::string_view event, int section) {
  auto ref = find(event, section);
  if (!ref) return ref.status();
  if (!accounts::is_organiser(who, event)) return not_organiser();
  const auto* window = window_of(**ref);
  if (!window)
    return Status::conflict("no_section_window", "В расписании мероприятия нет времени работы секций.");
  Status s = db_.transaction([&](store::Tx& tx) -> Status {
    auto admitted = presenters(tx, event, section);
    if (!admitted) return admitted.status();
    auto draft = draft_slots(*admitted, window->ends - window->starts, (*ref)->settings);
    return save_draft(tx, event, section, draft, clock_.now());
  });
  if (!s) return s;
  return schedule(&who, event, section);
}

Result<Schedule> SectionService::edit_draft(const accounts::Identity& who, std::string_view event, int section,
                                            const json& slots) {
  auto ref = find(event, section);
  if (!ref) return ref.status();
  if (!accounts::is_organiser(who, event)) return not_organiser();
  if (!window_of(**ref))
    return Status::conflict("no_section_window", "В расписании мероприятия нет времени работы секций.");
  if (!slots.is_array())
    return Status::unprocessable("invalid_slots", "Порядок выступлений должен быть списком выступлений.");
  const Settings& settings = (*ref)->settings;
  const Noun& words = (*ref)->agenda->words;
  std::vector<Slot> draft;
  for (const auto& item : slots) {
    auto practice = item.is_object() ? int_arg(item, "practice") : std::nullopt;
    if (!practice) return Status::unprocessable("invalid_slots", "Для каждого выступления укажите " + words.accusative + ".");
    std::optional<std::int64_t> seconds = int_arg(item, "seconds");
    if (auto minutes = int_arg(item, "minutes")) seconds = *minutes * 60;
    if (!seconds) return Status::unprocessable("invalid_slots", "Для каждого выступления укажите длительность в минутах.");
    if (*seconds < settings.min_slot_minutes * 60 || *seconds > settings.max_slot_minutes * 60)
      return Status::unprocessable("invalid_slot_length",
                                   "Длительность выступления — от " + std::to_string(settings.min_slot_minutes) +
                                       " до " + with_count(settings.max_slot_minutes, {"минуты", "минут", "минут"}) + ".");
    for (const auto& s : draft)
      if (s.practice == *practice)
        return Status::unprocessable("invalid_slots", capitalised(words.one) + " № " + std::to_string(*practice) +
                                                          " стоит в порядке выступлений дважды.");
    draft.push_back({*practice, static_cast<int>(*seconds)});
  }
  if (!fits(**ref, draft))
    return Status::unprocessable("schedule_overflow", "Выступления с перерывами не помещаются во время работы секции.");
  Status s = db_.transaction([&](store::Tx& tx) -> Status {
    auto admitted = presenters(tx, event, section);
    if (!admitted) return admitted.status();
    for (const auto& slot : draft)
      if (std::find(admitted->begin(), admitted->end(), slot.practice) == admitted->end())
        return Status::unprocessable("not_admitted", capitalised(words.one) + " № " + std::to_string(slot.practice) + " не " +
                                                         std::string(words.agree("допущена", "допущен", "допущено")) +
                                                         " к выступлению в этой секции.");
    return save_draft(tx, event, section, draft, clock_.now());
  });
  if (!s) return s;
  return schedule(&who, event, section);
}

namespace {

// "10:20" of an instant the wire writes as "2020-07-08T10:20:00+03:00"; empty without one.
std::string clock_time(const std::optional<std::string>& iso) {
  return iso && iso->size() >= 16 ? iso->substr(11, 5) : std::string();
}

// The authors' notices of a newly published order, stored in the caller's transaction and kept
// to be pushed once it commits.
struct NoticeWriter {
  store::Tx& tx;
  const EventRef& ref;
  std::string_view event;
  int section;
  TimePoint now;
  std::vector<std::pair<std::int64_t, Notice>> made;  // by user

  Status notify(std::int64_t practice, const json& slot, const std::string& text) {
    auto p = load_practice(tx, event, practice);
    if (!p) return p.status();
    if (!*p) return Status::ok();
    for (auto user : (*p)->author_ids) {
      auto ins = tx.prepare(
          "INSERT INTO section_notices (event_id, user_id, section, practice_id, text, slot, created_at) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
      ins.bind_text(1, event).bind_int(2, user).bind_int(3, section).bind_int(4, practice).bind_text(5, text);
      ins.bind_text(6, slot.dump()).bind_int(7, to_ms(now));
      if (auto st = ins.run(); !st) return st;
      made.push_back({user, Notice{tx.last_insert_id(), section, practice, text, slot, ref.timeline->format(now)}});
    }
    return Status::ok();
  }

  // A notice for each slot new or moved in `after`, and for each practice of `before` left out.
  Status changes(const std::vector<TimedSlot>& before, const std::vector<TimedSlot>& after) {
    auto find_in = [](const std::vector<TimedSlot>& slots, std::int64_t practice) -> const TimedSlot* {
      for (const auto& s : slots)
        if (s.practice == practice) return &s;
      return nullptr;
    };
    const auto* info = ref.agenda->find_section(section);
    std::string where = "Секция " + std::to_string(section) + (info ? " «" + info->title + "»" : "");
    for (const auto& slot : after) {
      const TimedSlot* old = find_in(before, slot.practice);
      if (old && old->starts_at == slot.starts_at && old->ends_at == slot.ends_at && old->position == slot.position)
        continue;
      std::string when = clock_time(slot.starts_at) + "–" + clock_time(slot.ends_at);
      std::string text = (old ? "Время вашего выступления изменилось. " : "Опубликован порядок выступлений. ") + where +
                         ": вы выступаете " + std::to_string(slot.position) + "-м, " + when + ".";
      if (auto st = notify(slot.practice, to_json(slot), text); !st) return st;
    }
    for (const auto& old : before)
      if (!find_in(after, old.practice))
        if (auto st = notify(old.practice, json{{"removed", true}},
                             "Ваше выступление исключено из порядка выступлений. " + where + ".");
            !st)
          return st;
    return Status::ok();
  }
};

}  // namespace

Result<Schedule> SectionService::publish_schedule(const accounts::Identity& who, std::string_view event, int section) {
  auto ref = find(event, section);
  if (!ref) return ref.status();
  if (!accounts::is_organiser(who, event)) return not_organiser();
  std::vector<std::pair<std::int64_t, Notice>> notices;
  TimePoint now = clock_.now();
  Status s = db_.transaction([&](store::Tx& tx) -> Status {
    auto row = load_schedule(tx, event, section);
    if (!row) return row.status();
    if (!*row || (*row)->draft.empty())
      return Status::conflict("empty_schedule", "Порядок выступлений пуст: сначала составьте черновик.");
    auto before = (*row)->published ? timed_slots(tx, **ref, event, *(*row)->published) : std::vector<TimedSlot>{};
    auto after = timed_slots(tx, **ref, event, (*row)->draft);
    if (auto st = tx.prepare(
                      "UPDATE section_schedules SET published = draft, published_at = ?3, updated_at = ?3 "
                      "WHERE event_id = ?1 AND section = ?2")
                      .bind_text(1, event)
                      .bind_int(2, section)
                      .bind_int(3, to_ms(now))
                      .run();
        !st)
      return st;
    NoticeWriter writer{tx, **ref, event, section, now, {}};
    if (auto st = writer.changes(before, after); !st) return st;
    notices = std::move(writer.made);
    return Status::ok();
  });
  if (!s) return s;
  for (const auto& [user, notice] : notices) publish_.publish(author_topic(event, user), "notice", to_json(notice));
  if (schedule_listener_) schedule_listener_(std::string(event));
  return schedule(&who, event, section);
}

Result<std::vector<SpeakerSlot>> SectionService::speaker_slots(std::string_view event) {
  auto ref = find(event, std::nullopt);
  if (!ref) return ref.status();
  std::vector<SpeakerSlot> out;
  const auto* window = window_of(**ref);
  if (!window) return out;
  Status s = db_.read([&](store::Tx& tx) -> Status {
    auto presenting = intake::admitted(tx, event, intake::kPresentingOutcomes);
    if (!presenting) return presenting.status();
    std::set<std::int64_t> admitted;
    for (const auto& d : *presenting) admitted.insert(d.practice.id);
    for (const auto& section : (*ref)->agenda->sections) {
      auto row = load_schedule(tx, event, section.number);
      if (!row) return row.status();
      if (!*row || !(*row)->published) continue;
      TimePoint at = window->starts;
      for (const auto& slot : *(*row)->published) {
        const TimePoint starts = at;
        at += std::chrono::seconds(slot.seconds) + std::chrono::minutes((*ref)->settings.gap_minutes);
        if (!admitted.count(slot.practice)) continue;
        auto found = intake::practice_by_id(tx, event, slot.practice);
        if (!found) return found.status();
        if (!*found) continue;
        SpeakerSlot item;
        item.section = section.number;
        item.section_title = section.title;
        item.room_url = section.room_url;
        item.practice = slot.practice;
        item.title = (*found)->answers.value("name", "");
        item.starts = starts;
        item.ends = starts + std::chrono::seconds(slot.seconds);
        auto authors = intake::authors_of(tx, slot.practice);
        if (!authors) return authors.status();
        for (const auto& a : *authors) item.speakers.push_back({a.user_id, a.full_name, a.email});
        out.push_back(std::move(item));
      }
    }
    return Status::ok();
  });
  if (!s) return s;
  return out;
}

Result<MySlots> SectionService::my_slots(const accounts::Identity& who, std::string_view event) {
  auto ref = find(event, std::nullopt);
  if (!ref) return ref.status();
  MySlots out;
  Status s = db_.read([&](store::Tx& tx) -> Status {
    auto mine = intake::practices_of_person(tx, event, who.user.id, who.user.email);
    if (!mine) return mine.status();
    auto presenting = intake::admitted(tx, event, intake::kPresentingOutcomes);
    if (!presenting) return presenting.status();
    std::vector<std::pair<std::int64_t, int>> practices;
    for (const auto& d : *presenting)
      if (mine->count(d.practice.id)) practices.emplace_back(d.practice.id, d.practice.section);
    std::sort(practices.begin(), practices.end());
    for (auto [practice, section] : practices) {
      auto row = load_schedule(tx, event, section);
      if (!row) return row.status();
      const auto* info = (*ref)->agenda->find_section(section);
      MySlot item{practice, section, info ? info->title : "", info ? info->room_url : "", std::nullopt};
      if (*row && (*row)->published)
        for (auto& slot : timed_slots(tx, **ref, event, *(*row)->published))
          if (slot.practice == practice) item.slot = std::move(slot);
      out.slots.push_back(std::move(item));
    }
    auto q = tx.prepare(
        "SELECT id, section, practice_id, text, slot, created_at FROM section_notices WHERE user_id = ?1 AND "
        "event_id = ?2 ORDER BY id DESC");
    q.bind_int(1, who.user.id).bind_text(2, event);
    if (auto s = store::each_row(q, [&]() -> Status {
      out.notices.push_back({q.int64(0), q.int64(1), q.int64(2), q.text(3), json::parse(q.text(4), nullptr, false),
                             (*ref)->timeline->format(from_ms(q.int64(5)))});
      return Status::ok();
    }); !s) return s;
    return Status::ok();
  });
  if (!s) return s;
  return out;
}

// ---- Live ---------------------------------------------------------------------------------------

Result<SectionState> SectionService::state(std::string_view event, int section) {
  auto ref = find(event, section);
  if (!ref) return ref.status();
  SectionState out;
  Status s = db_.read([&](store::Tx& tx) -> Status {
    auto run = load_run(tx, event, section);
    if (!run) return run.status();
    auto state = public_state(tx, **ref, event, section, *run, clock_.now());
    if (!state) return state.status();
    out = std::move(*state);
    return Status::ok();
  });
  if (!s) return s;
  return out;
}

Result<Moderation> SectionService::moderation(const accounts::Identity* who, std::string_view event, int section) {
  auto ref = find(event, section);
  if (!ref) return ref.status();
  if (!is_moderator(who, event, section)) return not_moderator();
  Moderation out;
  Status s = db_.read([&](store::Tx& tx) -> Status {
    auto run = load_run(tx, event, section);
    if (!run) return run.status();
    auto mod = moderation_of(tx, **ref, event, section, run->version);
    if (!mod) return mod.status();
    out = std::move(*mod);
    return Status::ok();
  });
  if (!s) return s;
  return out;
}

Result<ActReply> SectionService::act(const accounts::Identity* who, std::string_view event, int section,
                                     std::string_view name, const json& args) {
  auto ref = find(event, section);
  if (!ref) return ref.status();
  auto action = parse_action(name, args);
  if (!action) return action.status();
  Actor actor{who ? who->user.id : 0, is_moderator(who, event, section), who && accounts::is_organiser(*who, event)};
  if (auto st = admit(actor, *action); !st) return st;
  if (auto open = open_now(who, **ref, event, name); !open) return open;
  if (auto* run = std::get_if<RunAction>(&*action)) return change_run(**ref, event, section, *run);
  return change_floor(*who, **ref, event, section, std::get<FloorAction>(*action));
}

Result<ActReply> SectionService::change_run(const EventRef& ref, std::string_view event, int section,
                                            const RunAction& action) {
  std::lock_guard lock(live_mutex_);
  TimePoint now = clock_.now();
  Pushes pushes;
  Run run;
  Status s = db_.transaction([&](store::Tx& tx) -> Status {
    auto t = transit(tx, ref, event, section, action, now);
    if (!t) return t.status();
    run = std::move(t->run);
    // The rehearsal's hands and questions go with it; the audience's, once the window is open, stay.
    if (t->drop_rehearsal_floor)
      if (auto st = FloorStore(tx, event, section).drop_before(ref.settings.window ? ref.settings.window->opens : TimePoint{});
          !st)
        return st;
    auto out = save_and_show(tx, ref, event, section, run, now, t->drop_rehearsal_floor);
    if (!out) return out.status();
    pushes = std::move(*out);
    return Status::ok();
  });
  if (!s) return s;
  publish_.publish(section_topic(event, section), "state", to_json(pushes.state));
  if (pushes.moderation)
    publish_.publish(moderation_topic(event, section), "moderation", to_json(*pushes.moderation));
  arm_for(ref, std::string(event), section, run);
  return ActReply{std::move(pushes.state), std::nullopt, std::nullopt};
}

Result<ActReply> SectionService::change_floor(const accounts::Identity& who, const EventRef& ref,
                                              std::string_view event, int section, const FloorAction& action) {
  std::lock_guard lock(live_mutex_);
  TimePoint now = clock_.now();
  Pushes pushes;
  std::int64_t made = 0;
  QuestionStatus asked = QuestionStatus::pending;
  Status s = db_.transaction([&](store::Tx& tx) -> Status {
    FloorStore floor(tx, event, section);
    auto facts = floor.facts(action, who.user.id);
    if (!facts) return facts.status();
    auto changes = apply(*facts, action, who.user.id, ref.settings);
    if (!changes) return changes.status();
    for (const auto& change : *changes) {
      auto id = floor.write(change, now);
      if (!id) return id.status();
      if (*id) made = *id;
      if (const auto* add = std::get_if<floor_change::AddQuestion>(&change)) asked = add->status;
    }
    // The floor lives in its own tables, but its changes are pushed like the run's: each takes the
    // section's next version (a section not started yet gets its waiting run stored for it).
    auto run = load_run(tx, event, section);
    if (!run) return run.status();
    ++run->version;
    auto out = save_and_show(tx, ref, event, section, *run, now, true);
    if (!out) return out.status();
    pushes = std::move(*out);
    return Status::ok();
  });
  if (!s) return s;
  publish_.publish(section_topic(event, section), "state", to_json(pushes.state));
  publish_.publish(moderation_topic(event, section), "moderation", to_json(*pushes.moderation));
  return floor_reply(action, made, asked, std::move(pushes.state));
}

void SectionService::arm_for(const EventRef& ref, const std::string& event, int section, const Run& run) {
  if (arm_) arm_(event, section, next_timer(run, ref.settings));
}

void SectionService::on_timer(const std::string& event, int section) {
  auto ref = find(event, section);
  if (!ref) return;
  std::lock_guard lock(live_mutex_);
  TimePoint now = clock_.now();
  Fired fired;
  Status s = db_.transaction([&](store::Tx& tx) -> Status {
    auto run = load_run(tx, event, section);
    if (!run) return run.status();
    fired = fire_due(*run, now, (*ref)->settings);
    // Each pushed event took a version of its own: a client ordering the topic's pushes by version
    // must not take a warning for something older than the state it has.
    return fired.due.empty() ? Status::ok() : save_run(tx, event, section, fired.run, now);
  });
  if (!s) {
    // Storage trouble: try again shortly rather than lose the warning.
    if (arm_) arm_(event, section, now + std::chrono::seconds(1));
    return;
  }
  for (const auto& due : fired.due)
    publish_.publish(section_topic(event, section), due.event.key == "time_up" ? "time_up" : "warning",
             to_json(timer_notice(**ref, fired.run, due)));
  arm_for(**ref, event, section, fired.run);
}

Status SectionService::start() {
  TimePoint now = clock_.now();
  Status s = db_.transaction([&](store::Tx& tx) -> Status {
    return tx.prepare("UPDATE section_attendance SET left_at = CASE WHEN joined_at > ?1 THEN joined_at ELSE ?1 END "
                      "WHERE left_at IS NULL")
        .bind_int(1, to_ms(now))
        .run();
  });
  if (!s) return s;
  return rearm();
}

Status SectionService::rearm() {
  std::vector<std::pair<std::string, int>> running;
  Status s = db_.read([&](store::Tx& tx) -> Status {
    auto stored = stored_runs(tx);
    if (!stored) return stored.status();
    running = std::move(*stored);
    return Status::ok();
  });
  if (!s) return s;
  for (const auto& [event, section] : running) on_timer(event, section);
  return Status::ok();
}

Result<SectionService::Material> SectionService::material(std::string_view event, int section,
                                                          std::string_view upload) {
  auto ref = find(event, section);
  if (!ref) return ref.status();
  std::optional<Material> found;
  Status s = db_.read([&](store::Tx& tx) -> Status {
    auto file = intake::reader_file(tx, event, upload);
    if (!file) return file.status();
    if (!*file) return Status::ok();
    std::int64_t practice = *(*file)->practice_id;
    Material m{(*file)->id, (*file)->file_name};
    auto schedule = load_schedule(tx, event, section);
    if (!schedule) return schedule.status();
    if (!*schedule || !(*schedule)->published) return Status::ok();
    for (const auto& slot : *(*schedule)->published)
      if (slot.practice == practice) found = m;
    return Status::ok();
  });
  if (!s) return s;
  if (!found) return Status::not_found("material_not_found", "Материал не найден.");
  return *found;
}

// ---- Attendance ---------------------------------------------------------------------------------

void SectionService::joined(const accounts::Identity& who, std::string_view event, int section,
                            std::string_view connection) {
  std::int64_t now = to_ms(clock_.now());
  // Attendance is a record for certificates, not a gate: a storage failure must not refuse viewing.
  (void)db_.transaction([&](store::Tx& tx) -> Status {
    auto open = tx.prepare(
        "SELECT 1 FROM section_attendance WHERE event_id = ?1 AND section = ?2 AND connection = ?3 AND left_at IS NULL");
    open.bind_text(1, event).bind_int(2, section).bind_text(3, connection);
    auto row = open.step();
    if (!row) return row.status();
    if (*row) return Status::ok();
    return tx
        .prepare(
            "INSERT INTO section_attendance (event_id, section, user_id, connection, joined_at) VALUES (?1, ?2, ?3, ?4, ?5)")
        .bind_text(1, event)
        .bind_int(2, section)
        .bind_int(3, who.user.id)
        .bind_text(4, connection)
        .bind_int(5, now)
        .run();
  });
}

void SectionService::left(std::string_view event, int section, std::string_view connection) {
  std::int64_t now = to_ms(clock_.now());
  (void)db_.transaction([&](store::Tx& tx) -> Status {
    return tx
        .prepare(
            "UPDATE section_attendance SET left_at = CASE WHEN joined_at > ?4 THEN joined_at ELSE ?4 END WHERE "
            "event_id = ?1 AND section = ?2 AND "
            "connection = ?3 AND left_at IS NULL")
        .bind_text(1, event)
        .bind_int(2, section)
        .bind_text(3, connection)
        .bind_int(4, now)
        .run();
  });
}

Result<std::vector<AttendanceRow>> SectionService::attendance(const accounts::Identity& who, std::string_view event,
                                                              std::optional<int> section) {
  auto ref = find(event, section);
  if (!ref) return ref.status();
  if (!accounts::is_organiser(who, event)) return not_organiser();
  std::int64_t now = to_ms(clock_.now());
  // Only time inside the sections' window counts: a rehearsal or a page left open overnight is
  // not attendance.
  std::int64_t from = 0, until = now;
  if (const auto& w = (*ref)->settings.window) {
    from = to_ms(w->opens);
    until = std::min(now, to_ms(w->closes));
  }
  std::vector<AttendanceRow> out;
  Status s = db_.read([&](store::Tx& tx) -> Status {
    auto q = tx.prepare(
        // CASE, not the two-argument MAX and MIN SQLite has and PostgreSQL lacks (its GREATEST
        // and LEAST, SQLite's lacks).
        "SELECT a.section, a.user_id, CASE WHEN a.joined_at > ?2 THEN a.joined_at ELSE ?2 END, "
        "CASE WHEN a.left_at < ?3 THEN a.left_at ELSE ?3 END "
        "FROM section_attendance a WHERE a.event_id = ?1 AND (?4 = 0 OR a.section = ?4) "
        "AND COALESCE(a.left_at, ?3) > ?2 AND a.joined_at < ?3 "
        "ORDER BY a.section, a.user_id, 3");
    q.bind_text(1, event).bind_int(2, from).bind_int(3, until).bind_int(4, section.value_or(0));
    // Intervals of one person's several connections overlap: merge them before summing.
    std::int64_t run_start = 0, run_end = -1, total = 0;
    auto flush = [&] {
      if (out.empty()) return;
      if (run_end > run_start) total += run_end - run_start;
      out.back().seconds = total / 1000;
      out.back().minutes = total / 60000;
    };
    if (auto s = store::each_row(q, [&]() -> Status {
      int n = static_cast<int>(q.int64(0));
      std::int64_t user = q.int64(1), joined = q.int64(2), left = q.int64(3);
      if (out.empty() || out.back().section != n || out.back().user_id != user) {
        flush();
        out.push_back({n, user, {}, {}, (*ref)->timeline->format(from_ms(joined)), 0, 0});
        total = 0;
        run_start = joined;
        run_end = left;
        return Status::ok();
      }
      if (joined > run_end) {
        total += run_end - run_start;
        run_start = joined;
        run_end = left;
      } else {
        run_end = std::max(run_end, left);
      }
      return Status::ok();
    }); !s) return s;
    flush();
    return accounts::fill_from_users(tx, out, [](const AttendanceRow& r) { return r.user_id; },
                                     [](AttendanceRow& r, const accounts::User& u) {
                                       r.full_name = u.full_name;
                                       r.email = u.email;
                                     });
  });
  if (!s) return s;
  std::stable_sort(out.begin(), out.end(), [](const AttendanceRow& a, const AttendanceRow& b) {
    return std::tie(a.section, a.full_name, a.user_id) < std::tie(b.section, b.full_name, b.user_id);
  });
  return out;
}

// ---- Results ------------------------------------------------------------------------------------

Result<Results> SectionService::results(std::string_view event) {
  auto ref = find(event, std::nullopt);
  if (!ref) return ref.status();
  Results out;
  Status s = db_.read([&](store::Tx& tx) -> Status {
    auto q = tx.prepare("SELECT body, published_at FROM section_results WHERE event_id = ?1");
    q.bind_text(1, event);
    auto row = q.step();
    if (!row) return row.status();
    if (!*row) return Status::ok();
    // The body as publish_results stored it: {"text", "sections": [{"section", "best": [ids], "note"}]}.
    json body = json::parse(q.text(0), nullptr, false);
    PublishedResults published;
    for (const auto& item : body.value("sections", json::array())) {
      int n = item.value("section", 0);
      const auto* info = (*ref)->agenda->find_section(n);
      SectionResult result{n, info ? info->title : "", {}, item.value("note", "")};
      for (const auto& id : item.value("best", json::array())) {
        auto p = load_practice(tx, event, id.get<std::int64_t>());
        if (!p) return p.status();
        if (*p) result.best.push_back(PracticeCard(**p));
      }
      published.sections.push_back(std::move(result));
    }
    published.text = body.value("text", "");
    published.published_at = (*ref)->timeline->format(from_ms(q.int64(1)));
    published.session = session_info(**ref, (*ref)->settings.results_session);
    out.results = std::move(published);
    return Status::ok();
  });
  if (!s) return s;
  return out;
}

Result<Results> SectionService::publish_results(const accounts::Identity& who, std::string_view event,
                                                const json& body) {
  auto ref = find(event, std::nullopt);
  if (!ref) return ref.status();
  if (!accounts::is_organiser(who, event)) return not_organiser();
  TimePoint now = clock_.now();
  if (const auto* session = (*ref)->agenda->find_session((*ref)->settings.results_session);
      session && now < session->starts)
    return Status::conflict("not_open_yet", "Итоги публикуются на сессии подведения итогов, с " +
                                                (*ref)->timeline->format(session->starts).substr(11, 5) + ".");
  auto text_it = body.find("text");
  std::string text = text_it != body.end() && text_it->is_string()
                         ? clean_text(text_it->get_ref<const std::string&>(), TextLines::many)
                         : "";
  if (text.size() > 20000) return Status::unprocessable("invalid_field", "Текст итогов слишком длинный.");
  auto list = body.find("sections");
  if (list == body.end() || !list->is_array())
    return Status::unprocessable("invalid_field", "Укажите итоги по каждой секции.");
  json stored = {{"text", text}, {"sections", json::array()}};
  Status s = db_.transaction([&](store::Tx& tx) -> Status {
    std::set<int> seen;
    for (const auto& item : *list) {
      auto n = item.is_object() ? int_arg(item, "section") : std::nullopt;
      if (!n || !(*ref)->agenda->find_section(static_cast<int>(*n)) || !seen.insert(static_cast<int>(*n)).second)
        return Status::unprocessable("invalid_section", "Неверный номер секции в итогах.");
      auto admitted = presenters(tx, event, static_cast<int>(*n));
      if (!admitted) return admitted.status();
      json best = json::array();
      for (const auto& id : item.value("best", json::array())) {
        if (!id.is_number_integer() ||
            std::find(admitted->begin(), admitted->end(), id.get<std::int64_t>()) == admitted->end())
          return Status::unprocessable("not_admitted", std::string((*ref)->agenda->words.agree("Лучшей", "Лучшим", "Лучшим")) +
                                                           " можно назвать только " + (*ref)->agenda->words.accusative + ", " +
                                                           std::string((*ref)->agenda->words.agree("представленную", "представленный", "представленное")) +
                                                           " в секции.");
        best.push_back(id);
      }
      auto note = item.find("note");
      stored["sections"].push_back({{"section", *n},
                                    {"best", best},
                                    {"note", note != item.end() && note->is_string()
                                                 ? clean_text(note->get_ref<const std::string&>(), TextLines::many)
                                                 : ""}});
    }
    return tx
        .prepare(
            "INSERT INTO section_results (event_id, body, published_by, published_at) VALUES (?1, ?2, ?3, ?4) "
            "ON CONFLICT (event_id) DO UPDATE SET body = excluded.body, published_by = excluded.published_by, "
            "published_at = excluded.published_at")
        .bind_text(1, event)
        .bind_text(2, stored.dump())
        .bind_int(3, who.user.id)
        .bind_int(4, to_ms(now))
        .run();
  });
  if (!s) return s;
  auto out = results(event);
  if (!out) return out.status();
  publish_.publish(results_topic(event), "results_published", to_json(*out));
  return out;
}

}  // namespace praktika::sections
