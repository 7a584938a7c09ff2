// Internal to presence: the CountsSink behind a switch. After silence() returns, no call to
// the sink is running and none will start, whatever is still queued on the io_context: the
// owner of the sink may go away right after Presence::stop() or the destructor.
#pragma once

#include <mutex>

#include "presence/presence.h"
#include "common/mutex.h"

namespace praktika::presence {

class GuardedSink {
 public:
  explicit GuardedSink(CountsSink sink) : sink_(std::move(sink)) {}

  // Calls come from one strand, so the mutex is contended only by silence().
  void operator()(const std::string& topic, std::int64_t count) {
    MutexLock lock(mutex_);
    if (!silenced_ && sink_) sink_(topic, count);
  }

  // Must not be called from inside the sink.
  void silence() {
    MutexLock lock(mutex_);
    silenced_ = true;
  }

 private:
  const CountsSink sink_;
  Mutex mutex_;
  bool silenced_ GUARDED_BY(mutex_) = false;
};

}  // namespace praktika::presence
