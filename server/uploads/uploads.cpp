#include "uploads/uploads.h"

#include <sodium.h>

#include <algorithm>
#include <fstream>

#include "common/utf8.h"
#include "media/media.h"
#include "store/db.h"

namespace praktika::uploads {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::int64_t to_ms(TimePoint t) { return t.time_since_epoch().count(); }

Status upload_not_found() { return Status::not_found("upload_not_found", "Загрузка не найдена."); }

std::string random_id() {
  unsigned char bytes[16];
  randombytes_buf(bytes, sizeof bytes);
  char hex[33];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  return hex;
}

bool valid_id(std::string_view id) {
  return id.size() == 32 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::uint64_t size_on_disk(const fs::path& file) {
  std::error_code ec;
  auto size = fs::file_size(file, ec);
  return ec ? 0 : size;
}

// A name for showing and for the family of old Office files; never used as a path. Cleaned like
// all typed text (a bidi override would make "gpj.exe" look like "exe.jpg"), and without slashes.
std::string clean_name(const std::string& name) {
  std::string out = clean_text(name, TextLines::one);
  std::erase_if(out, [](char c) { return c == '/' || c == '\\'; });
  out.resize(utf8_prefix_length(out, 255));  // never half a character: the name is JSON text
  return out.empty() ? "файл" : out;
}

std::vector<std::string> accepting_stages(const timeline::FilePurpose& rules) {
  return rules.accepted_during.empty() ? std::vector<std::string>{"intake"} : rules.accepted_during;
}

// Files of a purpose may be started while one of its stages is open; one started in time may be
// finished until the purpose's grace after the last of them closes (without a grace: any time).
Status may_finish(const intake::EventView& event, const timeline::FilePurpose& rules, TimePoint now) {
  if (!rules.finish_within_hours) return Status::ok();
  std::optional<TimePoint> last_close;
  for (const auto& stage : accepting_stages(rules)) {
    if (event.timeline->is_open(stage, now)) return Status::ok();
    auto closes = event.timeline->closes_at(stage);
    if (closes && (!last_close || *closes > *last_close)) last_close = closes;
  }
  if (!last_close) return Status::ok();
  const TimePoint until = *last_close + std::chrono::hours(*rules.finish_within_hours);
  if (now <= until) return Status::ok();
  const std::string until_text = event.timeline->format(until);
  return Status::conflict("deadline_passed", "Срок досылки файла «" + rules.title + "» истёк " + until_text +
                                                 ". Если файл нужен, обратитесь к организатору.")
      .with_details({{"until", until_text}});
}

}  // namespace

json Upload::to_json() const {
  return {{"id", id},           {"event", event_id}, {"purpose", purpose}, {"length", length},
          {"offset", offset},   {"file_name", file_name}, {"metadata", metadata}, {"state", state},
          {"verdict", verdict}};
}

UploadService::UploadService(store::Db& db, const timeline::Clock& clock, intake::FindEvent find_event,
                             Options options)
    : db_(db),
      clock_(clock),
      find_event_(std::move(find_event)),
      options_(std::move(options)),
      uploads_dir_(options_.data_dir / "uploads"),
      files_dir_(options_.data_dir / "files") {
  std::error_code ec;
  fs::create_directories(uploads_dir_, ec);
  fs::create_directories(files_dir_, ec);
}

fs::path UploadService::part_path(std::string_view id) const { return uploads_dir_ / (std::string(id) + ".part"); }

Result<Upload> UploadService::create(const accounts::User& owner, std::string_view event_id, std::string_view purpose,
                                     std::uint64_t length, const json& metadata) {
  auto event = find_event_(event_id);
  if (!event) return Status::not_found("event_not_found", "Мероприятие не найдено.");
  const timeline::FilePurpose* rules = event->agenda->find_files(purpose);
  if (!rules) return Status::bad_request("unknown_purpose", "Неизвестное назначение файла.");
  TimePoint now = clock_.now();
  const std::vector<std::string> stages = accepting_stages(*rules);
  bool open = std::any_of(stages.begin(), stages.end(),
                          [&](const std::string& s) { return event->timeline->is_open(s, now); });
  if (!open) return Status::conflict("deadline_passed", "Сейчас файлы «" + rules->title + "» не принимаются.");
  std::uint64_t largest = 0;
  for (const auto& kind : rules->kinds) largest = std::max<std::uint64_t>(largest, kind.max_bytes.value_or(0));
  if (largest > 0 && length > largest)
    return Status::too_large("file_too_large", "Файл больше допустимого: не более " +
                                                   std::to_string(largest / (1024 * 1024)) + " МБ.");
  Upload upload;
  upload.id = random_id();
  upload.event_id = std::string(event_id);
  upload.owner_id = owner.id;
  upload.purpose = std::string(purpose);
  upload.length = length;
  upload.metadata = metadata.is_object() ? metadata : json::object();
  upload.file_name = clean_name(upload.metadata.value("filename", std::string()));
  upload.state = "receiving";
  std::int64_t now_ms = to_ms(now);
  auto s = db_.transaction([&](store::Tx& tx) -> Status {
    auto used = tx.prepare(
        "SELECT coalesce(sum(length), 0) FROM uploads WHERE owner_id = ?1 AND event_id = ?2 AND state != 'rejected'");
    used.bind_int(1, owner.id).bind_text(2, event_id);
    auto row = used.step();
    if (!row) return row.status();
    if (static_cast<std::uint64_t>(used.int64(0)) + length > options_.quota_bytes)
      return Status::too_large("quota_exceeded",
                               "Превышен объём файлов одного участника. Удалите ненужные загрузки и повторите.");
    return tx
        .prepare(
            "INSERT INTO uploads(id, event_id, owner_id, purpose, length, file_name, metadata, state, created_at, "
            "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'receiving', ?8, ?8)")
        .bind_text(1, upload.id)
        .bind_text(2, event_id)
        .bind_int(3, owner.id)
        .bind_text(4, purpose)
        .bind_int(5, static_cast<std::int64_t>(length))
        .bind_text(6, upload.file_name)
        .bind_text(7, upload.metadata.dump())
        .bind_int(8, now_ms)
        .run();
  });
  if (!s) return s;
  // The part file exists from the start: PATCH appends to it, HEAD reads its size.
  std::ofstream part(part_path(upload.id), std::ios::binary | std::ios::trunc);
  if (!part) return Status::unavailable("storage_unavailable", "Сервер не может сохранить файл: нет места или доступа.");
  return upload;
}

Result<Upload> UploadService::load(std::string_view id) {
  if (!valid_id(id)) return upload_not_found();
  Upload u;
  bool found = false;
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto q = tx.prepare(
        "SELECT id, event_id, owner_id, purpose, length, file_name, metadata, state, verdict FROM uploads WHERE id = ?1");
    q.bind_text(1, id);
    auto row = q.step();
    if (!row) return row.status();
    if (!*row) return Status::ok();
    found = true;
    u.id = q.text(0);
    u.event_id = q.text(1);
    u.owner_id = q.int64(2);
    u.purpose = q.text(3);
    u.length = static_cast<std::uint64_t>(q.int64(4));
    u.file_name = q.text(5);
    u.metadata = json::parse(q.text(6), nullptr, false);
    u.state = q.text(7);
    u.verdict = q.is_null(8) ? json() : json::parse(q.text(8), nullptr, false);
    return Status::ok();
  });
  if (!s) return s;
  if (!found) return upload_not_found();
  u.offset = u.state == "receiving" ? size_on_disk(part_path(u.id)) : (u.state == "complete" ? u.length : 0);
  return u;
}

Result<Upload> UploadService::find(const accounts::User& who, std::string_view id) {
  auto u = load(id);
  if (!u) return u;
  // Someone else's upload does not exist for the caller.
  if (u->owner_id != who.id) return upload_not_found();
  return u;
}

Result<PatchTicket> UploadService::begin_patch(const accounts::User& who, std::string_view id, std::uint64_t offset) {
  auto u = find(who, id);
  if (!u) return u.status();
  if (u->state != "receiving")
    return Status::conflict("upload_finished", "Загрузка этого файла уже завершена.");
  if (auto event = find_event_(u->event_id)) {
    if (const timeline::FilePurpose* rules = event->agenda->find_files(u->purpose))
      if (auto late = may_finish(*event, *rules, clock_.now()); !late) return late;
  }
  if (offset != u->offset)
    return Status::conflict("offset_mismatch", "Сервер получил другое количество байт: продолжите с " +
                                                   std::to_string(u->offset) + ".")
        .with_details({{"offset", u->offset}});
  {
    std::lock_guard lock(mutex_);
    if (!busy_.insert(u->id).second)
      return Status::conflict("upload_busy", "Этот файл уже загружается в другом окне.");
  }
  PatchTicket ticket;
  ticket.file = part_path(u->id);
  ticket.offset = u->offset;
  ticket.remaining = u->length - u->offset;
  std::string key = u->id;
  ticket.hold = std::shared_ptr<void>(nullptr, [this, key](void*) {
    std::lock_guard lock(mutex_);
    busy_.erase(key);
  });
  return ticket;
}

Result<Upload> UploadService::finish_patch(const accounts::User& who, std::string_view id) {
  auto u = find(who, id);
  if (!u) return u;
  if (u->state != "receiving" || u->offset < u->length) {
    auto touched = db_.transaction([&](store::Tx& tx) {
      return tx.prepare("UPDATE uploads SET updated_at = ?1 WHERE id = ?2")
          .bind_int(1, to_ms(clock_.now()))
          .bind_text(2, u->id)
          .run();
    });
    if (!touched) return touched;
    return u;
  }
  // The last byte is in: the file is measured by its bytes against the purpose's rules.
  auto event = find_event_(u->event_id);
  const timeline::FilePurpose* rules = event ? event->agenda->find_files(u->purpose) : nullptr;
  if (!rules) return Status::not_found("unknown_purpose", "Неизвестное назначение файла.");
  fs::path part = part_path(u->id);
  auto verdict = media::check_file(part, *rules, u->file_name);
  json verdict_json = verdict.to_json();
  std::string state = verdict.ok ? "complete" : "rejected";
  std::error_code ec;
  if (verdict.ok) {
    fs::rename(part, files_dir_ / u->id, ec);
    if (ec) return Status::unavailable("storage_unavailable", "Сервер не может сохранить файл: нет места или доступа.");
    for (const auto& i : inspectors_)
      if (i.purpose == u->purpose) verdict_json[i.key] = i.inspect(*u, files_dir_ / u->id);
  }
  auto s = db_.transaction([&](store::Tx& tx) {
    return tx.prepare("UPDATE uploads SET state = ?1, verdict = ?2, updated_at = ?3 WHERE id = ?4")
        .bind_text(1, state)
        .bind_text(2, verdict_json.dump())
        .bind_int(3, to_ms(clock_.now()))
        .bind_text(4, u->id)
        .run();
  });
  if (!s) return s;
  if (!verdict.ok) fs::remove(part, ec);
  u->state = state;
  u->verdict = verdict_json;
  u->offset = verdict.ok ? u->length : 0;
  return u;
}

Result<fs::path> UploadService::stored_file(const accounts::Identity* who, std::string_view id, Upload* found) {
  auto u = load(id);
  if (!u) return u.status();
  bool allowed = who && (u->owner_id == who->user.id || accounts::is_organiser(*who, u->event_id));
  if (!allowed && u->state == "complete")
    allowed = std::any_of(read_grants_.begin(), read_grants_.end(), [&](const ReadGrant& g) { return g(who, *u); });
  if (!allowed) return who ? upload_not_found() : Status::unauthorized("not_authenticated", "Войдите в систему.");
  if (u->state != "complete") return Status::conflict("upload_incomplete", "Файл ещё не загружен полностью.");
  if (found) *found = *u;
  return files_dir_ / u->id;
}

Status UploadService::remove(const accounts::User& who, std::string_view id) {
  auto u = find(who, id);
  if (!u) return u.status();
  {
    std::lock_guard lock(mutex_);
    if (busy_.count(u->id)) return Status::conflict("upload_busy", "Этот файл сейчас загружается.");
  }
  auto s = db_.transaction([&](store::Tx& tx) {
    return tx.prepare("DELETE FROM uploads WHERE id = ?1").bind_text(1, u->id).run();
  });
  if (!s) return s;
  std::error_code ec;
  fs::remove(part_path(u->id), ec);
  fs::remove(files_dir_ / u->id, ec);
  return Status::ok();
}

}  // namespace praktika::uploads
