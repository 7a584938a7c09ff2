// The participants' reminders as the agenda describes them (its "reminders" part), and when each
// letter is due: a pure core, no state, no clock; any thread.
// Four kinds: "draft" (a practice still a draft, hours before a stage closes), "payment" (a
// submitted practice without a payment document, hours before a milestone), "speaker" (a speaker
// admitted to present, hours before their slot), "certificate" (a certificate made). Each names
// the mail template of its letter; a kind the agenda leaves out is not sent in that event.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/time.h"
#include "timeline/agenda.h"

namespace praktika::reminders {

enum class Kind { draft, payment, speaker, certificate };
inline constexpr std::array<Kind, 4> kKinds = {Kind::draft, Kind::payment, Kind::speaker, Kind::certificate};
std::string_view kind_id(Kind kind);
std::optional<Kind> kind_of(std::string_view id);

struct KindSettings {
  Kind kind = Kind::draft;
  std::string title;        // the organiser's page: «Черновик не отправлен»
  std::string description;  // the organiser's page: who gets it and when; may be empty
  std::string template_id;  // a template of the agenda's mail part
  std::vector<int> hours_before;  // the occasions, earliest first (72, 24); none for "certificate"
  std::string stage;      // "draft": the stage whose closing is the deadline
  std::string milestone;  // "payment": the milestone that is the deadline
};

struct Settings {
  std::string site_url;  // "https://praktika.example.org": the cabinet link in the letters
  std::vector<KindSettings> kinds;  // in kKinds order, those the agenda describes
  const KindSettings* find(Kind kind) const;
};

// The agenda's "reminders" part, read strictly: the stage, milestone and templates it names must
// exist, "speaker" needs the section day. An absent part: no reminders.
std::variant<Settings, timeline::AgendaError> read_settings(const timeline::Agenda& agenda);

// One letter's moment: `hours` before the deadline, from `at` until the next occasion's `at`
// (or the deadline): a letter missed in its window (the server was down) is not sent late once
// the next one is due, and none after the deadline.
struct Occasion {
  int hours = 0;
  TimePoint at{};
  TimePoint until{};
};
std::vector<Occasion> occasions(const std::vector<int>& hours_before, TimePoint deadline);

}  // namespace praktika::reminders
