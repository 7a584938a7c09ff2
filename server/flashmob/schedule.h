// The flashmob feed's schedule as a pure function: from the feed's start, the organiser's ordered
// queue of approved items with their playing times, and the stored cursor (where the feed was
// when the organiser last paused, resumed, skipped or changed the queue), what plays at an
// instant, since when, and what follows. No state, no clock: any thread; unit-tested alone.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <vector>

#include "common/time.h"

namespace praktika::flashmob {

// One approved, playable item in the organiser's order.
struct Entry {
  std::int64_t item = 0;
  Millis duration{0};  // > 0
};

// What the store keeps of the feed. Without an anchor the feed begins at its start instant with
// the first item of the queue. After an anchor, the anchor item plays on from anchor_offset at
// anchor_at, then every item of the queue not yet played, in the queue's order.
struct Cursor {
  std::optional<TimePoint> anchor_at;
  std::int64_t anchor_item = 0;  // 0: none (nothing was playing at anchor_at)
  Millis anchor_offset{0};
  bool paused = false;
  std::set<std::int64_t> played;  // finished or skipped: never played again
};

enum class FeedState {
  waiting,  // before the feed's start
  playing,
  paused,
  idle,  // started, nothing left to play
};

struct NowPlaying {
  FeedState state = FeedState::waiting;
  std::optional<std::int64_t> item;
  TimePoint started_at{};  // the instant position 0 of the item played (or would have, when paused)
  Millis position{0};
  std::vector<std::int64_t> up_next;      // in playing order
  std::optional<TimePoint> next_change;   // when the item changes by itself: its end, or the feed's start
  std::vector<std::int64_t> finished;     // items of the queue that finished since the anchor
};

NowPlaying compute(const Cursor& cursor, const std::vector<Entry>& queue, TimePoint feed_start, TimePoint now);

// The cursor re-anchored at `now` with the same meaning: what has finished is recorded as played
// and the current item (if any) becomes the anchor. Called before every change of the queue or
// the controls, so the change never alters the past. Before the feed's start nothing moves.
Cursor settle(const Cursor& cursor, const std::vector<Entry>& queue, TimePoint feed_start, TimePoint now);

Cursor pause(const Cursor& cursor, const std::vector<Entry>& queue, TimePoint feed_start, TimePoint now);
Cursor resume(const Cursor& cursor, const std::vector<Entry>& queue, TimePoint feed_start, TimePoint now);
// The current item is marked played; the next one starts at `now`.
Cursor skip(const Cursor& cursor, const std::vector<Entry>& queue, TimePoint feed_start, TimePoint now);

}  // namespace praktika::flashmob
