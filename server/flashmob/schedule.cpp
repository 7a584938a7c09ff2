#include "flashmob/schedule.h"

#include <algorithm>

namespace praktika::flashmob {
namespace {

struct Slot {
  const Entry* entry;
  Millis offset;  // where it begins playing
};

// The items still to play from the anchor on: the anchor item first (from its offset), then the
// unplayed rest in queue order.
std::vector<Slot> remaining(const Cursor& cursor, const std::vector<Entry>& queue) {
  std::vector<Slot> out;
  if (cursor.anchor_item != 0 && !cursor.played.count(cursor.anchor_item)) {
    auto it = std::find_if(queue.begin(), queue.end(), [&](const Entry& e) { return e.item == cursor.anchor_item; });
    if (it != queue.end() && it->duration > Millis::zero())
      out.push_back({&*it, std::clamp(cursor.anchor_offset, Millis::zero(), it->duration)});
  }
  for (const auto& e : queue) {
    if (e.duration <= Millis::zero() || cursor.played.count(e.item)) continue;
    if (!out.empty() && out.front().entry->item == e.item) continue;
    out.push_back({&e, Millis::zero()});
  }
  return out;
}

std::vector<std::int64_t> items_of(const std::vector<Slot>& slots, size_t from) {
  std::vector<std::int64_t> out;
  for (size_t i = from; i < slots.size(); ++i) out.push_back(slots[i].entry->item);
  return out;
}

}  // namespace

NowPlaying compute(const Cursor& cursor, const std::vector<Entry>& queue, TimePoint feed_start, TimePoint now) {
  NowPlaying n;
  auto slots = remaining(cursor, queue);
  if (now < feed_start) {
    n.state = FeedState::waiting;
    n.up_next = items_of(slots, 0);
    n.next_change = feed_start;
    return n;
  }
  if (slots.empty()) {
    n.state = FeedState::idle;
    return n;
  }
  if (cursor.paused) {
    n.state = FeedState::paused;
    n.item = slots[0].entry->item;
    n.position = slots[0].offset;
    n.started_at = now - n.position;
    n.up_next = items_of(slots, 1);
    return n;
  }
  TimePoint anchor = cursor.anchor_at.value_or(feed_start);
  TimePoint start = anchor - slots[0].offset;
  for (size_t i = 0; i < slots.size(); ++i) {
    TimePoint end = start + slots[i].entry->duration;
    if (now < end) {
      n.state = FeedState::playing;
      n.item = slots[i].entry->item;
      n.started_at = start;
      n.position = now - start;
      n.up_next = items_of(slots, i + 1);
      n.next_change = end;
      return n;
    }
    n.finished.push_back(slots[i].entry->item);
    start = end;
  }
  n.state = FeedState::idle;
  return n;
}

Cursor settle(const Cursor& cursor, const std::vector<Entry>& queue, TimePoint feed_start, TimePoint now) {
  if (now < feed_start) return cursor;
  NowPlaying n = compute(cursor, queue, feed_start, now);
  Cursor c = cursor;
  c.played.insert(n.finished.begin(), n.finished.end());
  c.anchor_at = now;
  c.anchor_item = n.item.value_or(0);
  c.anchor_offset = n.item ? n.position : Millis::zero();
  return c;
}

Cursor pause(const Cursor& cursor, const std::vector<Entry>& queue, TimePoint feed_start, TimePoint now) {
  Cursor c = settle(cursor, queue, feed_start, now);
  c.paused = true;
  return c;
}

Cursor resume(const Cursor& cursor, const std::vector<Entry>& queue, TimePoint feed_start, TimePoint now) {
  Cursor c = settle(cursor, queue, feed_start, now);
  c.paused = false;
  return c;
}

Cursor skip(const Cursor& cursor, const std::vector<Entry>& queue, TimePoint feed_start, TimePoint now) {
  Cursor c = settle(cursor, queue, feed_start, now);
  if (now < feed_start) {
    // Before the start the first item is the one skipped.
    NowPlaying n = compute(c, queue, feed_start, now);
    if (!n.up_next.empty()) c.played.insert(n.up_next.front());
    return c;
  }
  if (c.anchor_item != 0) c.played.insert(c.anchor_item);
  c.anchor_item = 0;
  c.anchor_offset = Millis::zero();
  return c;
}

}  // namespace praktika::flashmob
