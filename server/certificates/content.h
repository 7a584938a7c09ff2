// What one person's certificate says and the letter that carries it, worked out from facts the
// service has already read: pure functions (no store, no clock, no files), callable from any thread.
// CertificateService's job calls them; their unit tests need no server.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "certificates/settings.h"
#include "common/words.h"
#include "mail/outbox.h"
#include "mail/template.h"
#include "timeline/agenda.h"

namespace praktika::certificates {

// A participant as a document sees them: who, their roles ("author", "attendee"), their
// practices with each one's outcome, and the sections they followed.
struct Recipient {
  struct Practice {
    std::int64_t id = 0;
    int section = 0;
    std::string outcome;  // "present", "gallery", "rejected", a contest's value, or "none"
    nlohmann::json answers;
  };
  std::int64_t user_id = 0;
  std::string full_name;
  std::string account_email;
  nlohmann::json registration;  // the answers of the person's registration, or null
  std::set<std::string> roles;
  std::vector<Practice> practices;
  std::map<int, std::int64_t> attended;  // section -> minutes

  // Where letters go: the e-mail given in the application, else the account's.
  std::string email() const;
};

// The template chosen by the first fitting rule and what the document says. tmpl is null when no
// rule fits (no document for that person).
struct Content {
  const Template* tmpl = nullptr;
  nlohmann::json data;  // {"template","template_title","values":{…},"took_part":[…],"practices":[ids],
                        //  "sections":[n],"roles":[…],"practice_titles":[{"title","section","outcome"}]}
};
Content content_for(const Settings& settings, const timeline::Agenda& agenda, const Recipient& recipient);

// The placeholders a document and its letter may use: `data`'s "values" (the settings' named
// values), "took_part" (lines) and "template_title", the number and its verification and cabinet
// links, the issue date as written, and the event's names in their forms.
std::map<std::string, std::string> document_values(const timeline::Agenda& agenda, const Settings& settings,
                                                   const nlohmann::json& data, const std::string& number,
                                                   const std::string& issued_on);

// The letter that sends a made document to its recipient: one per recipient and event, ever
// (the idempotency key), the PDF attached under the template's file name.
// The outbox key of a person's certificate letter: one letter per person and event.
std::string letter_key_prefix(std::string_view event_id);
std::string letter_key(std::string_view event_id, std::int64_t user_id);

mail::Message certificate_letter(const mail::Template& letter, const Template& tmpl, std::string_view event_id,
                                 std::int64_t user_id, const std::string& email,
                                 const std::map<std::string, std::string>& values, const std::filesystem::path& pdf);

// "organisation.name" in a form's answers; "" when absent or not a scalar.
std::string at_path(const nlohmann::json& answers, std::string_view path);

// A practice's name as its form gives it, else "Практика № 12" in the event's words.
std::string practice_title(const Noun& words, std::int64_t id, const nlohmann::json& answers);

// "8 августа 2020 г." from an instant formatted in the event's offset ("2020-08-08T…").
std::string russian_date(const Settings& settings, const std::string& iso);

}  // namespace praktika::certificates
