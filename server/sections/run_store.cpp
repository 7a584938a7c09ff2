#include "sections/run_store.h"

#include "sections/stored.h"
#include "store/db.h"
#include "store/rows.h"

namespace praktika::sections {
namespace {

using nlohmann::json;

// Absent instants are stored as 0, as they always were.
std::int64_t optional_ms(const std::optional<TimePoint>& t) { return t ? to_ms(*t) : 0; }
std::optional<TimePoint> optional_from_ms(std::int64_t ms) {
  return ms ? std::optional<TimePoint>(from_ms(ms)) : std::nullopt;
}

json to_storage(const Run& run) {
  json j = {{"status", to_string(run.status)},
            {"remaining_ms", run.remaining.count()},
            {"queue", slots_to_json(run.queue)},
            {"fired", run.fired},
            {"started_at", optional_ms(run.started_at)},
            {"closed_at", optional_ms(run.closed_at)},
            {"rehearsal", run.rehearsal}};
  j["current"] = run.current ? json{{"practice", run.current->practice},
                                    {"seconds", run.current->seconds},
                                    {"started_at", to_ms(run.current->started_at)},
                                    {"ends_at", to_ms(run.current->ends_at)}}
                             : json();
  j["done"] = json::array();
  for (const auto& d : run.done)
    j["done"].push_back({{"practice", d.practice},
                         {"outcome", to_string(d.outcome)},
                         {"started_at", optional_ms(d.started_at)},
                         {"ended_at", to_ms(d.ended_at)}});
  return j;
}

Run from_storage(const json& j, std::int64_t version) {
  Run r;
  r.version = version;
  if (!j.is_object()) return r;
  r.status = run_status_from(j.value("status", "waiting"));
  r.remaining = Millis(j.value("remaining_ms", std::int64_t{0}));
  r.queue = slots_from_json(j.value("queue", json::array()));
  r.fired = j.value("fired", std::vector<std::string>{});
  r.started_at = optional_from_ms(j.value("started_at", std::int64_t{0}));
  r.closed_at = optional_from_ms(j.value("closed_at", std::int64_t{0}));
  r.rehearsal = j.value("rehearsal", false);
  if (auto c = j.find("current"); c != j.end() && c->is_object())
    r.current = Run::Current{c->value("practice", std::int64_t{0}), c->value("seconds", 0),
                             from_ms(c->value("started_at", std::int64_t{0})),
                             from_ms(c->value("ends_at", std::int64_t{0}))};
  for (const auto& d : j.value("done", json::array()))
    r.done.push_back({d.value("practice", std::int64_t{0}),
                      d.value("outcome", "") == "absent" ? Outcome::absent : Outcome::presented,
                      optional_from_ms(d.value("started_at", std::int64_t{0})),
                      from_ms(d.value("ended_at", std::int64_t{0}))});
  return r;
}

}  // namespace

Result<Run> load_run(store::Tx& tx, std::string_view event, int section) {
  auto q = tx.prepare("SELECT state, version FROM section_runs WHERE event_id = ?1 AND section = ?2");
  q.bind_text(1, event).bind_int(2, section);
  auto row = q.step();
  if (!row) return row.status();
  if (!*row) return Run{};
  return from_storage(json::parse(q.text(0), nullptr, false), q.int64(1));
}

Status save_run(store::Tx& tx, std::string_view event, int section, const Run& run, TimePoint now) {
  return tx
      .prepare(
          "INSERT INTO section_runs (event_id, section, state, version, updated_at) VALUES (?1, ?2, ?3, ?4, ?5) "
          "ON CONFLICT (event_id, section) DO UPDATE SET state = excluded.state, version = excluded.version, "
          "updated_at = excluded.updated_at")
      .bind_text(1, event)
      .bind_int(2, section)
      .bind_text(3, to_storage(run).dump())
      .bind_int(4, run.version)
      .bind_int(5, to_ms(now))
      .run();
}

Result<std::vector<std::pair<std::string, int>>> stored_runs(store::Tx& tx) {
  std::vector<std::pair<std::string, int>> out;
  auto q = tx.prepare("SELECT event_id, section FROM section_runs");
  if (auto s = store::each_row(q, [&]() -> Status {
    out.emplace_back(q.text(0), static_cast<int>(q.int64(1)));
    return Status::ok();
  }); !s) return s;
  return out;
}

}  // namespace praktika::sections
