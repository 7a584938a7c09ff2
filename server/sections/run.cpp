#include "sections/run.h"

#include <algorithm>

namespace praktika::sections {
namespace {

Status not_started() { return Status::conflict("not_started", "Секция ещё не начата."); }
Status section_closed() { return Status::conflict("section_closed", "Секция уже закрыта."); }
Status no_presenter() { return Status::conflict("no_presenter", "Сейчас никто не выступает."); }

Status unless_running(const Run& run) {
  switch (run.status) {
    case RunStatus::waiting: return not_started();
    case RunStatus::closed: return section_closed();
    case RunStatus::paused: return Status::conflict("section_paused", "Секция на паузе: сначала продолжите.");
    case RunStatus::running: return Status::ok();
  }
  return Status::ok();
}

void finish_current(Run& run, Outcome outcome, TimePoint now) {
  if (!run.current) return;
  run.done.push_back({run.current->practice, outcome, run.current->started_at, now});
  run.current.reset();
  run.fired.clear();
}

void call_next(Run& run, TimePoint now) {
  if (run.queue.empty()) return;
  Slot slot = run.queue.front();
  run.queue.erase(run.queue.begin());
  run.current = Run::Current{slot.practice, slot.seconds, now, now + std::chrono::seconds(slot.seconds)};
  run.fired.clear();
}

// One operator per action: changes `run` (apply's copy) in place, or refuses.
struct Step {
  Run& run;
  TimePoint now;
  const Settings& settings;
  bool drop_rehearsal_floor = false;

  Status operator()(const run_action::Start& a) {
    if (run.status != RunStatus::waiting) return Status::conflict("already_started", "Секция уже начата.");
    if (!a.published)
      return Status::conflict("schedule_not_published", "Порядок выступлений секции ещё не опубликован.");
    run.queue = *a.published;
    run.status = RunStatus::running;
    run.started_at = now;
    run.rehearsal = settings.window && now < settings.window->opens;
    return Status::ok();
  }

  Status operator()(const run_action::Next&) {
    if (auto st = unless_running(run); !st) return st;
    if (!run.current && run.queue.empty()) return Status::conflict("queue_empty", "Все выступающие уже вызваны.");
    finish_current(run, Outcome::presented, now);
    call_next(run, now);
    return Status::ok();
  }

  Status operator()(const run_action::Absent& a) {
    if (auto st = unless_running(run); !st) return st;
    if (a.practice && !(run.current && run.current->practice == *a.practice)) {
      auto it = std::find_if(run.queue.begin(), run.queue.end(), [&](const Slot& s) { return s.practice == *a.practice; });
      if (it == run.queue.end())
        return Status::unprocessable("not_in_queue", "Этого выступающего нет среди ожидающих.");
      run.done.push_back({it->practice, Outcome::absent, std::nullopt, now});
      run.queue.erase(it);
      return Status::ok();
    }
    if (!run.current) return no_presenter();
    finish_current(run, Outcome::absent, now);
    call_next(run, now);
    return Status::ok();
  }

  Status operator()(const run_action::Extend& a) {
    if (run.status != RunStatus::paused)
      if (auto st = unless_running(run); !st) return st;
    if (!run.current) return no_presenter();
    if (!a.seconds || *a.seconds == 0 || *a.seconds < -3600 || *a.seconds > 3600)
      return Status::unprocessable("invalid_seconds", "Укажите, на сколько секунд продлить или сократить выступление.");
    const std::chrono::seconds by(*a.seconds);
    if (run.status == RunStatus::paused) {
      run.remaining = std::max<Millis>(Millis::zero(), run.remaining + by);
    } else {
      auto& current = *run.current;
      // A cut never ends the slot before now; an overrun slot that is cut stays where it ended.
      TimePoint ends = current.ends_at + by;
      if (by < std::chrono::seconds::zero()) ends = std::max(ends, std::min(current.ends_at, now));
      current.ends_at = ends;
      // Timer events whose instant moved into the future are due again.
      auto events = timer_events(current.started_at, current.ends_at, settings);
      std::erase_if(run.fired, [&](const std::string& key) {
        return std::any_of(events.begin(), events.end(), [&](const TimerEvent& e) { return e.key == key && e.at > now; });
      });
    }
    run.current->seconds = static_cast<int>(std::max<std::int64_t>(0, run.current->seconds + *a.seconds));
    return Status::ok();
  }

  Status operator()(const run_action::Reorder& a) {
    if (run.status == RunStatus::closed) return section_closed();
    std::vector<std::int64_t> have;
    for (const auto& s : run.queue) have.push_back(s.practice);
    auto wanted = a.order.value_or(std::vector<std::int64_t>{});
    std::sort(have.begin(), have.end());
    std::sort(wanted.begin(), wanted.end());
    if (!a.order || wanted != have)
      return Status::unprocessable("invalid_order", "Новый порядок должен содержать ровно тех, кто ещё не выступил.");
    std::vector<Slot> queue;
    for (auto id : *a.order)
      queue.push_back(*std::find_if(run.queue.begin(), run.queue.end(), [&](const Slot& s) { return s.practice == id; }));
    run.queue = std::move(queue);
    return Status::ok();
  }

  Status operator()(const run_action::Pause&) {
    if (auto st = unless_running(run); !st) return st;
    run.status = RunStatus::paused;
    if (run.current) run.remaining = run.current->ends_at - now;
    return Status::ok();
  }

  Status operator()(const run_action::Resume&) {
    if (run.status != RunStatus::paused) return Status::conflict("not_paused", "Секция не на паузе.");
    run.status = RunStatus::running;
    if (run.current) run.current->ends_at = now + run.remaining;
    run.remaining = Millis::zero();
    return Status::ok();
  }

  Status operator()(const run_action::Close&) {
    if (run.status == RunStatus::waiting) return not_started();
    if (run.status == RunStatus::closed) return section_closed();
    finish_current(run, Outcome::presented, now);
    run.status = RunStatus::closed;
    run.closed_at = now;
    return Status::ok();
  }

  Status operator()(const run_action::Reset&) {
    if (!run.rehearsal)
      return Status::conflict("not_rehearsal", "Сбросить можно только репетицию, а не настоящую работу секции.");
    Run fresh;
    fresh.version = run.version;  // keeps growing: clients keep the highest version they saw
    run = std::move(fresh);
    drop_rehearsal_floor = true;
    return Status::ok();
  }
};

}  // namespace

std::string_view to_string(RunStatus status) {
  switch (status) {
    case RunStatus::waiting: return "waiting";
    case RunStatus::running: return "running";
    case RunStatus::paused: return "paused";
    case RunStatus::closed: return "closed";
  }
  return "waiting";
}

RunStatus run_status_from(std::string_view text) {
  for (auto s : {RunStatus::running, RunStatus::paused, RunStatus::closed})
    if (text == to_string(s)) return s;
  return RunStatus::waiting;
}

std::string_view to_string(Outcome outcome) { return outcome == Outcome::absent ? "absent" : "presented"; }

Result<Transition> apply(const Run& run, const RunAction& action, TimePoint now, const Settings& settings) {
  Transition t{run};
  Step step{t.run, now, settings};
  if (auto st = std::visit(step, action); !st) return st;
  t.drop_rehearsal_floor = step.drop_rehearsal_floor;
  ++t.run.version;
  return t;
}

Fired fire_due(const Run& run, TimePoint now, const Settings& settings) {
  Fired out{run};
  if (run.status != RunStatus::running || !run.current) return out;
  Run& r = out.run;
  for (const auto& e : timer_events(run.current->started_at, run.current->ends_at, settings)) {
    // A timer that woke a hair early fires nothing and is armed again for the same instant.
    if (e.at > now || std::find(r.fired.begin(), r.fired.end(), e.key) != r.fired.end()) continue;
    r.fired.push_back(e.key);
    out.due.push_back({e, ++r.version});
  }
  return out;
}

std::optional<TimePoint> next_timer(const Run& run, const Settings& settings) {
  if (run.status != RunStatus::running || !run.current) return std::nullopt;
  for (const auto& e : timer_events(run.current->started_at, run.current->ends_at, settings))
    if (std::find(run.fired.begin(), run.fired.end(), e.key) == run.fired.end()) return e.at;
  return std::nullopt;
}

}  // namespace praktika::sections
