#include "review/review.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "common/errors.h"
#include "intake/catalogue.h"
#include "mail/outbox.h"
#include "mail/template.h"
#include "review/assignment.h"
#include "store/db.h"
#include "timeline/agenda_reader.h"
#include "store/rows.h"

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
  // By their titles, one after another: a title may hold quotes of its own (the contest's name).
  for (const auto& [id, title] : part.outcome_titles) choices += (choices.empty() ? "" : "; ") + title;
  return Status::unprocessable("invalid_decision", "Выберите одно из решений: " + choices + ".");
}
Status over_cap(const std::string& name, int cap) {
  return Status::conflict("expert_load_cap", "Нагрузка эксперта " + (name.empty() ? std::string() : name + " ") +
                                                 "достигла предела (" + std::to_string(cap) +
                                                 "): снимите с эксперта одну из назначенных работ или увеличьте "
                                                 "предел на доске.");
}
Status conflict_of_interest(const Noun& words) {
  return Status::conflict("conflict_of_interest", "Эксперт работает в учреждении автора " + words.genitive +
                                                      " и не может " + std::string(words.agree("её", "его", "его")) +
                                                      " оценивать.");
}

Person person(store::Tx& tx, std::int64_t id) {
  auto user = accounts::user_by_id(tx, id);
  if (!user || !*user) return {id, std::nullopt, std::nullopt};
  return {(*user)->id, (*user)->email, (*user)->full_name};
}

// What an expert is shown of a practice: its materials, not the author's payment scan.
void without_payment(intake::PracticeView& practice) {
  practice.payment.reset();
  std::erase_if(practice.files, [](const uploads::StoredFile& f) { return !intake::shown_to_readers(f.purpose); });
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
  auto found = intake::registered_institution(tx, event_id, user_id);
  return found ? *found : std::string();
}

// Submitted practices of the event; `paid_only`: only those whose payment is confirmed (the
// ones experts review). `only`: one practice.
Result<std::vector<PracticeInfo>> load_practices(store::Tx& tx, const timeline::EventView& event, bool paid_only,
                                                 std::optional<std::int64_t> only = {}) {
  const std::string& event_id = event.agenda->id;
  // An event without a fee (the contest) reviews every submitted practice.
  paid_only = paid_only && intake::charges_fees(*event.agenda);
  auto found = intake::practices(tx, event_id, {.paid_only = paid_only, .only = only});
  if (!found) return found.status();
  std::vector<PracticeInfo> out;
  for (const auto& practice : *found) {
    PracticeInfo p;
    p.id = practice.id;
    p.section = practice.section;
    p.owner_id = practice.owner_id;
    p.owner_email = practice.owner_email;
    const json& answers = practice.answers;
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
  }
  for (auto& p : out) {
    std::string own = registered_institution(tx, event_id, p.owner_id);
    if (p.institution.empty()) p.institution = own;
    p.institutions.insert(normalise_institution(own));
    auto authors = intake::authors_of(tx, p.id);
    if (!authors) return authors.status();
    for (const auto& a : *authors)
      if (!a.owner) p.institutions.insert(normalise_institution(registered_institution(tx, event_id, a.user_id)));
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
  auto holders = accounts::role_holders(tx, event_id, accounts::Role::expert);
  if (!holders) return holders.status();
  for (const auto& [user, section] : *holders) {
    auto& e = out[user];
    e.id = user;
    if (!section) whole_event.insert(e.id);
    else e.sections.insert(*section);
  }
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

Result<std::optional<Decision>> decision_of(store::Tx& tx, std::int64_t practice, const timeline::EventView& event) {
  auto found = intake::outcome_of(tx, practice);
  if (!found) return found.status();
  if (!*found) return std::optional<Decision>();
  const intake::Outcome& o = **found;
  std::optional<std::string> notified;
  if (o.notified_at) notified = event.timeline->format(from_ms(*o.notified_at));
  return std::optional<Decision>(Decision{practice, o.outcome, o.reason, event.timeline->format(from_ms(o.decided_at)),
                                          std::move(notified), person(tx, o.decided_by)});
}

Result<std::optional<ExpertReview>> review_of(store::Tx& tx, std::int64_t practice, std::int64_t expert,
                                              const timeline::EventView& event) {
  auto q = tx.prepare(
      "SELECT decision, reason, scores, created_at, updated_at FROM reviews WHERE practice_id = ?1 AND expert_id = ?2");
  q.bind_int(1, practice).bind_int(2, expert);
  auto more = q.step();
  if (!more) return more.status();
  if (!*more) return std::optional<ExpertReview>();
  return std::optional<ExpertReview>(ExpertReview{q.text(0), q.text(1), json::parse(q.text(2), nullptr, false),
                                                  event.timeline->format(from_ms(q.int64(3))),
                                                  event.timeline->format(from_ms(q.int64(4)))});
}

Result<std::set<std::int64_t>> assigned_experts(store::Tx& tx, std::int64_t practice) {
  std::set<std::int64_t> out;
  auto q = tx.prepare("SELECT expert_id FROM review_assignments WHERE practice_id = ?1");
  q.bind_int(1, practice);
  auto s = store::each_row(q, [&](store::Stmt& r) { out.insert(r.int64(0)); });
  if (!s) return s;
  return out;
}

// How many practices of the event (drafts included: an assignment outlives a withdrawal) each
// expert has.
Result<std::map<std::int64_t, int>> expert_loads(store::Tx& tx, std::string_view event_id) {
  std::map<std::int64_t, int> load;
  auto all = intake::practices(tx, event_id, {.include_drafts = true});
  if (!all) return all.status();
  json ids = json::array();
  for (const auto& p : *all) ids.push_back(p.id);
  auto q = tx.prepare("SELECT expert_id, count(*) FROM review_assignments WHERE practice_id IN (" +
                      store::json_array_values(tx.dialect(), 1, true) + ") GROUP BY expert_id");
  q.bind_text(1, ids.dump());
  if (auto s = store::each_row(q, [&](store::Stmt& r) { load[r.int64(0)] = static_cast<int>(r.int64(1)); }); !s) return s;
  return load;
}

// The caps the organiser set in the event, by expert.
Result<std::map<std::int64_t, int>> set_caps(store::Tx& tx, std::string_view event_id) {
  std::map<std::int64_t, int> out;
  auto q = tx.prepare("SELECT expert_id, max_practices FROM review_expert_caps WHERE event_id = ?1");
  q.bind_text(1, event_id);
  if (auto s = store::each_row(q, [&](store::Stmt& r) { out[r.int64(0)] = static_cast<int>(r.int64(1)); }); !s) return s;
  return out;
}

std::optional<int> cap_of(const std::map<std::int64_t, int>& set, const ReviewPart& part, std::int64_t expert) {
  auto it = set.find(expert);
  if (it != set.end()) return it->second;
  return part.max_practices_per_expert;
}


ReviewPart review_part(const timeline::EventView& event) {
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
    if (auto cap = o.opt_int64("max_practices_per_expert", 1, 1000)) part.max_practices_per_expert = static_cast<int>(*cap);
    part.outcomes_public_from = o.opt_str("outcomes_public_from");
    if (!part.outcomes_public_from.empty() && !agenda.find_milestone(part.outcomes_public_from))
      fail(o.at("outcomes_public_from"), in_quotes(part.outcomes_public_from) + " names no milestone of /milestones");
    o.finish();
  });
  if (error) return *error;
  return part;
}

bool outcomes_public(const timeline::EventView& event, TimePoint now) {
  auto part = read_review_part(*event.agenda);
  const auto* read = std::get_if<ReviewPart>(&part);
  std::string milestone = read && !read->outcomes_public_from.empty() ? read->outcomes_public_from : "decision_notice_by";
  return !event.timeline->milestone_at(milestone) || event.timeline->reached(milestone, now);
}

bool ReviewPart::valid(std::string_view decision) const { return outcome_titles.count(std::string(decision)) > 0; }
bool ReviewPart::needs_reason(std::string_view decision) const { return reason_required.count(std::string(decision)) > 0; }

ReviewService::ReviewService(store::Db& db, const timeline::Clock& clock, timeline::FindEvent find_event,
                             intake::IntakeService& intake, std::function<void()> mail_queued)
    : db_(db), clock_(clock), find_event_(std::move(find_event)), intake_(intake), mail_queued_(std::move(mail_queued)) {}

Result<timeline::EventView> ReviewService::event(std::string_view event_id) const {
  auto e = find_event_(event_id);
  if (!e) return errors::event_not_found();
  return *e;
}

Status ReviewService::review_has_opened(const timeline::EventView& event) const {
  auto opens = event.timeline->opens_at("review");
  if (!opens || clock_.now() < *opens) return review_not_open();
  return Status::ok();
}

Result<Decision> ReviewService::set_outcome(const accounts::User& organiser, std::string_view event_id,
                                            std::int64_t practice, std::string_view outcome, std::string_view reason) {
  auto ev = event(event_id);
  if (!ev) return ev.status();
  ReviewPart part = review_part(*ev);
  if (!part.valid(outcome)) return invalid_decision(part);
  if (part.needs_reason(outcome) && reason.empty()) return reason_required(part, outcome);
  if (auto s = review_has_opened(*ev); !s) return s;
  auto now = clock_.now();
  Decision out;
  auto s = db_.transaction([&](store::Tx& tx) -> Status {
    auto found = intake::practice_by_id(tx, event_id, practice);
    if (!found) return found.status();
    if (!*found) return errors::practice_not_found(ev->agenda->words);
    if (!(*found)->submitted())
      return Status::conflict("practice_not_submitted", capitalised(ev->agenda->words.one) + " не " +
                                                            std::string(ev->agenda->words.agree("отправлена", "отправлен", "отправлено")) +
                                                            " на рассмотрение.");
    auto previous = decision_of(tx, practice, *ev);
    if (!previous) return previous.status();
    const auto& was = *previous;
    bool same = was && was->outcome == outcome && was->reason == reason;
    if (!same) {
      // A changed decision must be told again: notified_at goes back to NULL.
      if (auto st = intake::record_outcome(tx, practice, outcome, reason, organiser.id, to_ms(now)); !st) return st;
      json detail = {{"outcome", outcome}, {"reason", reason}};
      if (was) detail["previous"] = {{"outcome", was->outcome}, {"reason", was->reason}};
      if (auto st = write_log(tx, event_id, practice, organiser.id, "outcome", detail, now); !st) return st;
    }
    auto fresh = decision_of(tx, practice, *ev);
    if (!fresh) return fresh.status();
    if (!*fresh) return errors::practice_not_found(ev->agenda->words);  // just written: cannot happen
    out = std::move(**fresh);
    return Status::ok();
  });
  if (!s) return s;
  return out;
}

Result<std::vector<Decision>> ReviewService::outcomes(std::string_view event_id) {
  auto ev = event(event_id);
  if (!ev) return ev.status();
  std::vector<Decision> list;
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto decided = intake::decided(tx, event_id);
    if (!decided) return decided.status();
    std::vector<std::int64_t> ids;
    for (const auto& d : *decided) ids.push_back(d.practice.id);
    std::sort(ids.begin(), ids.end());
    for (auto id : ids) {
      auto o = decision_of(tx, id, *ev);
      if (!o) return o.status();
      if (*o) list.push_back(std::move(**o));
    }
    return Status::ok();
  });
  if (!s) return s;
  return list;
}

namespace {

// The practices still short of experts after `chosen` where an eligible expert was passed over
// only because they reached their cap: what the automatic assignment refused, for the organiser.
std::vector<ShortOfExperts> short_of_experts_by_caps(const std::vector<PracticeSlot>& slots,
                                                     const std::vector<ExpertLoad>& before,
                                                     const std::vector<std::pair<std::int64_t, std::int64_t>>& chosen,
                                                     int per_practice) {
  std::map<std::int64_t, int> load;
  for (const auto& e : before) load[e.expert] = e.load;
  for (const auto& [practice, expert] : chosen) ++load[expert];
  std::vector<ShortOfExperts> out;
  for (const auto& slot : slots) {
    std::set<std::int64_t> on = slot.assigned;
    for (const auto& [practice, expert] : chosen)
      if (practice == slot.practice) on.insert(expert);
    int missing = per_practice - static_cast<int>(on.size());
    if (missing <= 0) continue;
    bool capped = std::any_of(before.begin(), before.end(), [&](const ExpertLoad& e) {
      bool covers = e.sections.empty() || e.sections.count(slot.section);
      return covers && !on.count(e.expert) && !slot.conflicted.count(e.expert) && e.cap && load[e.expert] >= *e.cap;
    });
    if (capped) out.push_back({slot.practice, missing});
  }
  return out;
}

}  // namespace

Result<AssignmentRound> ReviewService::assign(const accounts::User& organiser, std::string_view event_id) {
  auto ev = event(event_id);
  if (!ev) return ev.status();
  ReviewPart part = review_part(*ev);
  int per_practice = part.experts_per_practice;
  auto now = clock_.now();
  AssignmentRound out;
  auto s = db_.transaction([&](store::Tx& tx) -> Status {
    auto practices = load_practices(tx, *ev, true);
    if (!practices) return practices.status();
    auto experts = load_experts(tx, event_id);
    if (!experts) return experts.status();
    std::vector<PracticeSlot> slots;
    auto found_load = expert_loads(tx, event_id);
    if (!found_load) return found_load.status();
    auto& load = *found_load;
    auto caps = set_caps(tx, event_id);
    if (!caps) return caps.status();
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
    for (const auto& [id, e] : *experts) loads.push_back({id, e.sections, load[id], cap_of(*caps, part, id)});
    auto chosen = balance(slots, loads, per_practice);
    out.refused = short_of_experts_by_caps(slots, loads, chosen, per_practice);
    for (const auto& [practice, expert] : chosen) {
      auto q = tx.prepare(
          "INSERT INTO review_assignments (practice_id, expert_id, assigned_by, assigned_at) VALUES (?1, ?2, NULL, ?3)");
      if (auto st = q.bind_int(1, practice).bind_int(2, expert).bind_int(3, to_ms(now)).run(); !st) return st;
      if (auto st = write_log(tx, event_id, practice, organiser.id, "assign", {{"expert", expert}, {"automatic", true}}, now);
          !st)
        return st;
      out.assigned.push_back({practice, expert});
    }
    return Status::ok();
  });
  if (!s) return s;
  return out;
}

Result<Assignment> ReviewService::add_expert(const accounts::User& organiser, std::string_view event_id,
                                             std::int64_t practice, std::int64_t expert) {
  auto ev = event(event_id);
  if (!ev) return ev.status();
  auto now = clock_.now();
  auto s = db_.transaction([&](store::Tx& tx) -> Status {
    auto practices = load_practices(tx, *ev, false, practice);
    if (!practices) return practices.status();
    if (practices->empty()) return errors::practice_not_found(ev->agenda->words);
    auto experts = load_experts(tx, event_id);
    if (!experts) return experts.status();
    auto e = experts->find(expert);
    if (e == experts->end() || !e->second.covers(practices->front().section))
      return Status::unprocessable("not_an_expert", "Этот человек не эксперт секции " +
                                                        std::string(ev->agenda->words.agree("этой ", "этого ", "этого ")) +
                                                        ev->agenda->words.genitive + ".");
    if (conflicted(e->second, practices->front())) return conflict_of_interest(ev->agenda->words);
    auto already = assigned_experts(tx, practice);
    if (!already) return already.status();
    if (already->count(expert)) return Status::ok();
    auto loads = expert_loads(tx, event_id);
    if (!loads) return loads.status();
    auto caps = set_caps(tx, event_id);
    if (!caps) return caps.status();
    int load = (*loads)[expert];
    if (auto cap = cap_of(*caps, review_part(*ev), expert); cap && load >= *cap) {
      auto user = accounts::user_by_id(tx, expert);
      return over_cap(user && *user ? (*user)->full_name : std::string(), *cap);
    }
    auto q = tx.prepare(
        "INSERT INTO review_assignments (practice_id, expert_id, assigned_by, assigned_at) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT DO NOTHING");
    if (auto st = q.bind_int(1, practice).bind_int(2, expert).bind_int(3, organiser.id).bind_int(4, to_ms(now)).run(); !st)
      return st;
    if (tx.changes() == 0) return Status::ok();
    return write_log(tx, event_id, practice, organiser.id, "assign", {{"expert", expert}, {"automatic", false}}, now);
  });
  if (!s) return s;
  return Assignment{practice, expert};
}

Status ReviewService::remove_expert(const accounts::User& organiser, std::string_view event_id, std::int64_t practice,
                                    std::int64_t expert) {
  auto ev = event(event_id);
  if (!ev) return ev.status();
  auto now = clock_.now();
  return db_.transaction([&](store::Tx& tx) -> Status {
    auto found = intake::practice_by_id(tx, event_id, practice);
    if (!found) return found.status();
    auto q = tx.prepare("DELETE FROM review_assignments WHERE practice_id = ?1 AND expert_id = ?2");
    if (*found)
      if (auto st = q.bind_int(1, practice).bind_int(2, expert).run(); !st) return st;
    if (!*found || tx.changes() == 0)
      return Status::not_found("assignment_not_found", "Эксперт не назначен на " +
                                                           std::string(ev->agenda->words.agree("эту ", "этот ", "это ")) +
                                                           ev->agenda->words.accusative + ".");
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
      auto outcome = intake::outcome_of(tx, p.id);
      if (!outcome) return outcome.status();
      count += *outcome ? 0 : 1;
    }
    return Status::ok();
  });
  if (!s) return s;
  return count;
}

Result<ExpertCap> ReviewService::set_cap(const accounts::User& organiser, std::string_view event_id,
                                         std::int64_t expert, std::optional<int> max_practices) {
  auto ev = event(event_id);
  if (!ev) return ev.status();
  if (max_practices && (*max_practices < 0 || *max_practices > 1000))
    return Status::unprocessable("invalid_field", "Предел нагрузки — целое число от 0 до 1000.");
  auto now = clock_.now();
  ReviewPart part = review_part(*ev);
  ExpertCap out;
  auto s = db_.transaction([&](store::Tx& tx) -> Status {
    auto experts = load_experts(tx, event_id);
    if (!experts) return experts.status();
    if (!experts->count(expert)) return Status::not_found("not_an_expert", "Этот человек не эксперт мероприятия.");
    Status st = max_practices
                    ? tx.prepare("INSERT INTO review_expert_caps (event_id, expert_id, max_practices, set_by, set_at) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (event_id, expert_id) DO UPDATE SET "
                                 "max_practices = excluded.max_practices, set_by = excluded.set_by, set_at = excluded.set_at")
                          .bind_text(1, event_id)
                          .bind_int(2, expert)
                          .bind_int(3, *max_practices)
                          .bind_int(4, organiser.id)
                          .bind_int(5, to_ms(now))
                          .run()
                    : tx.prepare("DELETE FROM review_expert_caps WHERE event_id = ?1 AND expert_id = ?2")
                          .bind_text(1, event_id)
                          .bind_int(2, expert)
                          .run();
    if (!st) return st;
    out = {expert, max_practices ? max_practices : part.max_practices_per_expert, max_practices};
    return Status::ok();
  });
  if (!s) return s;
  return out;
}

Result<std::vector<Conflict>> ReviewService::conflicts(std::string_view event_id) {
  auto ev = event(event_id);
  if (!ev) return ev.status();
  std::vector<Conflict> out;
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto practices = load_practices(tx, *ev, true);
    if (!practices) return practices.status();
    auto experts = load_experts(tx, event_id);
    if (!experts) return experts.status();
    for (const auto& p : *practices) {
      auto assigned = assigned_experts(tx, p.id);
      if (!assigned) return assigned.status();
      for (const auto& [id, e] : *experts) {
        if (!e.covers(p.section) || !conflicted(e, p)) continue;
        out.push_back({{p.id, p.title, p.section, p.institution}, {person(tx, id), e.institution}, assigned->count(id) > 0});
      }
    }
    return Status::ok();
  });
  if (!s) return s;
  return out;
}

namespace {

// One row of the board: the practice, its experts with their reviews, who may not review it, its
// decision. Counts each assigned expert into `load`.
Result<BoardPractice> board_row(store::Tx& tx, const timeline::EventView& ev, const PracticeInfo& p,
                                const std::map<std::int64_t, Expert>& experts, std::map<std::int64_t, int>& load) {
  const auto* section = ev.agenda->find_section(p.section);
  BoardPractice row;
  static_cast<PracticeHeading&>(row) = {p.id, p.title, p.section, section ? section->title : ""};
  row.institution = p.institution;
  auto assigned = tx.prepare("SELECT expert_id, assigned_by FROM review_assignments WHERE practice_id = ?1 ORDER BY expert_id");
  assigned.bind_int(1, p.id);
  std::vector<std::pair<std::int64_t, bool>> ids;
  if (auto st = store::each_row(assigned, [&](store::Stmt& r) { ids.emplace_back(r.int64(0), !r.is_null(1)); }); !st)
    return st;
  for (const auto& [expert, by_hand] : ids) {
    ++load[expert];
    auto r = review_of(tx, p.id, expert, ev);
    if (!r) return r.status();
    auto e = experts.find(expert);
    row.experts.push_back({person(tx, expert), by_hand, e != experts.end() && conflicted(e->second, p), std::move(*r)});
  }
  for (const auto& [id, e] : experts)
    if (e.covers(p.section) && conflicted(e, p)) row.conflicts.push_back({person(tx, id), e.institution});
  auto o = decision_of(tx, p.id, ev);
  if (!o) return o.status();
  row.outcome = std::move(*o);
  return row;
}

}  // namespace

Result<Board> ReviewService::board(std::string_view event_id) {
  auto ev = event(event_id);
  if (!ev) return ev.status();
  ReviewPart part = review_part(*ev);
  Board out;
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto practices = load_practices(tx, *ev, true);
    if (!practices) return practices.status();
    auto experts = load_experts(tx, event_id);
    if (!experts) return experts.status();
    auto caps = set_caps(tx, event_id);
    if (!caps) return caps.status();
    std::map<std::int64_t, int> load;
    for (const auto& p : *practices) {
      auto row = board_row(tx, *ev, p, *experts, load);
      if (!row) return row.status();
      out.practices.push_back(std::move(*row));
    }
    for (const auto& [id, e] : *experts) {
      auto own = caps->find(id);
      out.experts.push_back({person(tx, id), std::vector<int>(e.sections.begin(), e.sections.end()), e.institution,
                             load[id], cap_of(*caps, part, id),
                             own != caps->end() ? std::optional<int>(own->second) : std::nullopt});
    }
    return Status::ok();
  });
  if (!s) return s;
  out.criteria = part.criteria;
  out.outcome_titles = part.outcome_titles;
  out.default_cap = part.max_practices_per_expert;
  out.review_open = ev->timeline->is_open("review", clock_.now());
  out.review_opened = review_has_opened(*ev).is_ok();
  return out;
}

Result<ReviewLog> ReviewService::log(std::string_view event_id) {
  auto ev = event(event_id);
  if (!ev) return ev.status();
  ReviewLog out;
  out.outcome_titles = review_part(*ev).outcome_titles;
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto q = tx.prepare(
        "SELECT l.id, l.practice_id, l.actor_id, l.action, l.detail, l.at FROM review_log l WHERE l.event_id = ?1 "
        "ORDER BY l.id");
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
    if (auto st = store::each_row(q, [&](store::Stmt& r) {
          rows.push_back({r.int64(0), r.optional_int64(1), r.int64(2), r.text(3), r.text(4), r.int64(5), {}});
        });
        !st)
      return st;
    std::map<std::int64_t, std::optional<std::string>> titles;  // a practice appears on many rows
    for (auto& r : rows) {
      if (!r.practice) continue;
      auto [it, fresh] = titles.try_emplace(*r.practice);
      if (fresh) {
        auto practice = intake::practice_by_id(tx, event_id, *r.practice);
        if (!practice) return practice.status();
        if (*practice) {
          auto name = (*practice)->answers.find("name");
          if (name != (*practice)->answers.end() && name->is_string()) it->second = name->get<std::string>();
        }
      }
      r.title = it->second;
    }
    for (auto& r : rows) {
      LogEntry entry{r.id, r.practice, std::move(r.title), person(tx, r.actor), std::move(r.action),
                     json::parse(r.detail, nullptr, false), std::nullopt, ev->timeline->format(from_ms(r.at))};
      if (entry.detail.is_object())
        if (auto expert = entry.detail.find("expert"); expert != entry.detail.end() && expert->is_number_integer())
          entry.expert = person(tx, expert->get<std::int64_t>());
      out.entries.push_back(std::move(entry));
    }
    return Status::ok();
  });
  if (!s) return s;
  return out;
}

void ReviewService::add_letter_block(std::string placeholder, LetterBlock block) {
  letter_blocks_.emplace_back(std::move(placeholder), std::move(block));
}

namespace {

// A decided practice of one institution, for its decision letter.
struct Decided {
  const PracticeInfo* practice;
  std::string outcome, reason;
  bool notified;
};

// The decisions as the letter lists them ({items}), one snippet each with its reason where the
// outcome needs one or the experts gave one.
std::string decision_items(const mail::MailPart& templates, const timeline::Agenda& agenda, const ReviewPart& part,
                           const std::vector<Decided>& decided) {
  auto snippet = [&](const std::string& id, const std::string& fallback) {
    auto it = templates.snippets.find(id);
    return it == templates.snippets.end() ? fallback : it->second;
  };
  std::string items;
  for (const auto& d : decided) {
    const auto* section = agenda.find_section(d.practice->section);
    auto title = part.outcome_titles.find(d.outcome);
    std::map<std::string, std::string> values = {
        {"title", d.practice->title},
        {"section", std::to_string(d.practice->section)},
        {"section_title", section ? section->title : ""},
        {"outcome", title == part.outcome_titles.end() ? std::string() : title->second},
        {"reason", d.reason}};
    items += mail::fill(snippet("decision_item", "— «{title}» (секция {section}): {outcome}."), values);
    if (part.needs_reason(d.outcome) || !d.reason.empty())
      items += mail::fill(snippet("decision_reason", "\n  Причина: {reason}"), values);
    items += "\n";
  }
  return items;
}

// The institution's letter: to its organisation's address and every owner's, keyed by the
// institution and the letter's text, so a repeated "send" queues nothing new.
mail::Message decision_letter(const mail::Template& tmpl, std::string_view event_id, const std::string& key,
                              const std::vector<Decided>& decided, const std::map<std::string, std::string>& values) {
  std::set<std::string> recipients;
  for (const auto& d : decided) {
    if (d.practice->organisation_email.find('@') != std::string::npos)
      recipients.insert(lower_ascii(d.practice->organisation_email));
    recipients.insert(d.practice->owner_email);
  }
  mail::Message m;
  m.event_id = std::string(event_id);
  m.recipients.assign(recipients.begin(), recipients.end());
  m.subject = mail::fill(tmpl.subject, values);
  m.body = mail::fill(tmpl.body, values);
  std::string recipient_list;
  for (const auto& r : m.recipients) recipient_list += r + ",";
  m.idempotency_key = "decision_notice:" + std::string(event_id) + ":" + digest(key) + ":" +
                      digest(m.subject + "\n" + m.body + "\n" + recipient_list);
  return m;
}

// The decided practices by institution (the owner's own key when none is known), and how many
// are still undecided.
Result<std::map<std::string, std::vector<Decided>>> decided_by_institution(store::Tx& tx,
                                                                            const std::vector<PracticeInfo>& practices,
                                                                            std::int64_t& undecided) {
  std::map<std::string, std::vector<Decided>> by_institution;
  for (const auto& p : practices) {
    auto o = intake::outcome_of(tx, p.id);
    if (!o) return o.status();
    if (!*o) {
      ++undecided;
      continue;
    }
    std::string key = p.institution_key.empty() ? "author:" + std::to_string(p.owner_id) : p.institution_key;
    by_institution[key].push_back({&p, (*o)->outcome, (*o)->reason, (*o)->notified_at.has_value()});
  }
  return by_institution;
}

// The letters would tell what the cabinet still holds back (the contest's publication instant).
Status outcomes_public(const intake::EventView& ev, const ReviewPart& part, TimePoint now) {
  if (part.outcomes_public_from.empty() || ev.timeline->reached(part.outcomes_public_from, now)) return Status::ok();
  return Status::conflict("outcomes_not_public",
                          "Решения ещё не объявлены: письма учреждениям отправляются с наступлением этапа «" +
                              ev.agenda->find_milestone(part.outcomes_public_from)->title + "».")
      .with_details({{"milestone", part.outcomes_public_from},
                     {"at", ev.timeline->format(*ev.timeline->milestone_at(part.outcomes_public_from))}});
}

}  // namespace

Result<Notifications> ReviewService::send_notifications(const accounts::User& organiser, std::string_view event_id) {
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
  ReviewPart part = review_part(*ev);
  auto now = clock_.now();
  if (auto s = outcomes_public(*ev, part, now); !s) return s;
  Notifications out;
  auto s = db_.transaction([&](store::Tx& tx) -> Status {
    auto practices = load_practices(tx, *ev, false);
    if (!practices) return practices.status();
    auto by_institution = decided_by_institution(tx, *practices, out.undecided);
    if (!by_institution) return by_institution.status();
    for (const auto& [key, decided] : *by_institution) {
      // Only institutions with a decision not yet told; the letter lists all their decisions.
      if (std::all_of(decided.begin(), decided.end(), [](const Decided& d) { return d.notified; })) continue;
      const std::string institution = decided.front().practice->institution;
      std::map<std::string, std::string> values = {{"institution", institution},
                                                   {"items", decision_items(templates, *ev->agenda, part, decided)},
                                                   {"event_title", ev->agenda->title},
                                                   {"event_title_genitive", ev->agenda->title_genitive},
                                                   {"event_title_prepositional", ev->agenda->title_prepositional}};
      std::vector<std::string> outcomes;
      std::vector<std::int64_t> ids;
      for (const auto& d : decided) {
        outcomes.push_back(d.outcome);
        ids.push_back(d.practice->id);
      }
      for (const auto& [placeholder, block] : letter_blocks_) values[placeholder] = block(event_id, outcomes);
      mail::Message m = decision_letter(tmpl->second, event_id, key, decided, values);
      auto stored = mail::Outbox::enqueue(tx, m, now);
      if (!stored) return stored.status();
      if (*stored) ++out.queued;
      for (const auto& d : decided) {
        if (auto st = intake::mark_notified(tx, d.practice->id, to_ms(now)); !st) return st;
      }
      out.institutions.push_back({institution, m.recipients, std::move(ids), *stored});
    }
    return write_log(tx, event_id, std::nullopt, organiser.id, "notify",
                     {{"institutions", out.institutions.size()}, {"queued", out.queued}}, now);
  });
  if (!s) return s;
  if (out.queued > 0 && mail_queued_) mail_queued_();
  return out;
}

Result<ExpertQueue> ReviewService::queue(const accounts::Identity& who, std::string_view event_id) {
  auto ev = event(event_id);
  if (!ev) return ev.status();
  if (!accounts::has_role(who, event_id, accounts::Role::expert))
    return Status::forbidden("forbidden", "Этот раздел доступен только экспертам мероприятия.");
  ExpertQueue out;
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
      auto r = review_of(tx, p.id, who.user.id, *ev);
      if (!r) return r.status();
      const auto* section = ev->agenda->find_section(p.section);
      out.practices.push_back({{p.id, p.title, p.section, section ? section->title : ""}, std::move(*r)});
    }
    return Status::ok();
  });
  if (!s) return s;
  out.review_open = ev->timeline->is_open("review", clock_.now());
  out.criteria = review_part(*ev).criteria;
  return out;
}

bool ReviewService::may_read_upload(const accounts::Identity* who, std::string_view event_id, std::int64_t owner_id,
                                    std::string_view purpose, std::optional<std::int64_t> practice) {
  if (!who || !intake::shown_to_readers(purpose) || !practice ||
      !accounts::has_role(*who, event_id, accounts::Role::expert))
    return false;
  const std::int64_t id = *practice;
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

Result<ReviewedPractice> ReviewService::practice(const accounts::Identity& who, std::string_view event_id,
                                                 std::int64_t id) {
  auto ev = event(event_id);
  if (!ev) return ev.status();
  bool organiser = accounts::is_organiser(who, event_id);
  ReviewedPractice out;
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto practices = load_practices(tx, *ev, !organiser, id);
    if (!practices) return practices.status();
    if (practices->empty()) return errors::practice_not_found(ev->agenda->words);
    auto assigned = assigned_experts(tx, id);
    if (!assigned) return assigned.status();
    if (!organiser) {
      auto experts = load_experts(tx, event_id);
      if (!experts) return experts.status();
      auto me = experts->find(who.user.id);
      // Others learn nothing, not even that the practice exists.
      if (me == experts->end() || !assigned->count(who.user.id) || conflicted(me->second, practices->front()))
        return errors::practice_not_found(ev->agenda->words);
      auto r = review_of(tx, id, who.user.id, *ev);
      if (!r) return r.status();
      out.review = std::move(*r);
      return Status::ok();
    }
    out.reviews.emplace();
    for (auto expert : *assigned) {
      auto r = review_of(tx, id, expert, *ev);
      if (!r) return r.status();
      out.reviews->push_back({person(tx, expert), std::move(*r)});
    }
    return Status::ok();
  });
  if (!s) return s;
  auto view = intake_.practice_for_review(event_id, id);
  if (!view) return view.status();
  if (!organiser) without_payment(*view);
  out.practice = std::move(*view);
  out.criteria = review_part(*ev).criteria;
  out.review_open = ev->timeline->is_open("review", clock_.now());
  return out;
}

Result<ExpertReview> ReviewService::save_review(const accounts::Identity& who, std::string_view event_id,
                                                std::int64_t id, std::string_view decision, std::string_view reason,
                                                const json& scores) {
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
        return Status::unprocessable("invalid_scores", "Среди оценок есть критерий, которого нет в программе мероприятия.");
      if (it->is_null()) continue;
      if (!it->is_number_integer() || it->get<std::int64_t>() < 0 || it->get<std::int64_t>() > c->max)
        return Status::unprocessable("invalid_scores", "Балл по критерию «" + c->title + "» — целое число от 0 до " +
                                                           std::to_string(c->max) + ".");
      checked_scores[it.key()] = *it;
    }
  }
  ExpertReview out;
  auto s = db_.transaction([&](store::Tx& tx) -> Status {
    auto practices = load_practices(tx, *ev, true, id);
    if (!practices) return practices.status();
    if (practices->empty()) return errors::practice_not_found(ev->agenda->words);
    auto experts = load_experts(tx, event_id);
    if (!experts) return experts.status();
    auto me = experts->find(who.user.id);
    auto assigned = assigned_experts(tx, id);
    if (!assigned) return assigned.status();
    if (me == experts->end() || !assigned->count(who.user.id) || conflicted(me->second, practices->front()))
      return errors::practice_not_found(ev->agenda->words);
    auto previous = review_of(tx, id, who.user.id, *ev);
    if (!previous) return previous.status();
    auto q = tx.prepare(
        "INSERT INTO reviews (practice_id, expert_id, decision, reason, scores, created_at, updated_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) ON CONFLICT (practice_id, expert_id) DO UPDATE SET "
        "decision = excluded.decision, reason = excluded.reason, scores = excluded.scores, updated_at = excluded.updated_at");
    q.bind_int(1, id).bind_int(2, who.user.id).bind_text(3, decision).bind_text(4, reason);
    q.bind_text(5, checked_scores.dump()).bind_int(6, to_ms(now));
    if (auto st = q.run(); !st) return st;
    json detail = {{"decision", decision}, {"reason", reason}, {"scores", checked_scores}};
    if (const auto& was = *previous)
      detail["previous"] = {{"decision", was->decision}, {"reason", was->reason}, {"scores", was->scores}};
    if (auto st = write_log(tx, event_id, id, who.user.id, "review", detail, now); !st) return st;
    auto fresh = review_of(tx, id, who.user.id, *ev);
    if (!fresh) return fresh.status();
    if (!*fresh) return errors::practice_not_found(ev->agenda->words);  // just written: cannot happen
    out = std::move(**fresh);
    return Status::ok();
  });
  if (!s) return s;
  return out;
}

}  // namespace praktika::review
