// The rows of section_runs (store/migrations/010_sections.sql): one per section, the run as JSON
// and the section's version, rewritten by every change. Called inside the caller's transaction.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "sections/run.h"

namespace praktika::store {
class Tx;
}

namespace praktika::sections {

// A section never stored reads as waiting, version 0.
Result<Run> load_run(store::Tx& tx, std::string_view event, int section);

// Stores the run as it is: callers take a new version for each change they push before saving,
// so the stored counter is the highest version any client has been sent.
Status save_run(store::Tx& tx, std::string_view event, int section, const Run& run, TimePoint now);

// Every (event, section) with a stored run.
Result<std::vector<std::pair<std::string, int>>> stored_runs(store::Tx& tx);

}  // namespace praktika::sections
