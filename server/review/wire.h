// The JSON of the review's types that more than one answer holds: a person, an expert's review,
// the criteria. review_api.cpp makes every answer from them, and the service's practice view
// (still built as JSON) uses them too: one way to write each.
#pragma once

#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "review/review.h"

namespace praktika::review {

// {"id","email","full_name"}; only {"id"} when the account is gone.
nlohmann::json to_json(const Person& p);
// {"decision","reason","scores","created_at","updated_at"}; null when none was written.
nlohmann::json to_json(const std::optional<ExpertReview>& r);
// [{"id","title","max"}…]
nlohmann::json to_json(const std::vector<Criterion>& criteria);

}  // namespace praktika::review
