// Personal data on request (152-ФЗ): a person downloads everything praktika holds about them as
// a ZIP, or withdraws consent and is anonymised; the organiser reads the log of such requests.
// Owns the table privacy_requests (store/migrations/022_privacy_requests.sql) and nothing else:
// every other module answers through the PersonalDataPart its personal_data.h declares. Called by
// privacy_api on worker threads; every call blocks on the store. The words are the agenda's:
// `registration_form.privacy`, beside the fields and the consent it withdraws.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "accounts/accounts.h"
#include "common/time.h"
#include "common/status.h"
#include "timeline/agenda.h"
#include "timeline/clock.h"

namespace praktika::store {
class Db;
}

namespace praktika::privacy {

// The agenda's `registration_form.privacy`.
struct Settings {
  std::string withdrawn_name;
  std::set<std::string> name_fields;      // of the personal fields, those that hold the name
  std::set<std::string> personal_fields;
  std::string archive_name;
  std::string withdraw_confirmation;
  std::map<std::string, std::string> summary_titles;
};
// Absent part: an empty optional (the event offers no such requests); malformed: the error.
std::variant<std::optional<Settings>, timeline::AgendaError> read_settings(const timeline::Agenda& agenda);

// The archive, written under <data>/tmp and removed by whoever sends it.
struct Archive {
  std::filesystem::path path;
  std::string name;  // the file name offered for download
};

// One logged request: who asked for their data (kind "export") or withdrew consent ("withdrawal"), and when.
struct LoggedRequest {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string kind;
  TimePoint at;
};

class PrivacyService {
 public:
  // `on_withdrawn` is told, after the commit, the user whose account was anonymised (their open
  // sockets are closed). `data_dir` holds files/, certificates/ and tmp/.
  PrivacyService(store::Db& db, const timeline::Clock& clock, std::map<std::string, Settings, std::less<>> events,
                 std::filesystem::path data_dir, std::function<void(std::int64_t)> on_withdrawn);

  // Everything held about `who` (every event), as data.json, summary.txt and the files they sent
  // or were issued; the request is logged for `event_id`. Errors: event_not_found, store's.
  Result<Archive> archive(const accounts::Identity& who, std::string_view event_id);
  // Anonymises `who` in every module in one transaction, logs the request, ends their sessions.
  // Errors: event_not_found; organiser_cannot_withdraw (409) for an organiser of any event.
  Status withdraw(const accounts::Identity& who, std::string_view event_id);
  // The log of `event_id`'s requests, newest first, for its organiser.
  Result<std::vector<LoggedRequest>> requests(std::string_view event_id);

 private:
  const Settings* settings(std::string_view event_id) const;
  Status log(std::string_view event_id, std::int64_t user_id, std::string_view kind);

  // Constant after construction.
  store::Db& db_;
  const timeline::Clock& clock_;
  const std::map<std::string, Settings, std::less<>> events_;
  const std::filesystem::path data_dir_;
  const std::function<void(std::int64_t)> on_withdrawn_;
};

}  // namespace praktika::privacy
