#include "sections/floor_store.h"

#include "accounts/accounts.h"
#include "sections/stored.h"
#include "store/db.h"
#include "store/rows.h"

namespace praktika::sections {
namespace {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace

// ?1 is always the event and ?2 the section; `args` are ?3 on.
store::Stmt FloorStore::prepare(const char* sql, std::initializer_list<std::int64_t> args) {
  auto q = tx_.prepare(sql);
  q.bind_text(1, event_).bind_int(2, section_);
  int index = 3;
  for (auto arg : args) q.bind_int(index++, arg);
  return q;
}

Status FloorStore::run(const char* sql, std::initializer_list<std::int64_t> args) { return prepare(sql, args).run(); }

Result<bool> FloorStore::any(const char* sql, std::initializer_list<std::int64_t> args) {
  auto q = prepare(sql, args);
  auto row = q.step();
  if (!row) return row.status();
  return *row;
}

// The named question's status, whether it is hidden, and its flags, when it is in this section.
Status FloorStore::question_facts(std::optional<std::int64_t> id, FloorFacts& f) {
  if (!id) return Status::ok();
  auto q = prepare("SELECT status, hidden_at IS NOT NULL, flags FROM section_questions WHERE event_id = ?1 AND "
                   "section = ?2 AND id = ?3",
                   {*id});
  auto row = q.step();
  if (!row) return row.status();
  if (!*row) return Status::ok();
  f.question = question_status_from(q.text(0));
  f.hidden = q.int64(1) != 0;
  f.flags = q.int64(2);
  return Status::ok();
}

Result<std::optional<bool>> FloorStore::premoderation() {
  auto q = prepare("SELECT premoderation FROM section_floor_settings WHERE event_id = ?1 AND section = ?2", {});
  auto row = q.step();
  if (!row) return row.status();
  if (!*row) return std::optional<bool>();
  return std::optional<bool>(q.int64(0) != 0);
}

Result<std::optional<std::int64_t>> FloorStore::raised_hand(std::optional<std::int64_t> named) {
  auto q = tx_.prepare(named ? "SELECT id FROM section_hands WHERE event_id = ?1 AND section = ?2 AND "
                               "status = 'raised' AND id = ?3"
                             : "SELECT id FROM section_hands WHERE event_id = ?1 AND section = ?2 AND "
                               "status = 'raised' ORDER BY id LIMIT 1");
  q.bind_text(1, event_).bind_int(2, section_);
  if (named) q.bind_int(3, *named);
  auto row = q.step();
  if (!row) return row.status();
  if (!*row) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(q.int64(0));
}

Result<FloorFacts> FloorStore::facts(const FloorAction& action, std::int64_t user) {
  FloorFacts f;
  auto own_hand = [&]() -> Status {
    auto q = prepare(
        "SELECT status FROM section_hands WHERE event_id = ?1 AND section = ?2 AND user_id = ?3 AND "
        "status IN ('raised', 'speaking') ORDER BY status = 'raised' DESC, id LIMIT 1",
        {user});
    auto row = q.step();
    if (!row) return row.status();
    if (*row) f.own_hand = hand_status_from(q.text(0));
    return Status::ok();
  };
  // The question's facts, and whether the caller already has a row in `table` for it (a vote, a flag).
  auto question_and_own = [&](std::optional<std::int64_t> id, const char* sql, bool& own) -> Status {
    if (auto st = question_facts(id, f); !st || !id || !f.question) return st;
    auto found = any(sql, {*id, user});
    if (!found) return found.status();
    own = *found;
    return Status::ok();
  };
  Status s = std::visit(
      Overloaded{
          [&](const floor_action::Hand&) { return own_hand(); },
          [&](const floor_action::Lower&) { return own_hand(); },
          [&](const floor_action::Ask&) -> Status {
            auto switched = premoderation();
            if (!switched) return switched.status();
            f.premoderation = *switched;
            return Status::ok();
          },
          [&](const floor_action::Vote& a) {
            return question_and_own(a.question,
                                    "SELECT 1 FROM section_question_votes v JOIN section_questions q ON q.id = "
                                    "v.question_id WHERE q.event_id = ?1 AND q.section = ?2 AND v.question_id = ?3 "
                                    "AND v.user_id = ?4",
                                    f.voted);
          },
          [&](const floor_action::Flag& a) {
            return question_and_own(a.question,
                                    "SELECT 1 FROM section_question_flags v JOIN section_questions q ON q.id = "
                                    "v.question_id WHERE q.event_id = ?1 AND q.section = ?2 AND v.question_id = ?3 "
                                    "AND v.user_id = ?4",
                                    f.flagged);
          },
          [&](const floor_action::Decide& a) { return question_facts(a.question, f); },
          [&](const floor_action::Hide& a) { return question_facts(a.question, f); },
          [&](const floor_action::Show& a) { return question_facts(a.question, f); },
          [&](const floor_action::Premoderate&) { return Status::ok(); },
          [&](const floor_action::Give& a) -> Status {
            auto hand = raised_hand(a.hand);
            if (!hand) return hand.status();
            f.raised = *hand;
            return Status::ok();
          },
          [&](const floor_action::Done&) -> Status {
            auto speaking = any("SELECT 1 FROM section_hands WHERE event_id = ?1 AND section = ?2 AND status = 'speaking'", {});
            if (!speaking) return speaking.status();
            f.speaking = *speaking;
            return Status::ok();
          },
      },
      action);
  if (!s) return s;
  return f;
}

// One change each; the id made (or given the floor), else 0.
struct FloorStore::Writer {
  FloorStore& store;
  std::int64_t at;
  using Out = Result<std::int64_t>;

  Out made(Status st) const {
    if (!st) return st;
    return store.tx_.last_insert_id();
  }
  static Out done(Status st) {
    if (!st) return st;
    return std::int64_t{0};
  }
  Out operator()(const floor_change::RaiseHand& c) const {
    return made(store.run("INSERT INTO section_hands (event_id, section, user_id, status, raised_at) "
                          "VALUES (?1, ?2, ?3, 'raised', ?4)",
                          {c.user, at}));
  }
  Out operator()(const floor_change::LowerHand& c) const {
    return done(store.run("UPDATE section_hands SET status = 'lowered', ended_at = ?4 WHERE event_id = ?1 AND "
                          "section = ?2 AND user_id = ?3 AND status = 'raised'",
                          {c.user, at}));
  }
  Out operator()(const floor_change::AddQuestion& c) const {
    // A question shown at once (pre-approval off) counts as decided when asked.
    auto q = store.tx_.prepare(
        "INSERT INTO section_questions (event_id, section, user_id, text, status, asked_at, decided_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    q.bind_text(1, store.event_).bind_int(2, store.section_).bind_int(3, c.user).bind_text(4, c.text);
    q.bind_text(5, to_string(c.status)).bind_int(6, at);
    q.bind_int(7, c.status == QuestionStatus::pending ? std::nullopt : std::optional<std::int64_t>(at));
    return made(q.run());
  }
  // A person's vote or flag: its row (?1 question, ?2 user, ?3 instant), then the count kept beside.
  Out mark(const char* insert, const char* count, std::int64_t question, std::int64_t user) const {
    if (auto st = store.tx_.prepare(insert).bind_int(1, question).bind_int(2, user).bind_int(3, at).run(); !st)
      return done(st);
    return done(store.tx_.prepare(count).bind_int(1, question).run());
  }
  Out operator()(const floor_change::AddVote& c) const {
    return mark("INSERT INTO section_question_votes (question_id, user_id, voted_at) VALUES (?1, ?2, ?3)",
                "UPDATE section_questions SET votes = votes + 1 WHERE id = ?1", c.question, c.user);
  }
  Out operator()(const floor_change::AddFlag& c) const {
    return mark("INSERT INTO section_question_flags (question_id, user_id, flagged_at) VALUES (?1, ?2, ?3)",
                "UPDATE section_questions SET flags = flags + 1 WHERE id = ?1", c.question, c.user);
  }
  Out operator()(const floor_change::SetQuestion& c) const {
    return done(store.tx_.prepare("UPDATE section_questions SET status = ?2, decided_at = ?3 WHERE id = ?1")
                    .bind_int(1, c.question)
                    .bind_text(2, to_string(c.to))
                    .bind_int(3, at)
                    .run());
  }
  Out operator()(const floor_change::HideQuestion& c) const {
    return done(
        store.tx_.prepare("UPDATE section_questions SET hidden_at = ?2 WHERE id = ?1").bind_int(1, c.question).bind_int(2, at).run());
  }
  Out operator()(const floor_change::ShowQuestion& c) const {
    // The flag count is cleared, not the flag rows: nobody flags the same question twice.
    return done(
        store.tx_.prepare("UPDATE section_questions SET hidden_at = NULL, flags = 0 WHERE id = ?1").bind_int(1, c.question).run());
  }
  Out operator()(const floor_change::SetPremoderation& c) const {
    return done(store.run("INSERT INTO section_floor_settings (event_id, section, premoderation, changed_by, changed_at) "
                          "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (event_id, section) DO UPDATE SET "
                          "premoderation = excluded.premoderation, changed_by = excluded.changed_by, "
                          "changed_at = excluded.changed_at",
                          {c.on ? 1 : 0, c.user, at}));
  }
  Out operator()(const floor_change::EndSpeaking&) const {
    return done(store.run("UPDATE section_hands SET status = 'spoken', ended_at = ?3 WHERE event_id = ?1 AND "
                          "section = ?2 AND status = 'speaking'",
                          {at}));
  }
  Out operator()(const floor_change::Speak& c) const {
    auto st = store.tx_.prepare("UPDATE section_hands SET status = 'speaking' WHERE id = ?1").bind_int(1, c.hand).run();
    if (!st) return st;
    return c.hand;
  }
};

Result<std::int64_t> FloorStore::write(const FloorChange& change, TimePoint now) {
  return std::visit(Writer{*this, to_ms(now)}, change);
}

Status FloorStore::read_hands(FloorRows& out) {
  auto h = tx_.prepare(
      "SELECT h.id, h.user_id, h.status, h.raised_at FROM section_hands h WHERE h.event_id = ?1 AND h.section = ?2 AND h.status IN ('raised', 'speaking') ORDER BY h.id");
  h.bind_text(1, event_).bind_int(2, section_);
  auto s = store::each_row(h, [&]() -> Status {
    out.hands.push_back({h.int64(0), h.int64(1), {}, hand_status_from(h.text(2)).value_or(HandStatus::raised),
                         from_ms(h.int64(3))});
    return Status::ok();
  });
  if (!s) return s;
  return accounts::fill_from_users(tx_, out.hands, [](const HandRow& r) { return r.user; },
                                   [](HandRow& r, const accounts::User& u) { r.name = u.full_name; });
}

Status FloorStore::read_questions(bool for_moderators, FloorRows& out) {
  auto q = tx_.prepare(
      std::string("SELECT q.id, q.user_id, q.text, q.status, q.votes, q.asked_at, "
                  "q.hidden_at IS NOT NULL, q.flags FROM section_questions q WHERE q.event_id = ?1 AND q.section = ?2 AND ") +
      (for_moderators ? "q.status IN ('pending', 'approved') ORDER BY q.flags > 0 DESC, q.flags DESC, "
                      : "q.status = 'approved' AND q.hidden_at IS NULL ORDER BY ") +
      "q.votes DESC, q.asked_at, q.id");
  q.bind_text(1, event_).bind_int(2, section_);
  auto s = store::each_row(q, [&]() -> Status {
    out.questions.push_back({q.int64(0), q.int64(1), {}, q.text(2),
                             question_status_from(q.text(3)).value_or(QuestionStatus::pending), q.int64(4),
                             from_ms(q.int64(5)), q.int64(6) != 0, q.int64(7)});
    return Status::ok();
  });
  if (!s) return s;
  return accounts::fill_from_users(tx_, out.questions, [](const QuestionRow& r) { return r.user; },
                                   [](QuestionRow& r, const accounts::User& u) { r.name = u.full_name; });
}

Result<FloorRows> FloorStore::read(bool for_moderators) {
  FloorRows out;
  if (auto s = read_hands(out); !s) return s;
  if (auto s = read_questions(for_moderators, out); !s) return s;
  auto switched = premoderation();
  if (!switched) return switched.status();
  out.premoderation = *switched;
  return out;
}

Status FloorStore::drop_before(TimePoint t) {
  for (const char* sql :
       {"DELETE FROM section_question_flags WHERE question_id IN (SELECT id FROM section_questions WHERE "
        "event_id = ?1 AND section = ?2 AND asked_at < ?3)",
        "DELETE FROM section_question_votes WHERE question_id IN (SELECT id FROM section_questions WHERE "
        "event_id = ?1 AND section = ?2 AND asked_at < ?3)",
        "DELETE FROM section_questions WHERE event_id = ?1 AND section = ?2 AND asked_at < ?3",
        "DELETE FROM section_hands WHERE event_id = ?1 AND section = ?2 AND raised_at < ?3"})
    if (auto st = run(sql, {to_ms(t)}); !st) return st;
  return Status::ok();
}

}  // namespace praktika::sections
