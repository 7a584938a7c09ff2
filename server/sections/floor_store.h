// The rows of the floor: section_hands, section_questions, section_question_votes
// (store/migrations/010_sections.sql), section_question_flags and section_floor_settings (026). Reads the facts an action depends on (floor.h), writes the
// changes it makes, lists the floor to show. One store per section, inside the caller's transaction.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "sections/floor.h"

namespace praktika::store {
class Stmt;
class Tx;
}

namespace praktika::sections {

struct HandRow {
  std::int64_t id = 0;
  std::int64_t user = 0;
  std::string name;
  HandStatus status = HandStatus::raised;
  TimePoint raised_at{};
};

struct QuestionRow {
  std::int64_t id = 0;
  std::int64_t user = 0;
  std::string name;
  std::string text;
  QuestionStatus status = QuestionStatus::pending;
  std::int64_t votes = 0;
  TimePoint asked_at{};
  bool hidden = false;     // hidden from the audience (only moderators read hidden ones)
  std::int64_t flags = 0;  // flags not yet decided on by a moderator
};

struct FloorRows {
  std::vector<HandRow> hands;          // raised or speaking, in raise order
  std::vector<QuestionRow> questions;  // by votes, then asking order (moderators: flagged ones first)
  std::optional<bool> premoderation;   // the section's switch, empty when never switched
};

class FloorStore {
 public:
  FloorStore(store::Tx& tx, std::string_view event, int section) : tx_(tx), event_(event), section_(section) {}

  // What `action` by `user` depends on; only the facts it needs are read.
  Result<FloorFacts> facts(const FloorAction& action, std::int64_t user);
  // Writes one change stamped `now`: the id of the hand or question it made or gave the floor to, else 0.
  Result<std::int64_t> write(const FloorChange& change, TimePoint now);
  // The open hands and the questions shown: approved ones not hidden; for moderators also the
  // pending and the hidden ones, flagged ones first.
  Result<FloorRows> read(bool for_moderators);
  // Removes the hands and questions (with their votes and flags) raised or asked before `t`.
  Status drop_before(TimePoint t);

 private:
  struct Writer;  // one write per kind of change (floor_store.cpp)
  Status question_facts(std::optional<std::int64_t> id, FloorFacts& f);
  Result<std::optional<bool>> premoderation();
  Status read_hands(FloorRows& out);
  Status read_questions(bool for_moderators, FloorRows& out);
  Result<std::optional<std::int64_t>> raised_hand(std::optional<std::int64_t> named);
  store::Stmt prepare(const char* sql, std::initializer_list<std::int64_t> args);
  Status run(const char* sql, std::initializer_list<std::int64_t> args);
  Result<bool> any(const char* sql, std::initializer_list<std::int64_t> args);

  store::Tx& tx_;
  std::string_view event_;
  int section_;
};

}  // namespace praktika::sections
