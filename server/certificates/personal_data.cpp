// The certificates' part of a person's request for their data (personal_data.h).
#include "certificates/personal_data.h"

#include "store/db.h"
#include "store/rows.h"

namespace praktika::certificates {
namespace {

Result<HeldData> data_of(store::Tx& tx, const DataSubject& who) {
  auto held = store::HeldRows(tx, who.user_id)
                  .add("certificates",
                       "SELECT number, event_id, template, data, email, state, created_at, made_at "
                       "FROM certificates WHERE user_id = ?1 ORDER BY event_id",
                       {"number", "event", "template", "data$", "email", "state", "created_at#", "made_at#"})
                  .done();
  if (!held) return held;
  for (const auto& row : held->records["certificates"]) {
    if (row["state"] != "made") continue;
    // Where CertificateService keeps a made document: <data>/certificates/<event>/<number>.pdf.
    const std::string number = row["number"].get<std::string>();
    held->files.push_back({"certificates/" + number + ".pdf",
                           who.data_dir / "certificates" / row["event"].get<std::string>() / (number + ".pdf")});
  }
  return held;
}

Status anonymise(store::Tx& tx, const Withdrawal& w) {
  if (auto s = tx.prepare("UPDATE certificates SET email = ?2 WHERE user_id = ?1")
                   .bind_int(1, w.user_id)
                   .bind_text(2, w.anonymous_email)
                   .run();
      !s)
    return s;
  // A co-author's certificate may name the person among a practice's authors.
  return store::rewrite_texts(tx, "SELECT id, data, CASE WHEN user_id = ?1 THEN 1 ELSE 0 END FROM certificates", w.user_id,
                              "UPDATE certificates SET data = ?2 WHERE id = ?1", w.rewrite_json());
}

}  // namespace

const PersonalDataPart kPersonalData{&data_of, &anonymise};

}  // namespace praktika::certificates
