// Announcements of changed conditions (clause 3.2.1 of the regulations: the organiser changes the
// conditions and tells the participants in time). The organiser writes one; it is listed on the
// event page, newest first, and a letter goes through the outbox to everyone registered for the
// event, enqueued in the transaction that stores it. Owns store/migrations/016_announcements.sql.
// Thread-safe (state lives in the store); every call blocks on SQLite: call it from the worker pool.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "accounts/accounts.h"
#include "common/status.h"
#include "intake/intake.h"
#include "timeline/clock.h"
#include "timeline/event.h"

namespace praktika::store {
class Db;
}

namespace praktika::announcements {

struct Announcement {
  std::int64_t id = 0;
  std::string title;
  std::string text;
  std::string published_at;  // ISO 8601 at the event's offset
};

struct Published {
  Announcement announcement;
  std::int64_t letters = 0;  // letters enqueued now (one per registered person)
};

class AnnouncementService {
 public:
  // `wake_sender` is called after letters were enqueued, so they leave without waiting for a poll.
  AnnouncementService(store::Db& db, const timeline::Clock& clock, timeline::FindEvent find_event,
                      std::function<void()> wake_sender);

  // Newest first. Public.
  Result<std::vector<Announcement>> list(std::string_view event_id);
  // Stores the announcement and enqueues one letter per registered person (the agenda's mail
  // template "announcement"). The caller checks that `organiser` is the event's organiser.
  // Errors: event_not_found, invalid_field (empty or too long).
  Result<Published> publish(const accounts::User& organiser, std::string_view event_id, std::string_view title,
                                 std::string_view text);

 private:
  // Constant after construction.
  store::Db& db_;
  const timeline::Clock& clock_;
  const timeline::FindEvent find_event_;
  const std::function<void()> wake_sender_;
};

}  // namespace praktika::announcements
