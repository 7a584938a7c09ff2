#include "review/review.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "common/errors.h"
#include "mail/outbox.h"
#include "mail/template.h"
#include "review/assignment.h"
#include "store/db.h"
#include "timeline/agenda_reader.h"

namespace praktika::review {
namespace {

using nlohmann::json;

Status review_not_open() {
  return Status::conflict("review_not_open", "Работа экспертной группы ещё не началась.");
}
Status review_closed() {
  return Status::conflict("review_closed",
                          "Работа экспертной группы завершена: решения экспертов больше не принимаются и не меняются.");
}
Status reason_required(const ReviewPart& part, std::string_view decision) {
  return Status::unprocessable("reason_required",
                               "Укажите причину решения «" + part.outcome_titles.at(std::string(decision)) + "».");
}
// Names the event's decisions, from its agenda.
Status invalid_decision(const ReviewPart& part) {
  std::string choices;
  for (const auto& [id, title] : part.outcome_titles) choices += (choices.empty() ? "" : "; ") + id + " — " + title;
  return Status::unprocessable("invalid_decision", "Решение — одно из: " + choices + ".");
}
Status conflict_of_interest() {
  return Status::conflict("conflict_of_interest",
                          "Эксперт работает в учреждении автора практики и не может её оценивать.");
}

// Iterates the rows of a statement.
template <typename F>
Status each_row(store::Stmt& q, F&& f) {
  for (;;) {
    auto more = q.step();
    if (!more) return more.status();
    if (!*more) return Status::ok();
    f(q);
  }
}

json user_json(store::Tx& tx, std::int64_t id) {
  auto q = tx.prepare("SELECT id, email, full_name FROM users WHERE id = ?1");
  q.bind_int(1, id);
  auto more = q.step();
  if (!more || !*more) return {{"id", id}};
  return {{"id", q.int64(0)}, {"email", q.text(1)}, {"full_name", q.text(2)}};
}

// What an expert is shown of a practice: its materials, not the author's payment scan.
void without_payment(json& practice) {
  practice.erase("payment");
  auto files = practice.find("files");
  if (files == practice.end() || !files->is_array()) return;
  json kept = json::array();
  for (auto& f : *files)
    if (f.value("purpose", "") != "payment") kept.push_back(std::move(f));
  *files = std::move(kept);
}

std::string json_text(const json& object, std::string_view key) {
  auto it = object.find(std::string(key));
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// What the review needs of one practice.
struct PracticeInfo {
  std::int64_t id = 0;
  int section = 0;
  std::string title;
  std::int64_t owner_id = 0;
  std::string owner_email;
  std::string institution;           // as written: the organisation of field 2, else the author's registration
  std::string institution_key;       // normalised
  std::set<std::string> institutions;  // normalised: organisation, co-implementers, authors' registrations
  std::string organisation_email;
};

std::string registered_institution(store::Tx& tx, std::string_view event_id, std::int64_t user_id) {
  auto q = tx.prepare("SELECT json_extract(answers, '$.institution') FROM registrations WHERE event_id = ?1 AND user_id = ?2");
  q.bind_text(1, event_id).bind_int(2, user_id);
  auto more = q.step();
  if (!more || !*more || q.is_null(0)) return {};
  return q.text(0);
}

// Submitted practices of the event; `paid_only`: only those whose payment is confirmed (the
// ones experts review). `only`: one practice.
Result<std::vector<PracticeInfo>> load_practices(store::Tx& tx, const intake::EventView& event, bool paid_only,
                                                 std::optional<std::int64_t> only = {}) {
  const std::string& event_id = event.agenda->id;
  // An event without a fee (the contest) reviews every submitted practice.
  paid_only = paid_only && intake::charges_fees(*event.agenda);
  std::string sql =
      "SELECT p.id, p.section, p.owner_id, u.email, p.answers FROM practices p JOIN users u ON u.id = p.owner_id "
      "WHERE p.event_id = ?1 AND p.state = 'submitted' AND (?2 IS NULL OR p.id = ?2)";
  if (paid_only)
    sql += " AND EXISTS (SELECT 1 FROM payments pay WHERE pay.practice_id = p.id AND pay.state = 'confirmed')";
  sql += " ORDER BY p.id";
  auto q = tx.prepare(sql);
  q.bind_text(1, event_id).bind_int(2, only);
  std::vector<PracticeInfo> out;
  auto s = each_row(q, [&](store::Stmt& r) {
    PracticeInfo p;
    p.id = r.int64(0);
    p.section = static_cast<int>(r.int64(1));
    p.owner_id = r.int64(2);
    p.owner_email = r.text(3);
    auto answers = json::parse(r.text(4), nullptr, false);
    if (!answers.is_object()) answers = json::object();
    p.title = json_text(answers, "name");
    if (auto org = answers.find("organisation"); org != answers.end() && org->is_object()) {
      p.institution = json_text(*org, "name");
      p.organisation_email = json_text(*org, "email");
    }
    p.institutions.insert(normalise_institution(p.institution));
    if (auto co = answers.find("co_implementers"); co != answers.end() && co->is_array())
      for (const auto& c : *co)
        if (c.is_object()) p.institutions.insert(normalise_institution(json_text(c, "name")));
    out.push_back(std::move(p));
  });
  if (!s) return s;
  for (auto& p : out) {
    std::string own = registered_institution(tx, event_id, p.owner_id);
    if (p.institution.empty()) p.institution = own;
    p.institutions.insert(normalise_institution(own));
    auto c = tx.prepare(
        "SELECT json_extract(r.answers, '$.institution') FROM practice_coauthors c JOIN users u ON u.email = c.email "
        "JOIN registrations r ON r.user_id = u.id AND r.event_id = ?2 WHERE c.practice_id = ?1");
    c.bind_int(1, p.id).bind_text(2, event_id);
    if (auto st = each_row(c, [&](store::Stmt& r) {
          if (!r.is_null(0)) p.institutions.insert(normalise_institution(r.text(0)));
        });
        !st)
      return st;
    p.institutions.erase("");
    p.institution_key = normalise_institution(p.institution);
  }
  return out;
}

struct Expert {
  std::int64_t id = 0;
  std::set<int> sections;  // empty: the whole event
  std::string institution;
  std::string institution_key;
  bool covers(int section) const { return sections.empty() || sections.count(section); }
};

Result<std::map<std::int64_t, Expert>> load_experts(store::Tx& tx, std::string_view event_id) {
  std::map<std::int64_t, Expert> out;
  std::set<std::int64_t> whole_event;
  auto q = tx.prepare("SELECT user_id, section FROM event_roles WHERE event_id = ?1 AND role = 'expert'");
  q.bind_text(1, event_id);
  auto s = each_row(q, [&](store::Stmt& r) {
    auto& e = out[r.int64(0)];
    e.id = r.int64(0);
    if (r.is_null(1)) whole_event.insert(e.id);
    else e.sections.insert(static_cast<int>(r.int64(1)));
  });
  if (!s) return s;
  for (auto& [id, e] : out) {
    if (whole_event.count(id)) e.sections.clear();
    e.institution = registered_institution(tx, event_id, id);
    e.institution_key = normalise_institution(e.institution);
  }
  return out;
}

bool conflicted(const Expert& e, const PracticeInfo& p) {
  return !e.institution_key.empty() && p.institutions.count(e.institution_key);
}

Status write_log(store::Tx& tx, std::string_view event_id, std::optional<std::int64_t> practice, std::int64_t actor,
                 std::string_view action, const json& detail, TimePoint now) {
  return tx.prepare("INSERT INTO review_log (event_id, practice_id, actor_id, action, detail, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
      .bind_text(1, event_id)
      .bind_int(2, practice)
      .bind_int(3, actor)
      .bind_text(4, action)
      .bind_text(5, detail.dump())
      .bind_int(6, to_ms(now))
      .run();
}

Result<json> outcome_json(store::Tx& tx, std::int64_t practice, const intake::EventView& event) {
  auto q = tx.prepare(
      "SELECT outcome, reason, decided_by, decided_at, notified_at FROM practice_outcomes WHERE practice_id = ?1");
  q.bind_int(1, practice);
  auto more = q.step();
  if (!more) return more.status();
  if (!*more) return json();
  json out = {{"practice", practice},
              {"outcome", q.text(0)},
              {"reason", q.text(1)},
              {"decided_at", event.timeline->format(from_ms(q.int64(3)))},
              {"notified_at", q.is_null(4) ? json() : json(event.timeline->format(from_ms(q.int64(4))))}};
  std::int64_t by = q.int64(2);
  out["decided_by"] = user_json(tx, by);
  return out;
}

Result<json> review_json(store::Tx& tx, std::int64_t practice, std::int64_t expert, const intake::EventView& event) {
  auto q = tx.prepare(
      "SELECT decision, reason, scores, created_at, updated_at FROM reviews WHERE practice_id = ?1 AND expert_id = ?2");
  q.bind_int(1, practice).bind_int(2, expert);
  auto more = q.step();
  if (!more) return more.status();
  if (!*more) return json();
  return json{{"decision", q.text(0)},
              {"reason", q.text(1)},
              {"scores", json::parse(q.text(2), nullptr, false)},
              {"created_at", event.timeline->format(from_ms(q.int64(3)))},
              {"updated_at", event.timeline->format(from_ms(q.int64(4)))}};
}

Result<std::set<std::int64_t>> assigned_experts(store::Tx& tx, std::int64_t practice) {
  std::set<std::int64_t> out;
  auto q = tx.prepare("SELECT expert_id FROM review_assignments WHERE practice_id = ?1");
  q.bind_int(1, practice);
  auto s = each_row(q, [&](store::Stmt& r) { out.insert(r.int64(0)); });
  if (!s) return s;
  return out;
}

json criteria_json(const ReviewPart& part) {
  json out = json::array();
  for (const auto& c : part.criteria) out.push_back({{"id", c.id}, {"title", c.title}, {"max", c.max}});
  return out;
}

ReviewPart review_part(const intake::EventView& event) {
  auto part = read_review_part(*event.agenda);
  // main checked every agenda's part at start-up, so this cannot fail here.
  return std::holds_alternative<ReviewPart>(part) ? std::get<ReviewPart>(part) : ReviewPart{};
}

// FNV-1a: a digest that stays the same across builds and platforms (idempotency keys are stored).
std::string digest(std::string_view text) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
  return out;
}

std::string lower_ascii(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

}  // namespace

std::variant<ReviewPart, timeline::AgendaError> read_review_part(const timeline::Agenda& agenda) {
  using namespace timeline::reader;
  ReviewPart part;
  part.outcome_titles = {{"present", "допущена к представлению на тематической секции"},
                         {"gallery", "допущена к демонстрации в галерее практик"},
                         {"rejected", "отклонена"}};
  part.reason_required = {"rejected"};
  auto error = read_part(agenda, "review", [&](Obj& o) {
    part.experts_per_practice =
        static_cast<int>(o.opt_int64("experts_per_practice", 1, 20).value_or(part.experts_per_practice));
    if (const json* c = o.opt_array("criteria")) {
      each(*c, o.at("criteria"), [&](const json& j, const std::string& path) {
        Obj one(j, path);
        Criterion criterion{one.id("id", "_-"), one.str("title"), static_cast<int>(one.int64("max", 1, 100))};
        one.finish();
        part.criteria.push_back(std::move(criterion));
      });
      unique(part.criteria, o.at("criteria"), "id", [](const Criterion& c) { return c.id; });
    }
    if (const json* t = o.find("outcomes")) {
      // Any decisions the event has (the conference: present, gallery, rejected; the contest:
      // laureate, participant): the values experts and the organiser choose from.
      if (!t->is_object() || t->empty()) fail(o.at("outcomes"), "must be an object of decision id -> wording");
      part.outcome_titles.clear();
      Obj titles(*t, o.at("outcomes"));
      for (auto it = t->begin(); it != t->end(); ++it) {
        if (it.key() == "note") continue;
        if (!matches_charset(it.key(), "_")) fail(titles.at(it.key()), "a decision id is a-z, 0-9 and '_'");
        part.outcome_titles[it.key()] = titles.str(it.key());
      }
      titles.finish();
      if (part.outcome_titles.empty()) fail(o.at("outcomes"), "must name at least one decision");
    }
    part.reason_required.clear();
    if (const json* r = o.opt_array("reason_required_for")) {
      each(*r, o.at("reason_required_for"), [&](const json& j, const std::string& path) {
        if (!j.is_string() || !part.outcome_titles.count(j.get<std::string>()))
          fail(path, "must name one of the decisions in outcomes");
        part.reason_required.insert(j.get<std::string>());
      });
    } else if (part.outcome_titles.count("rejected")) {
      part.reason_required.insert("rejected");
    }
    part.outcomes_public_from = o.opt_str("outcomes_public_from");
    if (!part.outcomes_public_from.empty() && !agenda.find_milestone(part.outcomes_public_from))
      fail(o.at("outcomes_public_from"), in_quotes(part.outcomes_public_from) + " names no milestone of /milestones");
    o.finish();
  });
  if (error) return *error;
  return part;
}

bool outcomes_public(const intake::EventView& event, TimePoint now) {
  auto part = read_review_part(*event.agenda);
  const auto* read = std::get_if<ReviewPart>(&part);
  std::string milestone = read && !read->outcomes_public_from.empty() ? read->outcomes_public_from : "decision_notice_by";
  return !event.timeline->milestone_at(milestone) || event.timeline->reached(milestone, now);
}

bool ReviewPart::valid(std::string_view decision) const { return outcome_titles.count(std::string(decision)) > 0; }
bool ReviewPart::needs_reason(std::string_view decision) const { return reason_required.count(std::string(decision)) > 0; }

ReviewService::ReviewService(store::Db& db, const timeline::Clock& clock, intake::FindEvent find_event,
                             intake::IntakeService& intake, std::function<void()> mail_queued)
    : db_(db), clock_(clock), find_event_(std::move(find_event)), intake_(intake), mail_queued_(std::move(mail_queued)) {}

Result<intake::EventView> ReviewService::event(std::string_view event_id) const {
  auto e = find_event_(event_id);
  if (!e) return errors::event_not_found();
  return *e;
}

Status ReviewService::review_has_opened(const intake::EventView& event) const {
  auto opens = event.timeline->opens_at("review");
  if (!opens || clock_.now() < *opens) return review_not_open();
  return Status::ok();
}

Result<json> ReviewService::set_outcome(const accounts::User& organiser, std::string_view event_id,
                                        std::int64_t practice, std::string_view outcome, std::string_view reason) {
  auto ev = event(event_id);
  if (!ev) return ev.status();
  ReviewPart part = review_part(*ev);
  if (!part.valid(outcome)) return invalid_decision(part);
  if (part.needs_reason(outcome) && reason.empty()) return reason_required(part, outcome);
  if (auto s = review_has_opened(*ev); !s) return s;
  auto now = clock_.now();
  json out;
  auto s = db_.transaction([&](store::Tx& tx) -> Status {
    auto p = tx.prepare("SELECT state FROM practices WHERE id = ?1 AND event_id = ?2");
    p.bind_int(1, practice).bind_text(2, event_id);
    auto found = p.step();
    if (!found) return found.status();
    if (!*found) return errors::practice_not_found();
    if (p.text(0) != "submitted")
      return Status::conflict("practice_not_submitted", "Практика не отправлена на рассмотрение.");
    auto previous = outcome_json(tx, practice, *ev);
    if (!previous) return previous.status();
    bool same = !previous->is_null() && (*previous)["outcome"] == outcome && (*previous)["reason"] == reason;
    if (!same) {
      // A changed decision must be told again: notified_at goes back to NULL.
      auto q = tx.prepare(
          "INSERT INTO practice_outcomes (practice_id, outcome, reason, decided_by, decided_at, notified_at) "
          "VALUES (?1, ?2, ?3, ?4, ?5, NULL) ON CONFLICT (practice_id) DO UPDATE SET outcome = excluded.outcome, "
          "reason = excluded.reason, decided_by = excluded.decided_by, decided_at = excluded.decided_at, "
          "notified_at = NULL");
      q.bind_int(1, practice).bind_text(2, outcome).bind_text(3, reason).bind_int(4, organiser.id).bind_int(5, to_ms(now));
      if (auto st = q.run(); !st) return st;
      json detail = {{"outcome", outcome}, {"reason", reason}};
      if (!previous->is_null())
        detail["previous"] = {{"outcome", (*previous)["outcome"]}, {"reason", (*previous)["reason"]}};
      if (auto st = write_log(tx, event_id, practice, organiser.id, "outcome", detail, now); !st) return st;
    }
    auto fresh = outcome_json(tx, practice, *ev);
    if (!fresh) return fresh.status();
    out = std::move(*fresh);
    return Status::ok();
  });
  if (!s) return s;
  return out;
}

Result<json> ReviewService::outcomes(std::string_view event_id) {
  auto ev = event(event_id);
  if (!ev) return ev.status();
  json list = json::array();
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto q = tx.prepare(
        "SELECT o.practice_id FROM practice_outcomes o JOIN practices p ON p.id = o.practice_id "
        "WHERE p.event_id = ?1 ORDER BY o.practice_id");
    q.bind_text(1, event_id);
    std::vector<std::int64_t> ids;
    if (auto st = each_row(q, [&](store::Stmt& r) { ids.push_back(r.int64(0)); }); !st) return st;
    for (auto id : ids) {
      auto o = outcome_json(tx, id, *ev);
      if (!o) return o.status();
      list.push_back(std::move(*o));
    }
    return Status::ok();
  });
  if (!s) return s;
  return json{{"outcomes", list}};
}

Result<json> ReviewService::assign(const accounts::User& organiser, std::string_view event_id) {
  auto ev = event(event_id);
  if (!ev) return ev.status();
  int per_practice = review_part(*ev).experts_per_practice;
  auto now = clock_.now();
  json added = json::array();
  auto s = db_.transaction([&](store::Tx& tx) -> Status {
    auto practices = load_practices(tx, *ev, true);
    if (!practices) return practices.status();
    auto experts = load_experts(tx, event_id);
    if (!experts) return experts.status();
    std::vector<PracticeSlot> slots;
    std::map<std::int64_t, int> load;
    auto l = tx.prepare(
        "SELECT a.expert_id, count(*) FROM review_assignments a JOIN practices p ON p.id = a.practice_id "
        "WHERE p.event_id = ?1 GROUP BY a.expert_id");
    l.bind_text(1, event_id);
    if (auto st = each_row(l, [&](store::Stmt& r) { load[r.int64(0)] = static_cast<int>(r.int64(1)); }); !st) return st;
    for (const auto& p : *practices) {
      PracticeSlot slot{p.id, p.section, {}, {}};
      auto assigned = assigned_experts(tx, p.id);
      if (!assigned) return assigned.status();
      slot.assigned = std::move(*assigned);
      for (const auto& [id, e] : *experts)
        if (conflicted(e, p)) slot.conflicted.insert(id);
      slots.push_back(std::move(slot));
    }
    std::vector<ExpertLoad> loads;
    for (const auto& [id, e] : *experts) loads.push_back({id, e.sections, load[id]});
    for (const auto& [practice, expert] : balance(slots, loads, per_practice)) {
      auto q = tx.prepare(
          "INSERT INTO review_assignments (practice_id, expert_id, assigned_by, assigned_at) VALUES (?1, ?2, NULL, ?3)");
      if (auto st = q.bind_int(1, practice).bind_int(2, expert).bind_int(3, to_ms(now)).run(); !st) return st;
      if (auto st = write_log(tx, event_id, practice, organiser.id, "assign", {{"expert", expert}, {"automatic", true}}, now);
          !st)
        return st;
      added.push_back({{"practice", practice}, {"expert", expert}});
    }
    return Status::ok();
  });
  if (!s) return s;
  return json{{"assigned", added}};
}

Result<json> ReviewService::add_expert(const accounts::User& organiser, std::string_view event_id,
                                       std::int64_t practice, std::int64_t expert) {
  auto ev = event(event_id);
  if (!ev) return ev.status();
  auto now = clock_.now();
  auto s = db_.transaction([&](store::Tx& tx) -> Status {
    auto practices = load_practices(tx, *ev, false, practice);
    if (!practices) return practices.status();
    if (practices->empty()) return errors::practice_not_found();
    auto experts = load_experts(tx, event_id);
    if (!experts) return experts.status();
    auto e = experts->find(expert);
    if (e == experts->end() || !e->second.covers(practices->front().section))
      return Status::unprocessable("not_an_expert", "Этот человек не эксперт секции этой практики.");
    if (conflicted(e->second, practices->front())) return conflict_of_interest();
    auto q = tx.prepare(
        "INSERT INTO review_assignments (practice_id, expert_id, assigned_by, assigned_at) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT DO NOTHING");
    if (auto st = q.bind_int(1, practice).bind_int(2, expert).bind_int(3, organiser.id).bind_int(4, to_ms(now)).run(); !st)
      return st;
    if (tx.changes() == 0) return Status::ok();
    return write_log(tx, event_id, practice, organiser.id, "assign", {{"expert", expert}, {"automatic", false}}, now);
  });
  if (!s) return s;
  return json{{"practice", practice}, {"expert", expert}};
}

Status ReviewService::remove_expert(const accounts::User& organiser, std::string_view event_id, std::int64_t practice,
                                    std::int64_t expert) {
  auto ev = event(event_id);
  if (!ev) return ev.status();
  auto now = clock_.now();
  return db_.transaction([&](store::Tx& tx) -> Status {
    auto q = tx.prepare(
        "DELETE FROM review_assignments WHERE practice_id = ?1 AND expert_id = ?2 AND practice_id IN "
        "(SELECT id FROM practices WHERE event_id = ?3)");
    if (auto st = q.bind_int(1, practice).bind_int(2, expert).bind_text(3, event_id).run(); !st) return st;
    if (tx.changes() == 0) return Status::not_found("assignment_not_found", "Эксперт не назначен на эту практику.");
    return write_log(tx, event_id, practice, organiser.id, "unassign", {{"expert", expert}}, now);
  });
}

Result<std::int64_t> ReviewService::undecided(std::string_view event_id) {
  auto ev = event(event_id);
  if (!ev) return ev.status();
  std::int64_t count = 0;
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto practices = load_practices(tx, *ev, true);
    if (!practices) return practices.status();
    for (const auto& p : *practices) {
      auto q = tx.prepare("SELECT 1 FROM practice_outcomes WHERE practice_id = ?1");
      q.bind_int(1, p.id);
      auto more = q.step();
      if (!more) return more.status();
      count += *more ? 0 : 1;
    }
    return Status::ok();
  });
  if (!s) return s;
  return count;
}

Result<json> ReviewService::board(std::string_view event_id) {
  auto ev = event(event_id);
  if (!ev) return ev.status();
  ReviewPart part = review_part(*ev);
  json practices_out = json::array();
  json experts_out = json::array();
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto practices = load_practices(tx, *ev, true);
    if (!practices) return practices.status();
    auto experts = load_experts(tx, event_id);
    if (!experts) return experts.status();
    std::map<std::int64_t, int> load;
    for (const auto& p : *practices) {
      const auto* section = ev->agenda->find_section(p.section);
      json row = {{"id", p.id},
                  {"title", p.title},
                  {"section", p.section},
                  {"section_title", section ? section->title : ""},
                  {"institution", p.institution}};
      json reviewers = json::array();
      auto assigned = tx.prepare("SELECT expert_id, assigned_by FROM review_assignments WHERE practice_id = ?1 ORDER BY expert_id");
      assigned.bind_int(1, p.id);
      std::vector<std::pair<std::int64_t, bool>> ids;
      if (auto st = each_row(assigned, [&](store::Stmt& r) { ids.emplace_back(r.int64(0), !r.is_null(1)); }); !st)
        return st;
      for (const auto& [expert, by_hand] : ids) {
        ++load[expert];
        auto r = review_json(tx, p.id, expert, *ev);
        if (!r) return r.status();
        auto e = experts->find(expert);
        reviewers.push_back({{"user", user_json(tx, expert)},
                             {"by_hand", by_hand},
                             {"conflict", e != experts->end() && conflicted(e->second, p)},
                             {"review", std::move(*r)}});
      }
      row["experts"] = std::move(reviewers);
      json conflicts = json::array();
      for (const auto& [id, e] : *experts)
        if (e.covers(p.section) && conflicted(e, p)) {
          json u = user_json(tx, id);
          u["institution"] = e.institution;
          conflicts.push_back(std::move(u));
        }
      row["conflicts"] = std::move(conflicts);
      auto o = outcome_json(tx, p.id, *ev);
      if (!o) return o.status();
      row["outcome"] = std::move(*o);
      practices_out.push_back(std::move(row));
    }
    for (const auto& [id, e] : *experts) {
      json sections = json::array();
      for (int n : e.sections) sections.push_back(n);
      experts_out.push_back(
          {{"user", user_json(tx, id)}, {"sections", sections}, {"institution", e.institution}, {"load", load[id]}});
    }
    return Status::ok();
  });
  if (!s) return s;
  auto now = clock_.now();
  return json{{"practices", practices_out},
              {"experts", experts_out},
              {"criteria", criteria_json(part)},
              {"outcome_titles", part.outcome_titles},
              {"review_open", ev->timeline->is_open("review", now)},
              {"review_opened", review_has_opened(*ev).is_ok()}};
}

Result<json> ReviewService::log(std::string_view event_id) {
  auto ev = event(event_id);
  if (!ev) return ev.status();
  const ReviewPart part = review_part(*ev);
  // The agenda's words for a decision, so the log page shows no decision id.
  auto titled = [&](json& detail, const char* key) {
    auto it = detail.find(key);
    if (it == detail.end() || !it->is_string()) return;
    auto title = part.outcome_titles.find(it->get<std::string>());
    if (title != part.outcome_titles.end()) detail[std::string(key) + "_title"] = title->second;
  };
  json entries = json::array();
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto q = tx.prepare(
        "SELECT l.id, l.practice_id, l.actor_id, l.action, l.detail, l.at, json_extract(p.answers, '$.name') "
        "FROM review_log l LEFT JOIN practices p ON p.id = l.practice_id WHERE l.event_id = ?1 ORDER BY l.id");
    q.bind_text(1, event_id);
    struct Row {
      std::int64_t id;
      std::optional<std::int64_t> practice;
      std::int64_t actor;
      std::string action, detail;
      std::int64_t at;
      std::optional<std::string> title;
    };
    std::vector<Row> rows;
    if (auto st = each_row(q, [&](store::Stmt& r) {
          rows.push_back({r.int64(0), r.optional_int64(1), r.int64(2), r.text(3), r.text(4), r.int64(5),
                          r.is_null(6) ? std::nullopt : std::optional<std::string>(r.text(6))});
        });
        !st)
      return st;
    for (const auto& r : rows) {
      json detail = json::parse(r.detail, nullptr, false);
      if (detail.is_object()) {
        titled(detail, "decision");
        titled(detail, "outcome");
        if (auto previous = detail.find("previous"); previous != detail.end() && previous->is_object()) {
          titled(*previous, "decision");
          titled(*previous, "outcome");
        }
        if (auto expert = detail.find("expert"); expert != detail.end() && expert->is_number_integer())
          detail["expert_user"] = user_json(tx, expert->get<std::int64_t>());
      }
      entries.push_back({{"id", r.id},
                         {"practice", r.practice ? json(*r.practice) : json()},
                         {"practice_title", r.title ? json(*r.title) : json()},
                         {"actor", user_json(tx, r.actor)},
                         {"action", r.action},
                         {"detail", detail},
                         {"at", ev->timeline->format(from_ms(r.at))}});
    }
    return Status::ok();
  });
  if (!s) return s;
  return json{{"entries", entries}};
}

void ReviewService::add_letter_block(std::string placeholder, LetterBlock block) {
  letter_blocks_.emplace_back(std::move(placeholder), std::move(block));
}

Result<json> ReviewService::send_notifications(const accounts::User& organiser, std::string_view event_id) {
  auto ev = event(event_id);
  if (!ev) return ev.status();
  if (auto s = review_has_opened(*ev); !s) return s;
  auto mail_part = mail::read_mail_part(*ev->agenda);
  if (!std::holds_alternative<mail::MailPart>(mail_part))
    return Status::internal("mail_templates", "В программе мероприятия нет шаблонов писем.");
  const auto& templates = std::get<mail::MailPart>(mail_part);
  auto tmpl = templates.templates.find("decision_notice");
  if (tmpl == templates.templates.end())
    return Status::internal("mail_templates", "В программе мероприятия нет шаблона письма о решении экспертов.");
  auto snippet = [&](const std::string& id, const std::string& fallback) {
    auto it = templates.snippets.find(id);
    return it == templates.snippets.end() ? fallback : it->second;
  };
  ReviewPart part = review_part(*ev);
  auto now = clock_.now();
  // The letters would tell what the cabinet still holds back (the contest's publication instant).
  if (!part.outcomes_public_from.empty() && !ev->timeline->reached(part.outcomes_public_from, now))
    return Status::conflict("outcomes_not_public",
                            "Решения ещё не объявлены: письма учреждениям отправляются с наступлением этапа «" +
                                ev->agenda->find_milestone(part.outcomes_public_from)->title + "».")
        .with_details({{"milestone", part.outcomes_public_from},
                       {"at", ev->timeline->format(*ev->timeline->milestone_at(part.outcomes_public_from))}});
  json institutions = json::array();
  int queued = 0;
  std::int64_t undecided = 0;
  auto s = db_.transaction([&](store::Tx& tx) -> Status {
    auto practices = load_practices(tx, *ev, false);
    if (!practices) return practices.status();
    struct Decided {
      const PracticeInfo* practice;
      std::string outcome, reason;
      bool notified;
    };
    std::map<std::string, std::vector<Decided>> by_institution;
    for (const auto& p : *practices) {
      auto q = tx.prepare("SELECT outcome, reason, notified_at FROM practice_outcomes WHERE practice_id = ?1");
      q.bind_int(1, p.id);
      auto more = q.step();
      if (!more) return more.status();
      if (!*more) {
        ++undecided;
        continue;
      }
      std::string key = p.institution_key.empty() ? "author:" + std::to_string(p.owner_id) : p.institution_key;
      by_institution[key].push_back({&p, q.text(0), q.text(1), !q.is_null(2)});
    }
    for (const auto& [key, decided] : by_institution) {
      // Only institutions with a decision not yet told; the letter lists all their decisions.
      if (std::all_of(decided.begin(), decided.end(), [](const Decided& d) { return d.notified; })) continue;
      std::set<std::string> recipients;
      std::string items;
      json ids = json::array();
      for (const auto& d : decided) {
        const auto* section = ev->agenda->find_section(d.practice->section);
        std::map<std::string, std::string> values = {
            {"title", d.practice->title},
            {"section", std::to_string(d.practice->section)},
            {"section_title", section ? section->title : ""},
            {"outcome", part.outcome_titles[d.outcome]},
            {"reason", d.reason}};
        items += mail::fill(snippet("decision_item", "— «{title}» (секция {section}): {outcome}."), values);
        if (part.needs_reason(d.outcome) || !d.reason.empty())
          items += mail::fill(snippet("decision_reason", "\n  Причина: {reason}"), values);
        items += "\n";
        ids.push_back(d.practice->id);
        if (d.practice->organisation_email.find('@') != std::string::npos)
          recipients.insert(lower_ascii(d.practice->organisation_email));
        recipients.insert(d.practice->owner_email);
      }
      const std::string institution = decided.front().practice->institution;
      std::map<std::string, std::string> values = {{"institution", institution},
                                                   {"items", items},
                                                   {"event_title", ev->agenda->title},
                                                   {"event_title_genitive", ev->agenda->title_genitive},
                                                   {"event_title_prepositional", ev->agenda->title_prepositional}};
      std::vector<std::string> outcomes;
      for (const auto& d : decided) outcomes.push_back(d.outcome);
      for (const auto& [placeholder, block] : letter_blocks_) values[placeholder] = block(event_id, outcomes);
      mail::Message m;
      m.event_id = std::string(event_id);
      m.recipients.assign(recipients.begin(), recipients.end());
      m.subject = mail::fill(tmpl->second.subject, values);
      m.body = mail::fill(tmpl->second.body, values);
      std::string recipient_list;
      for (const auto& r : m.recipients) recipient_list += r + ",";
      // Same institution, same letter: the same key, so a repeated "send" queues nothing new.
      m.idempotency_key = "decision_notice:" + std::string(event_id) + ":" + digest(key) + ":" +
                          digest(m.subject + "\n" + m.body + "\n" + recipient_list);
      auto stored = mail::Outbox::enqueue(tx, m, now);
      if (!stored) return stored.status();
      if (*stored) ++queued;
      for (const auto& d : decided) {
        auto u = tx.prepare("UPDATE practice_outcomes SET notified_at = ?2 WHERE practice_id = ?1 AND notified_at IS NULL");
        if (auto st = u.bind_int(1, d.practice->id).bind_int(2, to_ms(now)).run(); !st) return st;
      }
      institutions.push_back({{"institution", institution},
                              {"recipients", m.recipients},
                              {"practices", ids},
                              {"queued", *stored}});
    }
    return write_log(tx, event_id, std::nullopt, organiser.id, "notify",
                     {{"institutions", institutions.size()}, {"queued", queued}}, now);
  });
  if (!s) return s;
  if (queued > 0 && mail_queued_) mail_queued_();
  return json{{"queued", queued}, {"institutions", institutions}, {"undecided", undecided}};
}

Result<json> ReviewService::queue(const accounts::Identity& who, std::string_view event_id) {
  auto ev = event(event_id);
  if (!ev) return ev.status();
  if (!accounts::has_role(who, event_id, accounts::Role::expert))
    return Status::forbidden("forbidden", "Этот раздел доступен только экспертам мероприятия.");
  json list = json::array();
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto practices = load_practices(tx, *ev, true);
    if (!practices) return practices.status();
    auto experts = load_experts(tx, event_id);
    if (!experts) return experts.status();
    auto me = experts->find(who.user.id);
    if (me == experts->end()) return Status::ok();
    for (const auto& p : *practices) {
      auto assigned = assigned_experts(tx, p.id);
      if (!assigned) return assigned.status();
      // A conflict found after the assignment (an edited registration) still hides the practice.
      if (!assigned->count(who.user.id) || conflicted(me->second, p)) continue;
      auto r = review_json(tx, p.id, who.user.id, *ev);
      if (!r) return r.status();
      const auto* section = ev->agenda->find_section(p.section);
      list.push_back({{"id", p.id},
                      {"title", p.title},
                      {"section", p.section},
                      {"section_title", section ? section->title : ""},
                      {"review", std::move(*r)}});
    }
    return Status::ok();
  });
  if (!s) return s;
  return json{{"practices", list},
              {"review_open", ev->timeline->is_open("review", clock_.now())},
              {"criteria", criteria_json(review_part(*ev))}};
}

bool ReviewService::may_read_upload(const accounts::Identity* who, std::string_view event_id, std::int64_t owner_id,
                                    std::string_view purpose, const json& metadata) {
  if (!who || purpose == "payment" || !accounts::has_role(*who, event_id, accounts::Role::expert)) return false;
  auto practice = metadata.is_object() ? metadata.find("practice") : metadata.end();
  if (!metadata.is_object() || practice == metadata.end() || !practice->is_string()) return false;
  std::int64_t id = 0;
  const std::string& text = practice->get_ref<const std::string&>();
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc{} || end != text.data() + text.size()) return false;
  auto ev = event(event_id);
  if (!ev) return false;
  bool allowed = false;
  db_.read([&](store::Tx& tx) -> Status {
    auto practices = load_practices(tx, *ev, true, id);
    if (!practices || practices->empty() || practices->front().owner_id != owner_id) return Status::ok();
    auto assigned = assigned_experts(tx, id);
    auto experts = load_experts(tx, event_id);
    if (!assigned || !experts || !assigned->count(who->user.id)) return Status::ok();
    auto me = experts->find(who->user.id);
    allowed = me != experts->end() && !conflicted(me->second, practices->front());
    return Status::ok();
  });
  return allowed;
}

Result<json> ReviewService::practice(const accounts::Identity& who, std::string_view event_id, std::int64_t id) {
  auto ev = event(event_id);
  if (!ev) return ev.status();
  bool organiser = accounts::is_organiser(who, event_id);
  json reviews = json::array();
  json mine;
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto practices = load_practices(tx, *ev, !organiser, id);
    if (!practices) return practices.status();
    if (practices->empty()) return errors::practice_not_found();
    auto assigned = assigned_experts(tx, id);
    if (!assigned) return assigned.status();
    if (!organiser) {
      auto experts = load_experts(tx, event_id);
      if (!experts) return experts.status();
      auto me = experts->find(who.user.id);
      // Others learn nothing, not even that the practice exists.
      if (me == experts->end() || !assigned->count(who.user.id) || conflicted(me->second, practices->front()))
        return errors::practice_not_found();
      auto r = review_json(tx, id, who.user.id, *ev);
      if (!r) return r.status();
      mine = std::move(*r);
      return Status::ok();
    }
    for (auto expert : *assigned) {
      auto r = review_json(tx, id, expert, *ev);
      if (!r) return r.status();
      reviews.push_back({{"user", user_json(tx, expert)}, {"review", std::move(*r)}});
    }
    return Status::ok();
  });
  if (!s) return s;
  auto view = intake_.practice_for_review(event_id, id);
  if (!view) return view.status();
  if (!organiser) without_payment(*view);
  json out = {{"practice", std::move(*view)},
              {"review", mine},
              {"criteria", criteria_json(review_part(*ev))},
              {"review_open", ev->timeline->is_open("review", clock_.now())}};
  if (organiser) out["reviews"] = std::move(reviews);
  return out;
}

Result<json> ReviewService::save_review(const accounts::Identity& who, std::string_view event_id, std::int64_t id,
                                        std::string_view decision, std::string_view reason, const json& scores) {
  auto ev = event(event_id);
  if (!ev) return ev.status();
  ReviewPart part = review_part(*ev);
  if (!part.valid(decision)) return invalid_decision(part);
  if (part.needs_reason(decision) && reason.empty()) return reason_required(part, decision);
  auto now = clock_.now();
  switch (ev->timeline->state_at("review", now)) {
    case timeline::StageState::upcoming: return review_not_open();
    case timeline::StageState::closed: return review_closed();
    case timeline::StageState::open: break;
  }
  json checked_scores = json::object();
  if (!scores.is_null()) {
    if (!scores.is_object()) return Status::unprocessable("invalid_scores", "Оценки — объект {критерий: балл}.");
    for (auto it = scores.begin(); it != scores.end(); ++it) {
      auto c = std::find_if(part.criteria.begin(), part.criteria.end(), [&](const Criterion& k) { return k.id == it.key(); });
      if (c == part.criteria.end())
        return Status::unprocessable("invalid_scores", "Нет такого критерия оценки: " + it.key().substr(0, 40));
      if (it->is_null()) continue;
      if (!it->is_number_integer() || it->get<std::int64_t>() < 0 || it->get<std::int64_t>() > c->max)
        return Status::unprocessable("invalid_scores", "Балл по критерию «" + c->title + "» — целое число от 0 до " +
                                                           std::to_string(c->max) + ".");
      checked_scores[it.key()] = *it;
    }
  }
  json out;
  auto s = db_.transaction([&](store::Tx& tx) -> Status {
    auto practices = load_practices(tx, *ev, true, id);
    if (!practices) return practices.status();
    if (practices->empty()) return errors::practice_not_found();
    auto experts = load_experts(tx, event_id);
    if (!experts) return experts.status();
    auto me = experts->find(who.user.id);
    auto assigned = assigned_experts(tx, id);
    if (!assigned) return assigned.status();
    if (me == experts->end() || !assigned->count(who.user.id) || conflicted(me->second, practices->front()))
      return errors::practice_not_found();
    auto previous = review_json(tx, id, who.user.id, *ev);
    if (!previous) return previous.status();
    auto q = tx.prepare(
        "INSERT INTO reviews (practice_id, expert_id, decision, reason, scores, created_at, updated_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) ON CONFLICT (practice_id, expert_id) DO UPDATE SET "
        "decision = excluded.decision, reason = excluded.reason, scores = excluded.scores, updated_at = excluded.updated_at");
    q.bind_int(1, id).bind_int(2, who.user.id).bind_text(3, decision).bind_text(4, reason);
    q.bind_text(5, checked_scores.dump()).bind_int(6, to_ms(now));
    if (auto st = q.run(); !st) return st;
    json detail = {{"decision", decision}, {"reason", reason}, {"scores", checked_scores}};
    if (!previous->is_null())
      detail["previous"] = {{"decision", (*previous)["decision"]}, {"reason", (*previous)["reason"]},
                            {"scores", (*previous)["scores"]}};
    if (auto st = write_log(tx, event_id, id, who.user.id, "review", detail, now); !st) return st;
    auto fresh = review_json(tx, id, who.user.id, *ev);
    if (!fresh) return fresh.status();
    out = std::move(*fresh);
    return Status::ok();
  });
  if (!s) return s;
  return out;
}

}  // namespace praktika::review
