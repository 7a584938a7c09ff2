#include "privacy/privacy.h"

#include <sodium.h>
#include <zip.h>

#include <cstdio>
#include <fstream>

#include "accounts/personal_data.h"
#include "certificates/personal_data.h"
#include "common/errors.h"
#include "common/personal_data.h"
#include "common/time.h"
#include "flashmob/personal_data.h"
#include "gallery/personal_data.h"
#include "intake/personal_data.h"
#include "mail/personal_data.h"
#include "review/personal_data.h"
#include "sections/personal_data.h"
#include "store/db.h"
#include "store/rows.h"
#include "timeline/agenda_reader.h"
#include "uploads/personal_data.h"

namespace praktika::privacy {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

Status organiser_cannot_withdraw() {
  return Status::conflict("organiser_cannot_withdraw",
                          "Организатор мероприятия не может отозвать согласие, пока за ним закреплена эта роль: "
                          "попросите другого организатора снять её.");
}

Status archive_failed() {
  return Status::internal("archive_failed", "Не удалось собрать архив с вашими данными. Попробуйте ещё раз позже.");
}

// Every module's part; a withdrawal anonymises them in this order, the account last.
const PersonalDataPart* const kParts[] = {
    &intake::kPersonalData, &uploads::kPersonalData,      &gallery::kPersonalData,
    &sections::kPersonalData, &review::kPersonalData,     &certificates::kPersonalData,
    &mail::kPersonalData,   &flashmob::kPersonalData,     &accounts::kPersonalData,
};

// Everything held, module by module, in one read: the records merged under their names, the files listed.
Result<HeldData> collect(store::Tx& tx, const accounts::User& user, const fs::path& data_dir) {
  const DataSubject who{user.id, user.email, data_dir};
  HeldData all;
  for (const PersonalDataPart* part : kParts) {
    auto held = part->data_of(tx, who);
    if (!held) return held.status();
    for (auto& [name, rows] : held->records.items()) all.records[name] = std::move(rows);
    for (auto& file : held->files) all.files.push_back(std::move(file));
  }
  return all;
}

// One value as a line of the readable summary: nested objects flattened to "a.b: value".
void summary_lines(std::string& out, const std::string& prefix, const json& value) {
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) summary_lines(out, prefix.empty() ? key : prefix + "." + key, item);
    return;
  }
  if (value.is_null()) return;
  out += "    " + prefix + ": " + (value.is_string() ? value.get<std::string>() : value.dump()) + "\n";
}

std::string summary_text(const json& records, const Settings& settings) {
  std::string out;
  for (const auto& [name, rows] : records.items()) {
    auto title = settings.summary_titles.find(name);
    out += (title != settings.summary_titles.end() ? title->second : name) + "\n";
    if (!rows.is_array() || rows.empty()) out += "    —\n";
    int n = 0;
    for (const auto& row : rows) {
      out += "  " + std::to_string(++n) + ".\n";
      summary_lines(out, "", row);
    }
    out += "\n";
  }
  return out;
}

std::string random_hex(size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

// Writes the archive at `path`: data.json, summary.txt and the files (missing ones left out).
Status write_zip(const fs::path& path, const std::string& data, const std::string& summary,
                 const std::vector<HeldFile>& files) {
  int error = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  if (!zip) return archive_failed();
  auto add_buffer = [zip](const char* name, const std::string& bytes) {
    zip_source_t* src = zip_source_buffer(zip, bytes.data(), bytes.size(), 0);
    if (!src) return false;
    if (zip_file_add(zip, name, src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) < 0) {
      zip_source_free(src);
      return false;
    }
    return true;
  };
  bool ok = add_buffer("data.json", data) && add_buffer("summary.txt", summary);
  for (const auto& file : files) {
    if (!ok) break;
    std::error_code ec;
    if (!fs::is_regular_file(file.path, ec)) continue;
    zip_source_t* src = zip_source_file(zip, file.path.c_str(), 0, -1);
    if (!src || zip_file_add(zip, file.name.c_str(), src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) < 0) {
      if (src) zip_source_free(src);
      ok = false;
    }
  }
  if (!ok) {
    zip_discard(zip);
    return archive_failed();
  }
  if (zip_close(zip) != 0) {
    zip_discard(zip);
    return archive_failed();
  }
  return Status::ok();
}

}  // namespace

std::variant<std::optional<Settings>, timeline::AgendaError> read_settings(const timeline::Agenda& agenda) {
  using namespace timeline::reader;
  const json* form = agenda.raw.is_object() && agenda.raw.contains("registration_form") ? &agenda.raw["registration_form"] : nullptr;
  if (!form || !form->is_object() || !form->contains("privacy")) return std::optional<Settings>();
  const std::string at = child(child(std::string(), "registration_form"), "privacy");
  Settings settings;
  try {
    Obj o((*form)["privacy"], at);
    settings.withdrawn_name = o.str("withdrawn_name");
    auto fields = [&](std::string_view key, std::set<std::string>& into) {
      each(o.array(key, false), o.at(key), [&](const json& j, const std::string& path) {
        if (!j.is_string()) fail(path, "must be a string");
        std::string id = j.get<std::string>();
        bool known = false;
        if (agenda.registration)
          for (const auto& field : agenda.registration->fields) known |= field.id == id;
        if (!known) fail(path, "\"" + id + "\" is not a field of the registration form");
        into.insert(std::move(id));
      });
    };
    fields("name_fields", settings.name_fields);
    fields("personal_fields", settings.personal_fields);
    for (const auto& id : settings.name_fields)
      if (!settings.personal_fields.count(id)) fail(o.at("name_fields"), "\"" + id + "\" must be among the personal_fields too");
    settings.archive_name = o.str("archive_name");
    settings.withdraw_confirmation = o.str("withdraw_confirmation");
    o.opt_str("withdrawn_notice");  // the front end's
    const json& titles = o.need("summary_titles");
    if (!titles.is_object()) fail(o.at("summary_titles"), "must be an object");
    for (const auto& [key, value] : titles.items()) {
      if (!value.is_string()) fail(child(o.at("summary_titles"), key), "must be a string");
      settings.summary_titles[key] = value.get<std::string>();
    }
    o.finish();
  } catch (const Bad& bad) {
    return timeline::AgendaError{agenda.source, bad.path, bad.problem};
  }
  return std::optional<Settings>(std::move(settings));
}

PrivacyService::PrivacyService(store::Db& db, const timeline::Clock& clock,
                               std::map<std::string, Settings, std::less<>> events, fs::path data_dir,
                               std::function<void(std::int64_t)> on_withdrawn)
    : db_(db), clock_(clock), events_(std::move(events)), data_dir_(std::move(data_dir)),
      on_withdrawn_(std::move(on_withdrawn)) {}

const Settings* PrivacyService::settings(std::string_view event_id) const {
  auto it = events_.find(event_id);
  return it == events_.end() ? nullptr : &it->second;
}

Status PrivacyService::log(std::string_view event_id, std::int64_t user_id, std::string_view kind) {
  const std::int64_t now = to_ms(clock_.now());
  return db_.transaction([&](store::Tx& tx) {
    return tx.prepare("INSERT INTO privacy_requests (event_id, user_id, kind, at) VALUES (?1, ?2, ?3, ?4)")
        .bind_text(1, event_id)
        .bind_int(2, user_id)
        .bind_text(3, kind)
        .bind_int(4, now)
        .run();
  });
}

Result<Archive> PrivacyService::archive(const accounts::Identity& who, std::string_view event_id) {
  const Settings* s = settings(event_id);
  if (!s) return errors::event_not_found();
  HeldData held;
  auto read = db_.read([&](store::Tx& tx) {
    auto all = collect(tx, who.user, data_dir_);
    if (!all) return all.status();
    held = std::move(*all);
    return Status::ok();
  });
  if (!read) return read;
  json data = {{"generated_at", format_instant(clock_.now())}, {"records", held.records}};
  std::error_code made;
  fs::create_directories(data_dir_ / "tmp", made);  // App::start makes it; a bare service may come first
  Archive out{data_dir_ / "tmp" / ("privacy-" + random_hex(12) + ".zip"), s->archive_name + ".zip"};
  if (auto st = write_zip(out.path, data.dump(2, ' ', false, json::error_handler_t::replace),
                          summary_text(held.records, *s), held.files);
      !st) {
    std::error_code ec;
    fs::remove(out.path, ec);
    return st;
  }
  if (auto st = log(event_id, who.user.id, "export"); !st) {
    std::error_code ec;
    fs::remove(out.path, ec);
    return st;
  }
  return out;
}

Status PrivacyService::withdraw(const accounts::Identity& who, std::string_view event_id) {
  const Settings* s = settings(event_id);
  if (!s) return errors::event_not_found();
  for (const auto& grant : who.roles)
    if (grant.role == accounts::Role::organiser) return organiser_cannot_withdraw();
  const std::int64_t now = to_ms(clock_.now());
  auto done = db_.transaction([&](store::Tx& tx) -> Status {
    auto user = accounts::user_by_id(tx, who.user.id);
    if (!user) return user.status();
    if (!*user) return errors::not_authenticated();
    Withdrawal w;
    w.user_id = (*user)->id;
    w.email = (*user)->email;
    w.anonymous_name = s->withdrawn_name;
    w.anonymous_email = "withdrawn-" + std::to_string(w.user_id) + "@praktika.invalid";
    w.at_ms = now;
    w.traces.push_back((*user)->full_name);
    // What the registrations say of the person, by each event's own list of personal fields.
    auto intake_part = intake::kPersonalData.data_of(tx, {w.user_id, w.email, data_dir_});
    if (!intake_part) return intake_part.status();
    for (const auto& registration : intake_part->records["registrations"]) {
      const std::string event = registration.value("event", "");
      const Settings* own = settings(event);
      const auto& fields = (own ? own : s)->personal_fields;
      w.personal_fields[event] = fields;
      const json& answers = registration["answers"];
      if (!answers.is_object()) continue;
      for (const auto& field : fields) {
        auto value = answers.find(field);
        if (value == answers.end() || !value->is_string() || value->get<std::string>().size() < 3) continue;
        auto& into = (own ? own : s)->name_fields.count(field) ? w.traces : w.own_traces;
        into.push_back(value->get<std::string>());
      }
    }
    for (const PersonalDataPart* part : kParts)
      if (auto st = part->anonymise(tx, w); !st) return st;
    return tx.prepare("INSERT INTO privacy_requests (event_id, user_id, kind, at) VALUES (?1, ?2, 'withdrawal', ?3)")
        .bind_text(1, event_id)
        .bind_int(2, w.user_id)
        .bind_int(3, now)
        .run();
  });
  if (!done) return done;
  // What the transaction replaced leaves the write-ahead log now, not at SQLite's next checkpoint.
  if (auto st = store::checkpoint(db_); !st) std::fprintf(stderr, "privacy: checkpoint: %s\n", st.message().c_str());
  if (on_withdrawn_) on_withdrawn_(who.user.id);
  return Status::ok();
}

Result<std::vector<LoggedRequest>> PrivacyService::requests(std::string_view event_id) {
  if (!settings(event_id)) return errors::event_not_found();
  std::vector<LoggedRequest> out;
  auto read = db_.read([&](store::Tx& tx) -> Status {
    auto q = tx.prepare("SELECT id, user_id, kind, at FROM privacy_requests WHERE event_id = ?1 ORDER BY id DESC");
    q.bind_text(1, event_id);
    return store::each_row(q, [&]() -> Status {
      out.push_back({q.int64(0), q.int64(1), q.text(2), from_ms(q.int64(3))});
      return Status::ok();
    });
  });
  if (!read) return read;
  return out;
}

}  // namespace praktika::privacy
