#include "sections/floor_store.h"

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

Result<std::optional<QuestionStatus>> FloorStore::question_status(std::int64_t id) {
  auto q = prepare("SELECT status FROM section_questions WHERE event_id = ?1 AND section = ?2 AND id = ?3", {id});
  auto row = q.step();
  if (!row) return row.status();
  if (!*row) return std::optional<QuestionStatus>();
  return question_status_from(q.text(0));
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
  auto question = [&](std::optional<std::int64_t> id) -> Status {
    if (!id) return Status::ok();
    auto status = question_status(*id);
    if (!status) return status.status();
    f.question = *status;
    return Status::ok();
  };
  Status s = std::visit(
      Overloaded{
          [&](const floor_action::Hand&) { return own_hand(); },
          [&](const floor_action::Lower&) { return own_hand(); },
          [&](const floor_action::Ask&) { return Status::ok(); },
          [&](const floor_action::Vote& a) -> Status {
            if (auto st = question(a.question); !st || !a.question) return st;
            auto voted = any(
                "SELECT 1 FROM section_question_votes v JOIN section_questions q ON q.id = v.question_id WHERE "
                "q.event_id = ?1 AND q.section = ?2 AND v.question_id = ?3 AND v.user_id = ?4",
                {*a.question, user});
            if (!voted) return voted.status();
            f.voted = *voted;
            return Status::ok();
          },
          [&](const floor_action::Decide& a) { return question(a.question); },
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

Result<std::int64_t> FloorStore::write(const FloorChange& change, TimePoint now) {
  const std::int64_t at = to_ms(now);
  auto made = [&](Status st) -> Result<std::int64_t> {
    if (!st) return st;
    return tx_.last_insert_id();
  };
  auto done = [](Status st) -> Result<std::int64_t> {
    if (!st) return st;
    return std::int64_t{0};
  };
  return std::visit(
      Overloaded{
          [&](const floor_change::RaiseHand& c) {
            return made(run("INSERT INTO section_hands (event_id, section, user_id, status, raised_at) "
                            "VALUES (?1, ?2, ?3, 'raised', ?4)",
                            {c.user, at}));
          },
          [&](const floor_change::LowerHand& c) {
            return done(run("UPDATE section_hands SET status = 'lowered', ended_at = ?4 WHERE event_id = ?1 AND "
                            "section = ?2 AND user_id = ?3 AND status = 'raised'",
                            {c.user, at}));
          },
          [&](const floor_change::AddQuestion& c) {
            auto q = tx_.prepare(
                "INSERT INTO section_questions (event_id, section, user_id, text, status, asked_at) "
                "VALUES (?1, ?2, ?3, ?4, 'pending', ?5)");
            q.bind_text(1, event_).bind_int(2, section_).bind_int(3, c.user).bind_text(4, c.text).bind_int(5, at);
            return made(q.run());
          },
          [&](const floor_change::AddVote& c) {
            auto vote = tx_.prepare("INSERT INTO section_question_votes (question_id, user_id, voted_at) VALUES (?1, ?2, ?3)");
            if (auto st = vote.bind_int(1, c.question).bind_int(2, c.user).bind_int(3, at).run(); !st) return done(st);
            return done(tx_.prepare("UPDATE section_questions SET votes = votes + 1 WHERE id = ?1").bind_int(1, c.question).run());
          },
          [&](const floor_change::SetQuestion& c) {
            return done(tx_.prepare("UPDATE section_questions SET status = ?2, decided_at = ?3 WHERE id = ?1")
                            .bind_int(1, c.question)
                            .bind_text(2, to_string(c.to))
                            .bind_int(3, at)
                            .run());
          },
          [&](const floor_change::EndSpeaking&) {
            return done(run("UPDATE section_hands SET status = 'spoken', ended_at = ?3 WHERE event_id = ?1 AND "
                            "section = ?2 AND status = 'speaking'",
                            {at}));
          },
          [&](const floor_change::Speak& c) -> Result<std::int64_t> {
            auto st = tx_.prepare("UPDATE section_hands SET status = 'speaking' WHERE id = ?1").bind_int(1, c.hand).run();
            if (!st) return st;
            return c.hand;
          },
      },
      change);
}

Result<FloorRows> FloorStore::read(bool with_pending) {
  FloorRows out;
  auto h = tx_.prepare(
      "SELECT h.id, h.user_id, u.full_name, h.status, h.raised_at FROM section_hands h JOIN users u ON u.id = h.user_id "
      "WHERE h.event_id = ?1 AND h.section = ?2 AND h.status IN ('raised', 'speaking') ORDER BY h.id");
  h.bind_text(1, event_).bind_int(2, section_);
  if (auto s = store::each_row(h, [&]() -> Status {
    out.hands.push_back({h.int64(0), h.int64(1), h.text(2), hand_status_from(h.text(3)).value_or(HandStatus::raised),
                         from_ms(h.int64(4))});
    return Status::ok();
  }); !s) return s;
  auto q = tx_.prepare(
      std::string("SELECT q.id, q.user_id, u.full_name, q.text, q.status, q.votes, q.asked_at FROM section_questions q "
                  "JOIN users u ON u.id = q.user_id WHERE q.event_id = ?1 AND q.section = ?2 AND q.status IN (") +
      (with_pending ? "'pending', 'approved'" : "'approved'") + ") ORDER BY q.votes DESC, q.asked_at, q.id");
  q.bind_text(1, event_).bind_int(2, section_);
  if (auto s = store::each_row(q, [&]() -> Status {
    out.questions.push_back({q.int64(0), q.int64(1), q.text(2), q.text(3),
                             question_status_from(q.text(4)).value_or(QuestionStatus::pending), q.int64(5),
                             from_ms(q.int64(6))});
    return Status::ok();
  }); !s) return s;
  return out;
}

Status FloorStore::drop_before(TimePoint t) {
  for (const char* sql :
       {"DELETE FROM section_question_votes WHERE question_id IN (SELECT id FROM section_questions WHERE "
        "event_id = ?1 AND section = ?2 AND asked_at < ?3)",
        "DELETE FROM section_questions WHERE event_id = ?1 AND section = ?2 AND asked_at < ?3",
        "DELETE FROM section_hands WHERE event_id = ?1 AND section = ?2 AND raised_at < ?3"})
    if (auto st = run(sql, {to_ms(t)}); !st) return st;
  return Status::ok();
}

}  // namespace praktika::sections
