// The wire JSON of the intake's types (docs/protocol.md), for its routes and for the modules that
// send a practice in their own answers (the review's expert page, the gallery's cabinet).
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "intake/types.h"

namespace praktika::intake {

// {"id","event","section","section_title","type","state","revision","answers","title","owner":{…},
//  "co_authors","missing","editable","fee","payment"?,"files","created_at","updated_at",
//  "submitted_at","outcome","unsaved"?}; "payment" only when shown, "unsaved" only when some are.
nlohmann::json to_json(const PracticeView& p);
// {"practices":[…],"fee":{"per_practice","practices","total","currency"},"editable"}
nlohmann::json to_json(const MyPractices& mine);
// A practice of the organiser's list: to_json(view) with "document" (null when none).
nlohmann::json to_json(const ListedPractice& p);
// The refused file's verdict, or {"ok","kind","findings":[{"rule","where","found","expected"}],
// "paragraphs","tables","images","bytes","converted_from"?}. Also the form kept in document_checks.
nlohmann::json to_json(const DocumentCheck& check);
// A check kept by to_json above; nullopt when the text is not one.
std::optional<DocumentCheck> document_check_from(const nlohmann::json& stored);

}  // namespace praktika::intake
