// Form values checked against the agenda's field definitions: the registration form, the
// practice description and, later, the contest application all go through this one validator.
// Pure functions over JSON, callable from any thread.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "timeline/agenda.h"

namespace praktika::forms {

// draft: what is filled must be well-formed, nothing is required yet (autosave).
// complete: every required field (and every condition) must hold as well (submission).
enum class Mode { draft, complete };

struct FieldError {
  std::string path;     // "relevance.started_year", "cases[2]"
  std::string code;     // required, wrong_type, too_long, invalid_phone, invalid_email, invalid_url,
                        // invalid_year, not_an_option, too_few_items, too_many_items, unknown_field,
                        // consent_required, invalid_inn, invalid_kpp
  std::string message;  // Russian, names the field by its label
};

struct Context {
  // Allowed values of a choice whose options come from elsewhere ("sections", "payment_forms").
  std::function<std::vector<nlohmann::json>(std::string_view source)> options_from;
  int current_year = 2020;  // for year fields and "running longer than N years" conditions
  // Whether files of `purpose` are attached for the field at `path` (a field with "attachments"):
  // such a required field left empty holds in complete mode. Unset: nothing is attached.
  std::function<bool(std::string_view purpose, std::string_view path)> attached;
};

struct Checked {
  nlohmann::json values;  // only the defined fields, strings cleaned (clean_text), empty ones dropped
  std::vector<FieldError> errors;
  bool ok() const { return errors.empty(); }
};

Checked check(const std::vector<timeline::FormField>& fields, const nlohmann::json& values, Mode mode,
              const Context& context);

// 422 `invalid_fields` with the errors as details: [{"path","code","message"}].
Status to_status(const std::vector<FieldError>& errors);

}  // namespace praktika::forms
