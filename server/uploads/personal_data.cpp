// The uploads' part of a person's request for their data (personal_data.h).
#include "uploads/personal_data.h"

#include <vector>

#include "store/db.h"
#include "store/rows.h"
#include "uploads/stored.h"

namespace praktika::uploads {

Result<HeldData> data_of(store::Tx& tx, std::int64_t user_id, const std::filesystem::path& files_dir) {
  HeldData held;
  auto q = tx.prepare(
      "SELECT id, event_id, purpose, file_name, length, state, practice_id, field, created_at FROM uploads "
      "WHERE owner_id = ?1 ORDER BY created_at, id");
  q.bind_int(1, user_id);
  auto rows = store::rows_json(q, {"id", "event", "purpose", "file_name", "length#", "state", "practice#", "field",
                                   "created_at#"});
  if (!rows) return rows.status();
  for (const auto& row : *rows) {
    if (row["state"] != "complete") continue;
    std::string name = row["file_name"].get<std::string>();
    for (char& c : name)
      if (c == '/' || c == '\\') c = '_';
    std::string id = row["id"].get<std::string>();
    held.files.push_back({"files/" + id + "-" + name, complete_file(files_dir, id)});
  }
  held.records["uploads"] = std::move(*rows);
  return held;
}

Status anonymise(store::Tx& tx, const Withdrawal& w) {
  struct Row {
    std::string id, file_name, metadata;
  };
  std::vector<Row> rows;
  {
    auto q = tx.prepare("SELECT id, file_name, metadata FROM uploads WHERE owner_id = ?1");
    q.bind_int(1, w.user_id);
    for (;;) {
      auto row = q.step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      rows.push_back({q.text(0), q.text(1), q.text(2)});
    }
  }
  for (const auto& r : rows) {
    constexpr auto kOwn = Withdrawal::Scope::own;
    if (!w.traced(r.file_name, kOwn) && !w.traced(r.metadata, kOwn)) continue;
    auto metadata = nlohmann::json::parse(r.metadata, nullptr, false);
    std::string scrubbed = metadata.is_discarded() ? w.scrub(r.metadata, kOwn) : w.scrub_json(metadata, kOwn).dump();
    if (auto s = tx.prepare("UPDATE uploads SET file_name = ?2, metadata = ?3 WHERE id = ?1")
                     .bind_text(1, r.id)
                     .bind_text(2, w.scrub(r.file_name, kOwn))
                     .bind_text(3, scrubbed)
                     .run();
        !s)
      return s;
  }
  return Status::ok();
}

}  // namespace praktika::uploads
