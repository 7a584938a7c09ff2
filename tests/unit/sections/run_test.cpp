#include "sections/run.h"

#include <gtest/gtest.h>

namespace praktika::sections {
namespace {

using namespace std::chrono_literals;
using namespace run_action;
// gtest's Test::Run would hide the name inside a test.
using SectionRun = praktika::sections::Run;

// The section day's window opens at 09:30+08:00 on 8 July 2020; the clock is set, never read.
const TimePoint kOpens = *parse_instant("2020-07-08T09:30:00+08:00");
const TimePoint kNow = kOpens + 30min;

Settings settings() {
  Settings s;
  s.window = LiveWindow{kOpens, kOpens + 14h, kOpens - 20h};
  return s;  // warnings 5 and 1 minutes before the end
}

const std::vector<Slot> kOrder = {{11, 600}, {12, 900}, {13, 600}};

SectionRun after(const SectionRun& run, const RunAction& action, TimePoint now = kNow) {
  auto t = apply(run, action, now, settings());
  EXPECT_TRUE(t) << t.status().code();
  return t ? t->run : run;
}

std::string refusal(const SectionRun& run, const RunAction& action, TimePoint now = kNow) {
  auto t = apply(run, action, now, settings());
  return t ? "" : t.status().code();
}

SectionRun started(TimePoint at = kNow) { return after(SectionRun{}, Start{kOrder}, at); }
SectionRun speaking(TimePoint at = kNow) { return after(started(at), Next{}, at); }  // 11 speaks from `at`
SectionRun paused(TimePoint at = kNow) { return after(speaking(at), Pause{}, at + 4min); }
SectionRun closed() { return after(speaking(), Close{}, kNow + 5min); }

// ---- start ---------------------------------------------------------------------------------------

TEST(RunStart, TakesThePublishedOrderAndRunsWithNobodyCalledYet) {
  SectionRun run = started();
  EXPECT_EQ(run.status, RunStatus::running);
  EXPECT_EQ(run.queue, kOrder);
  EXPECT_FALSE(run.current);
  EXPECT_EQ(run.started_at, kNow);
  EXPECT_FALSE(run.rehearsal);
  EXPECT_EQ(run.version, 1);
}

TEST(RunStart, BeforeTheWindowOpensIsARehearsal) {
  EXPECT_TRUE(started(kOpens - 1s).rehearsal);
  EXPECT_FALSE(started(kOpens).rehearsal);
}

TEST(RunStart, WithoutAPublishedOrderIsRefused) {
  EXPECT_EQ(refusal(SectionRun{}, Start{}), "schedule_not_published");
}

TEST(RunStart, IsRefusedOnceStartedPausedOrClosed) {
  EXPECT_EQ(refusal(started(), Start{kOrder}), "already_started");
  EXPECT_EQ(refusal(paused(), Start{kOrder}), "already_started");
  EXPECT_EQ(refusal(closed(), Start{kOrder}), "already_started");
}

// ---- next ----------------------------------------------------------------------------------------

TEST(RunNext, CallsTheFirstWaitingPresenterForTheirSlot) {
  SectionRun run = speaking();
  ASSERT_TRUE(run.current);
  EXPECT_EQ(run.current->practice, 11);
  EXPECT_EQ(run.current->started_at, kNow);
  EXPECT_EQ(run.current->ends_at, kNow + 10min);
  EXPECT_EQ(run.queue, (std::vector<Slot>{{12, 900}, {13, 600}}));
  EXPECT_EQ(run.version, 2);
}

TEST(RunNext, RecordsTheCurrentPresenterAsPresentedUntilNow) {
  SectionRun run = after(speaking(), Next{}, kNow + 9min);
  ASSERT_EQ(run.done.size(), 1u);
  EXPECT_EQ(run.done[0].practice, 11);
  EXPECT_EQ(run.done[0].outcome, Outcome::presented);
  EXPECT_EQ(run.done[0].started_at, kNow);
  EXPECT_EQ(run.done[0].ended_at, kNow + 9min);
  EXPECT_EQ(run.current->practice, 12);
  EXPECT_EQ(run.current->ends_at, kNow + 9min + 15min);
}

TEST(RunNext, AfterTheLastPresenterLeavesNobodySpeakingAndThenIsRefused) {
  SectionRun run = speaking();
  run = after(after(after(run, Next{}), Next{}), Next{});
  EXPECT_FALSE(run.current);
  EXPECT_EQ(run.done.size(), 3u);
  EXPECT_EQ(refusal(run, Next{}), "queue_empty");
}

TEST(RunNext, IsRefusedUnlessRunning) {
  EXPECT_EQ(refusal(SectionRun{}, Next{}), "not_started");
  EXPECT_EQ(refusal(paused(), Next{}), "section_paused");
  EXPECT_EQ(refusal(closed(), Next{}), "section_closed");
}

// ---- absent --------------------------------------------------------------------------------------

TEST(RunAbsent, MarksTheCurrentPresenterAbsentAndCallsTheNext) {
  SectionRun run = after(speaking(), Absent{}, kNow + 1min);
  ASSERT_EQ(run.done.size(), 1u);
  EXPECT_EQ(run.done[0].outcome, Outcome::absent);
  EXPECT_EQ(run.done[0].started_at, kNow);
  EXPECT_EQ(run.current->practice, 12);
  EXPECT_EQ(run.current->started_at, kNow + 1min);
}

TEST(RunAbsent, NamingTheCurrentPresenterIsTheSameAsNamingNobody) {
  SectionRun run = after(speaking(), Absent{11});
  EXPECT_EQ(run.done[0].practice, 11);
  EXPECT_EQ(run.current->practice, 12);
}

TEST(RunAbsent, AWaitingPresenterLeavesTheQueueWithoutAStartAndTheSpeakerGoesOn) {
  SectionRun run = after(speaking(), Absent{13}, kNow + 2min);
  ASSERT_EQ(run.done.size(), 1u);
  EXPECT_EQ(run.done[0].practice, 13);
  EXPECT_EQ(run.done[0].outcome, Outcome::absent);
  EXPECT_FALSE(run.done[0].started_at);
  EXPECT_EQ(run.done[0].ended_at, kNow + 2min);
  EXPECT_EQ(run.current->practice, 11);
  EXPECT_EQ(run.queue, (std::vector<Slot>{{12, 900}}));
}

TEST(RunAbsent, IsRefusedForSomeoneNotWaitingOrWhenNobodySpeaks) {
  EXPECT_EQ(refusal(speaking(), Absent{99}), "not_in_queue");
  EXPECT_EQ(refusal(started(), Absent{}), "no_presenter");
}

TEST(RunAbsent, IsRefusedUnlessRunning) {
  EXPECT_EQ(refusal(SectionRun{}, Absent{11}), "not_started");
  EXPECT_EQ(refusal(paused(), Absent{}), "section_paused");
  EXPECT_EQ(refusal(closed(), Absent{12}), "section_closed");
}

// ---- extend --------------------------------------------------------------------------------------

TEST(RunExtend, MovesTheEndAndTheSlotsLength) {
  SectionRun run = after(speaking(), Extend{120});
  EXPECT_EQ(run.current->ends_at, kNow + 12min);
  EXPECT_EQ(run.current->seconds, 720);
  run = after(run, Extend{-300});
  EXPECT_EQ(run.current->ends_at, kNow + 7min);
  EXPECT_EQ(run.current->seconds, 420);
}

TEST(RunExtend, ACutNeverEndsTheSlotBeforeNow) {
  SectionRun run = after(speaking(), Extend{-3600}, kNow + 3min);
  EXPECT_EQ(run.current->ends_at, kNow + 3min);
  EXPECT_EQ(run.current->seconds, 0);
}

TEST(RunExtend, ACutOfASlotPastItsEndLeavesTheEndWhereItWas) {
  SectionRun run = after(speaking(), Extend{-60}, kNow + 12min);
  EXPECT_EQ(run.current->ends_at, kNow + 10min);
}

TEST(RunExtend, WarningsMovedIntoTheFutureAreDueAgain) {
  SectionRun run = fire_due(speaking(), kNow + 9min, settings()).run;  // the 5- and 1-minute warnings went out
  ASSERT_EQ(run.fired, (std::vector<std::string>{"warning:5", "warning:1"}));
  run = after(run, Extend{180}, kNow + 9min);  // ends at 13 min: the 5-minute one is at 8 min, passed
  EXPECT_EQ(run.fired, (std::vector<std::string>{"warning:5"}));
}

TEST(RunExtend, WhilePausedChangesTheTimeLeftButNotBelowNothing) {
  SectionRun run = after(paused(), Extend{60});  // paused with 6 minutes left
  EXPECT_EQ(run.remaining, 7min);
  EXPECT_EQ(run.current->seconds, 660);
  run = after(run, Extend{-3600});
  EXPECT_EQ(run.remaining, 0min);
  EXPECT_EQ(run.current->seconds, 0);
}

TEST(RunExtend, RefusesNoAmountZeroAndMoreThanAnHour) {
  for (auto seconds : {std::optional<std::int64_t>(), std::optional<std::int64_t>(0),
                       std::optional<std::int64_t>(3601), std::optional<std::int64_t>(-3601)})
    EXPECT_EQ(refusal(speaking(), Extend{seconds}), "invalid_seconds");
  EXPECT_EQ(refusal(speaking(), Extend{3600}), "");
}

TEST(RunExtend, IsRefusedWithNobodySpeakingOrOutsideTheRun) {
  EXPECT_EQ(refusal(started(), Extend{60}), "no_presenter");
  EXPECT_EQ(refusal(SectionRun{}, Extend{60}), "not_started");
  EXPECT_EQ(refusal(closed(), Extend{60}), "section_closed");
}

// ---- reorder -------------------------------------------------------------------------------------

TEST(RunReorder, PutsTheWaitingInTheGivenOrderWithTheirSlots) {
  SectionRun run = after(speaking(), Reorder{std::vector<std::int64_t>{13, 12}});
  EXPECT_EQ(run.queue, (std::vector<Slot>{{13, 600}, {12, 900}}));
  EXPECT_EQ(run.current->practice, 11);
}

TEST(RunReorder, MustNameExactlyThoseStillWaiting) {
  using Ids = std::vector<std::int64_t>;
  using Order = std::optional<Ids>;
  for (const Order& order : {Order(), Order(Ids{12}), Order(Ids{12, 13, 11}), Order(Ids{12, 12}), Order(Ids{12, 14})})
    EXPECT_EQ(refusal(speaking(), Reorder{order}), "invalid_order");
}

TEST(RunReorder, IsAllowedBeforeTheStartAndWhilePausedButNotOnceClosed) {
  EXPECT_EQ(refusal(SectionRun{}, Reorder{std::vector<std::int64_t>{}}), "");
  EXPECT_EQ(refusal(paused(), Reorder{std::vector<std::int64_t>{13, 12}}), "");
  EXPECT_EQ(refusal(closed(), Reorder{std::vector<std::int64_t>{13, 12}}), "section_closed");
}

// ---- pause and resume ----------------------------------------------------------------------------

TEST(RunPause, KeepsTheTimeLeftAndResumeGivesItBackFromNow) {
  SectionRun run = paused();  // paused 4 minutes into a 10-minute slot
  EXPECT_EQ(run.status, RunStatus::paused);
  EXPECT_EQ(run.remaining, 6min);
  run = after(run, Resume{}, kNow + 30min);
  EXPECT_EQ(run.status, RunStatus::running);
  EXPECT_EQ(run.current->ends_at, kNow + 36min);
  EXPECT_EQ(run.remaining, 0min);
}

TEST(RunPause, WithNobodySpeakingPausesAndResumesTheRunAlone) {
  SectionRun run = after(after(started(), Pause{}), Resume{});
  EXPECT_EQ(run.status, RunStatus::running);
  EXPECT_FALSE(run.current);
}

TEST(RunPause, IsRefusedUnlessRunning) {
  EXPECT_EQ(refusal(SectionRun{}, Pause{}), "not_started");
  EXPECT_EQ(refusal(paused(), Pause{}), "section_paused");
  EXPECT_EQ(refusal(closed(), Pause{}), "section_closed");
}

TEST(RunResume, IsRefusedUnlessPaused) {
  EXPECT_EQ(refusal(SectionRun{}, Resume{}), "not_paused");
  EXPECT_EQ(refusal(speaking(), Resume{}), "not_paused");
  EXPECT_EQ(refusal(closed(), Resume{}), "not_paused");
}

// ---- close and reset -----------------------------------------------------------------------------

TEST(RunClose, RecordsTheCurrentPresenterAsPresentedAndEndsTheRun) {
  SectionRun run = closed();
  EXPECT_EQ(run.status, RunStatus::closed);
  EXPECT_EQ(run.closed_at, kNow + 5min);
  EXPECT_FALSE(run.current);
  ASSERT_EQ(run.done.size(), 1u);
  EXPECT_EQ(run.done[0].outcome, Outcome::presented);
  EXPECT_EQ(run.queue.size(), 2u);  // the rest stay, never called
}

TEST(RunClose, ClosesAPausedRun) {
  EXPECT_EQ(after(paused(), Close{}).status, RunStatus::closed);
}

TEST(RunClose, IsRefusedBeforeTheStartAndOnceClosed) {
  EXPECT_EQ(refusal(SectionRun{}, Close{}), "not_started");
  EXPECT_EQ(refusal(closed(), Close{}), "section_closed");
}

TEST(RunReset, ARehearsalStartsAfreshWithItsFloorAndTheVersionGoesOn) {
  SectionRun rehearsed = after(after(started(kOpens - 2h), Next{}, kOpens - 2h), Close{}, kOpens - 1h);
  auto t = apply(rehearsed, Reset{}, kOpens - 1h, settings());
  ASSERT_TRUE(t);
  EXPECT_EQ(t->run.status, RunStatus::waiting);
  EXPECT_TRUE(t->run.queue.empty());
  EXPECT_TRUE(t->run.done.empty());
  EXPECT_FALSE(t->run.rehearsal);
  EXPECT_EQ(t->run.version, rehearsed.version + 1);
  EXPECT_TRUE(t->drop_rehearsal_floor);
}

TEST(RunReset, OfTheRealRunIsRefused) {
  EXPECT_EQ(refusal(speaking(), Reset{}), "not_rehearsal");
  EXPECT_EQ(refusal(SectionRun{}, Reset{}), "not_rehearsal");
}

TEST(RunApply, ARefusalLeavesTheMessageInRussianAndNoNewVersion) {
  auto t = apply(SectionRun{}, Next{}, kNow, settings());
  ASSERT_FALSE(t);
  EXPECT_EQ(t.status().http_status(), 409);
  EXPECT_EQ(t.status().message(), "Секция ещё не начата.");
}

// ---- the speaker timer ---------------------------------------------------------------------------

TEST(RunTimer, WarningsAndTimeUpFireOnceEachWithAVersionOfTheirOwn) {
  SectionRun run = speaking();  // version 2; ends at 10 min
  EXPECT_TRUE(fire_due(run, kNow + 4min, settings()).due.empty());
  auto five = fire_due(run, kNow + 5min, settings());
  ASSERT_EQ(five.due.size(), 1u);
  EXPECT_EQ(five.due[0].event.key, "warning:5");
  EXPECT_EQ(five.due[0].version, 3);
  EXPECT_EQ(five.run.version, 3);
  EXPECT_TRUE(fire_due(five.run, kNow + 6min, settings()).due.empty());
  EXPECT_EQ(next_timer(five.run, settings()), kNow + 9min);
}

TEST(RunTimer, ATimerPastTheSlotsEndFiresEverythingLeftInOrder) {
  auto late = fire_due(speaking(), kNow + 15min, settings());
  ASSERT_EQ(late.due.size(), 3u);
  EXPECT_EQ(late.due[0].event.key, "warning:5");
  EXPECT_EQ(late.due[1].event.key, "warning:1");
  EXPECT_EQ(late.due[2].event.key, "time_up");
  EXPECT_EQ(late.due[2].version, 5);
  EXPECT_FALSE(next_timer(late.run, settings()));
}

TEST(RunTimer, NothingFiresOrIsArmedUnlessSomeoneSpeaksInARunningSection) {
  for (const SectionRun& run : {SectionRun{}, started(), paused(), closed()}) {
    EXPECT_TRUE(fire_due(run, kNow + 1h, settings()).due.empty());
    EXPECT_FALSE(next_timer(run, settings()));
  }
  EXPECT_EQ(next_timer(speaking(), settings()), kNow + 5min);
}

TEST(RunStatusText, ReadsWhatItWritesAndAnythingElseAsWaiting) {
  for (auto s : {RunStatus::waiting, RunStatus::running, RunStatus::paused, RunStatus::closed})
    EXPECT_EQ(run_status_from(to_string(s)), s);
  EXPECT_EQ(run_status_from("?"), RunStatus::waiting);
}

}  // namespace
}  // namespace praktika::sections
