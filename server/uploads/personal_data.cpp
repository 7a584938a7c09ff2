// The uploads' part of a person's request for their data (personal_data.h).
#include "uploads/personal_data.h"

#include <vector>

#include "store/db.h"
#include "store/rows.h"
#include "uploads/stored.h"

namespace praktika::uploads {
namespace {

Result<HeldData> data_of(store::Tx& tx, const DataSubject& who) {
  auto held = store::HeldRows(tx, who.user_id)
                  .add("uploads",
                       "SELECT id, event_id, purpose, file_name, length, state, practice_id, field, created_at "
                       "FROM uploads WHERE owner_id = ?1 ORDER BY created_at, id",
                       {"id", "event", "purpose", "file_name", "length#", "state", "practice#", "field", "created_at#"})
                  .done();
  if (!held) return held;
  for (const auto& row : held->records["uploads"]) {
    if (row["state"] != "complete") continue;
    std::string name = row["file_name"].get<std::string>();
    for (char& c : name)
      if (c == '/' || c == '\\') c = '_';
    std::string id = row["id"].get<std::string>();
    held->files.push_back({"files/" + id + "-" + name, complete_file(who.data_dir / "files", id)});
  }
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
    Status read = store::each_row(q, [&] {
      rows.push_back({q.text(0), q.text(1), q.text(2)});
    });
    if (!read) return read;
  }
  for (const auto& r : rows) {
    constexpr auto kOwn = Withdrawal::Scope::own;
    if (!w.traced(r.file_name, kOwn) && !w.traced(r.metadata, kOwn)) continue;
    std::string scrubbed = w.scrub_json_text(r.metadata, kOwn);
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

}  // namespace

const PersonalDataPart kPersonalData{&data_of, &anonymise};

}  // namespace praktika::uploads
