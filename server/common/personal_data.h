// Personal data on request (152-ФЗ), as each module that holds some answers it: its part of a
// person's data (`data_of`) and the anonymisation of that part when consent is withdrawn
// (`anonymise`), one PersonalDataPart a module. server/privacy asks every part in turn inside its
// transaction, so the tables stay their owners'. Pure values; any thread (a part's functions: the
// thread holding the store::Tx).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace praktika::store {
class Tx;
}

namespace praktika {

// A file the person sent or was issued, to be copied into their archive.
struct HeldFile {
  std::string name;             // path inside the archive, '/'-separated, no leading '/'
  std::filesystem::path path;   // where the bytes are on disk
};

// One module's part of what is held about a person.
struct HeldData {
  nlohmann::json records = nlohmann::json::object();  // named lists of rows, as the module stores them
  std::vector<HeldFile> files;
};

// What a module needs to anonymise its part of a person's data, inside the withdrawal's transaction.
struct Withdrawal {
  std::int64_t user_id = 0;
  std::string email;            // the account's e-mail before the withdrawal (trimmed, lower-case)
  std::string anonymous_name;   // shown where the name was: the agenda's words
  std::string anonymous_email;  // unique and undeliverable, takes the e-mail's place
  // Texts that name the person (their full name as the account and the registrations give it):
  // replaced wherever they appear, in what others keep too (a practice's description, a comment,
  // a letter, a certificate's data).
  std::vector<std::string> traces;
  // Texts that describe the person but may be shared (a work phone is the institution's, an
  // address the building's): replaced only in the person's own records (Scope::own).
  std::vector<std::string> own_traces;
  // By event: the registration form's fields that describe the person, dropped from their answers.
  std::map<std::string, std::set<std::string>, std::less<>> personal_fields;
  std::int64_t at_ms = 0;

  // Where a text is: in the person's own records, or in anyone's.
  enum class Scope { anyone, own };
  // `text` with every trace replaced (the e-mail by the anonymous e-mail, the rest by the
  // anonymous name), own_traces too in Scope::own; ASCII letters compared without case. Traces
  // shorter than three bytes are left alone.
  std::string scrub(std::string_view text, Scope scope = Scope::anyone) const;
  // Every string inside `value` scrubbed; keys and other values kept.
  nlohmann::json scrub_json(const nlohmann::json& value, Scope scope = Scope::anyone) const;
  // True when scrub would change `text`.
  bool traced(std::string_view text, Scope scope = Scope::anyone) const;
  // A text that may hold JSON (a column of JSON text): its strings scrubbed when it parses, the
  // whole text when it does not.
  std::string scrub_json_text(std::string_view text, Scope scope = Scope::anyone) const;

  // The rewrite store::rewrite_texts takes: a row's text scrubbed in Scope::own where the row is
  // the person's own, Scope::anyone elsewhere; the JSON one reads the text as scrub_json_text does.
  using Rewrite = std::function<std::string(const std::string& text, bool own)>;
  Rewrite rewrite() const;
  Rewrite rewrite_json() const;
};

// Whose data a part is asked for.
struct DataSubject {
  std::int64_t user_id = 0;
  std::string email;               // the account's e-mail (trimmed, lower-case)
  std::filesystem::path data_dir;  // <data>, holding files/ and certificates/
};

// One module's part, defined once in its personal_data.cpp and declared in its personal_data.h;
// the module's header says what the part holds and what anonymising leaves.
struct PersonalDataPart {
  Result<HeldData> (*data_of)(store::Tx& tx, const DataSubject& who);
  Status (*anonymise)(store::Tx& tx, const Withdrawal& withdrawal);
};

}  // namespace praktika
