// The documents themselves: a certificate or diploma from its template and values, and the
// proceedings from the admitted practices. Pure functions over pdf::Typesetter; one document
// per call, any thread (several calls may run in parallel).
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "certificates/settings.h"
#include "common/status.h"
#include "timeline/agenda.h"

namespace praktika::certificates {

// Every {placeholder} of the template's blocks is filled from `values`; the QR block encodes
// `verify_url`. Written whole to `file` or not at all.
Status typeset_certificate(const Template& t, const std::map<std::string, std::string>& values,
                           const std::string& verify_url, const std::filesystem::path& file);

struct ProceedingsPractice {
  std::int64_t id = 0;
  int section = 0;
  std::string title;
  std::string institution;
  std::string type_title;
  nlohmann::json answers;
};

struct ProceedingsResult {
  int pages = 0;
  std::map<std::int64_t, int> first_page;  // practice id -> the page its text starts on
};

// Title page, the table of contents by section (with the pages each practice starts on), then
// each practice with the agenda's field titles, on numbered pages. `practices` in the order
// they appear (by section, then title).
Result<ProceedingsResult> typeset_proceedings(const timeline::Agenda& agenda, const ProceedingsSettings& settings,
                                              const std::map<std::string, std::string>& values,
                                              const std::vector<ProceedingsPractice>& practices,
                                              const std::filesystem::path& file);

struct OrderAuthor {
  std::string full_name;
  std::string institution;
};

struct OrderPractice {
  int section = 0;
  std::string title;
  std::string institution;  // the implementing organisation named in the practice
  std::string outcome;      // the decision's title from review.outcomes
  std::vector<OrderAuthor> authors;
};

// The organiser's order on the results: its header, title and preamble, then the practices by the
// agenda's sections (an event without sections: one list), numbered through, then the closing
// lines. `practices` in the order they are listed within a section. Into memory.
Result<std::string> typeset_order(const timeline::Agenda& agenda, const OrderSettings& settings,
                                  const std::map<std::string, std::string>& values,
                                  const std::vector<OrderPractice>& practices);

}  // namespace praktika::certificates
