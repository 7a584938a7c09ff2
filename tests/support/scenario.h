// The state most stage tests start from, built through the public API of a running server:
// people with roles, registrations, practices submitted and paid. For integration tests; one
// thread at a time.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "support/client.h"

namespace praktika::test {

inline const std::string kEventId = "irkutsk-2020";
inline const std::string kEventApi = "/api/events/irkutsk-2020";
// Instants inside the stages of agenda/irkutsk-2020.json (for --clock).
inline const std::string kDuringIntake = "2020-06-20T10:00:00+08:00";
inline const std::string kDuringReview = "2020-06-30T10:00:00+08:00";
inline const std::string kPassword = "пароль участника";
inline const std::string kOrganiserEmail = "org@umc.ru";
inline const std::string kOrganiserPassword = "пароль организатора";

// A payer's ИНН with valid check digits, for registrations that pay as a legal entity.
inline const std::string kPayerInn = "3808000007";

// Appendix 1 answers that pass the agenda's registration form (paying as a legal entity).
nlohmann::json registration_answers(const std::string& full_name, const std::string& email,
                                    const std::string& institution, int section);
// The 17 fields, complete. `started_year` decides whether field 14 is required.
nlohmann::json practice_answers(const std::string& name, const std::string& institution, int started_year = 2020);

// The organiser's requisites of agenda_with_requisites(), as the contract prints them.
inline const std::string kOrganiserInn = "3811000007";
inline const std::string kOrganiserRecipient = "ОГБУ ДПО «Учебно-методический центр развития социального обслуживания»";

// The shipped agenda with the organiser's requisites filled in (real-looking values, the
// placeholder mark removed), written into `dir`: for the tests that download a contract.
std::filesystem::path agenda_with_requisites(const std::filesystem::path& dir);

// Before the server starts on `data_dir`: the organiser account, made with `admin create-user`.
// Returns false (with the binary's output in `output`) when the command fails.
bool create_organiser(const std::filesystem::path& data_dir, std::string* output = nullptr);

// People signed in to one server, each with their own cookie jar.
class People {
 public:
  explicit People(int port) : port_(port) {}
  // Signs in the organiser made by create_organiser().
  HttpClient& organiser();
  // Registers the account on first use (or signs in when it exists) and keeps it signed in.
  HttpClient& person(const std::string& email, const std::string& full_name = "");
  // The organiser grants `role` ("expert", "moderator", ...) in the event, for a section or all.
  bool grant(const std::string& email, const std::string& role, std::optional<int> section = {});
  // After a server restart on another port: the same people, signed in again.
  void reconnect(int port);
  int port() const { return port_; }

 private:
  int port_;
  std::map<std::string, std::unique_ptr<HttpClient>> clients_;
  std::map<std::string, std::string> names_;
};

struct PracticeSpec {
  std::string author_email;
  std::string institution = "ОГБУСО «Центр помощи детям»";
  int section = 1;
  std::string name = "Семейная гостиная";
  std::string type = "pilot";
  int started_year = 2020;  // «устоявшаяся» needs two years behind it
  bool paid = true;  // proof uploaded by the author and confirmed by the organiser
  // The Word description attached before submission (the agenda requires one): the .docx bytes;
  // empty sends a document that meets every rule of clause 6.5.
  std::string document;
};

// While the intake is open: the author's registration, the practice filled and submitted, and
// (when spec.paid) its payment confirmed. Returns the practice id, or 0 (with a gtest failure).
// `document_upload`, when given, receives the id of the Word description's upload.
int submit_practice(People& people, const PracticeSpec& spec, std::string* document_upload = nullptr);

// A payment scan (a one-page PDF) uploaded by `http` in one piece; returns the upload id.
std::string upload_payment_scan(HttpClient& http);

// The author attaches `docx` (bytes; empty: a document that meets every rule of clause 6.5) to
// practice `id` as its Word description; returns the upload id.
std::string attach_document(HttpClient& author, int id, const std::string& docx = "",
                            const std::string& filename = "practice.docx");

}  // namespace praktika::test
