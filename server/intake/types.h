// What IntakeService answers, as types; intake_api.cpp makes the wire JSON of docs/protocol.md from
// them. Instants are already written in the event's offset (Timeline::format), as every page shows them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "uploads/stored.h"

namespace praktika::intake {

// Each consent the person gave (a consent field's id) and when it was first given.
using Consents = std::map<std::string, std::string>;

// A person's registration form for the event.
struct RegistrationView {
  nlohmann::json answers;  // free-form on purpose: the agenda's registration form defines the fields
  Consents consents;
  std::string updated_at;
};

// A registered person, as the organiser's list of participants shows them.
struct Participant {
  std::int64_t user_id = 0;
  std::string full_name;
  std::string email;
  RegistrationView registration;
  std::int64_t practices_owned = 0;
  std::int64_t practices_co_authored = 0;
};

// An upload of the event, as the organiser's list of files shows it.
struct FileEntry {
  uploads::StoredFile file;
  std::int64_t owner_id = 0;
  std::string owner_name;
  std::string owner_email;
  std::optional<std::int64_t> practice;       // the practice it was sent for, when its owner sent it
  std::optional<std::string> practice_title;  // that practice's name, when it has one
  std::string created_at;
  std::string updated_at;
};

}  // namespace praktika::intake
