#include "uploads/uploads.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <fstream>
#include <variant>

#include "common/errors.h"
#include "common/utf8.h"
#include "media/media.h"
#include "store/db.h"
#include "store/reserve.h"

namespace praktika::uploads {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

Status upload_finished() { return Status::conflict("upload_finished", "Загрузка этого файла уже завершена."); }
Status upload_busy() { return Status::conflict("upload_busy", "Этот файл уже загружается в другом окне."); }

// The part file of an upload under an exclusive flock, held until `hold` is released. flock
// conflicts between any two opens of the file, in one process or several, so this one lock keeps
// a second PATCH (here or in another instance on the data directory) and a deletion away.
struct LockedPart {
  std::shared_ptr<void> hold;  // closes the file, which releases the lock
  std::uint64_t size = 0;      // read under the lock
};

struct PartGone {};  // no part file: the upload was finished or deleted meanwhile

// An author's file is the one thing here nothing can make again: before its row says `complete`,
// its bytes are on the disk (fdatasync) and so is its new name (fsync of the folder), so a power
// cut right after the answer loses neither. The receiving side has been starting the writes all
// along (net::Server, sync_file_range), so what is left to wait for here is the last few megabytes.
bool sync_to_disk(const fs::path& path, bool data_only) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const int rc = data_only ? ::fdatasync(fd) : ::fsync(fd);
  ::close(fd);
  return rc == 0;
}

std::variant<LockedPart, PartGone, Status> lock_part(const fs::path& part) {
  int fd = ::open(part.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return PartGone{};
    return errors::storage_unavailable();
  }
  const int locked = ::flock(fd, LOCK_EX | LOCK_NB) == 0 ? 0 : errno;
  std::shared_ptr<void> hold(nullptr, [fd](void*) { ::close(fd); });
  if (locked != 0) return locked == EWOULDBLOCK ? upload_busy() : errors::storage_unavailable();
  // The lock's holder before us may have renamed (finished) or removed (deleted) the file we
  // opened: only the file still at the path counts.
  struct stat opened {}, at_path {};
  if (::fstat(fd, &opened) != 0) return errors::storage_unavailable();
  if (::stat(part.c_str(), &at_path) != 0 || opened.st_ino != at_path.st_ino || opened.st_dev != at_path.st_dev)
    return PartGone{};
  return LockedPart{std::move(hold), static_cast<std::uint64_t>(opened.st_size)};
}

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

// Files of a purpose may be started while the timeline takes them; one started in time may be
// finished until the purpose's grace after they stop being taken (without a grace: any time).
Status may_finish(const timeline::EventView& event, const timeline::FilePurpose& rules, TimePoint now) {
  if (!rules.finish_within_hours) return Status::ok();
  if (event.timeline->accepts_files(rules, now)) return Status::ok();
  auto last_close = event.timeline->files_close_at(rules);
  if (!last_close) return Status::ok();
  const TimePoint until = *last_close + std::chrono::hours(*rules.finish_within_hours);
  if (now <= until) return Status::ok();
  const std::string until_text = event.timeline->format(until);
  const std::string reach = timeline::organiser_contact(*event.agenda);
  return Status::conflict("deadline_passed", "Срок досылки файла «" + rules.title + "» истёк " + until_text +
                                                 ". Если файл нужен, обратитесь к организатору" +
                                                 (reach.empty() ? "" : ": " + reach) + ".")
      .with_details({{"until", until_text}});
}

// Metadata values are strings; a practice id that is not written canonically ("012", "+1") names
// no practice, as before the column existed.
std::optional<std::int64_t> practice_in(const json& metadata) {
  auto it = metadata.find("practice");
  if (it == metadata.end() || !it->is_string()) return std::nullopt;
  const std::string& text = it->get_ref<const std::string&>();
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc{} || end != text.data() + text.size() || std::to_string(id) != text) return std::nullopt;
  return id;
}

std::optional<std::string> field_in(const json& metadata) {
  auto it = metadata.find("field");
  if (it == metadata.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

}  // namespace

json Upload::to_json() const {
  return {{"id", id},           {"event", event_id}, {"purpose", purpose}, {"length", length},
          {"offset", offset},   {"file_name", file_name}, {"metadata", metadata}, {"state", state},
          {"verdict", verdict}};
}

UploadService::UploadService(store::Db& db, const timeline::Clock& clock, timeline::FindEvent find_event,
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
  if (!event) return errors::event_not_found();
  const timeline::FilePurpose* rules = event->agenda->find_files(purpose);
  if (!rules) return errors::unknown_purpose();
  const TimePoint now = clock_.now();
  if (!event->timeline->accepts_files(*rules, now))
    return Status::conflict("deadline_passed", "Сейчас файлы «" + rules->title + "» не принимаются.");
  std::uint64_t largest = 0;
  for (const auto& kind : rules->kinds) largest = std::max<std::uint64_t>(largest, kind.max_bytes.value_or(0));
  if (largest > 0 && length > largest)
    return Status::too_large("file_too_large", "Файл больше допустимого: не более " +
                                                   std::to_string(largest / (1024 * 1024)) + " МБ.");
  if (auto room = check_room(length); !room) return room;
  Upload upload;
  upload.id = random_id();
  upload.event_id = std::string(event_id);
  upload.owner_id = owner.id;
  upload.purpose = std::string(purpose);
  upload.length = length;
  upload.metadata = metadata.is_object() ? metadata : json::object();
  upload.file_name = clean_name(upload.metadata.value("filename", std::string()));
  upload.practice_id = practice_in(upload.metadata);
  upload.field = field_in(upload.metadata);
  upload.state = "receiving";
  // The part file exists from the start (PATCH appends to it, HEAD reads its size), and before the
  // row: a row without its bytes counts as deleted.
  {
    std::ofstream part(part_path(upload.id), std::ios::binary | std::ios::trunc);
    if (!part) return errors::storage_unavailable();
  }
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
    auto insert = tx.prepare(
        "INSERT INTO uploads(id, event_id, owner_id, purpose, length, file_name, metadata, practice_id, field, "
        "state, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?9, ?10, 'receiving', ?8, ?8)");
    if (upload.field) insert.bind_text(10, *upload.field);
    return insert.bind_text(1, upload.id)
        .bind_text(2, event_id)
        .bind_int(3, owner.id)
        .bind_text(4, purpose)
        .bind_int(5, static_cast<std::int64_t>(length))
        .bind_text(6, upload.file_name)
        .bind_text(7, upload.metadata.dump())
        .bind_int(8, now_ms)
        .bind_int(9, upload.practice_id)
        .run();
  });
  if (!s) {
    std::error_code ec;
    fs::remove(part_path(upload.id), ec);
    return s;
  }
  return upload;
}

Status UploadService::check_room(std::uint64_t bytes) const {
  auto free = store::free_bytes(uploads_dir_);
  if (!free || *free >= bytes + options_.free_space_margin) return Status::ok();
  return Status::unavailable(std::string(store::kStorageFull),
                             "На сервере не хватает места для этого файла. Попробуйте позже или сообщите организатору.");
}

bool UploadService::bytes_gone(const Upload& u) const {
  std::error_code ec;
  if (u.state == "complete") return !fs::exists(files_dir_ / u.id, ec);
  // Between the rename of a finished part file and the row's update, the bytes are in files/.
  if (u.state == "receiving") return !fs::exists(part_path(u.id), ec) && !fs::exists(files_dir_ / u.id, ec);
  return false;
}

Result<Upload> UploadService::load(std::string_view id) {
  auto u = load_row(id);
  if (u && bytes_gone(*u)) return errors::upload_not_found();
  return u;
}

Result<Upload> UploadService::load_row(std::string_view id) {
  if (!valid_id(id)) return errors::upload_not_found();
  Upload u;
  bool found = false;
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto q = tx.prepare(
        "SELECT id, event_id, owner_id, purpose, length, file_name, metadata, state, verdict, practice_id, field "
        "FROM uploads WHERE id = ?1");
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
    u.practice_id = q.optional_int64(9);
    if (!q.is_null(10)) u.field = q.text(10);
    return Status::ok();
  });
  if (!s) return s;
  if (!found) return errors::upload_not_found();
  u.offset = u.state == "receiving" ? size_on_disk(part_path(u.id)) : (u.state == "complete" ? u.length : 0);
  return u;
}

Result<Upload> UploadService::find(const accounts::User& who, std::string_view id) {
  auto u = load(id);
  if (!u) return u;
  // Someone else's upload does not exist for the caller.
  if (u->owner_id != who.id) return errors::upload_not_found();
  return u;
}

Result<PatchTicket> UploadService::begin_patch(const accounts::User& who, std::string_view id, std::uint64_t offset) {
  auto u = find(who, id);
  if (!u) return u.status();
  if (u->state != "receiving")
    return upload_finished();
  if (auto event = find_event_(u->event_id)) {
    if (const timeline::FilePurpose* rules = event->agenda->find_files(u->purpose))
      if (auto late = may_finish(*event, *rules, clock_.now()); !late) return late;
  }
  auto locked = lock_part(part_path(u->id));
  if (auto* error = std::get_if<Status>(&locked)) return *error;
  if (std::holds_alternative<PartGone>(locked)) {
    auto now = find(who, id);
    if (now && now->state != "receiving") return upload_finished();
    return errors::upload_not_found();
  }
  auto& part = std::get<LockedPart>(locked);
  // The size under the lock: another request may have appended since the row was read.
  if (offset != part.size)
    return Status::conflict("offset_mismatch", "Сервер получил другое количество байт: продолжите с " +
                                                   std::to_string(part.size) + ".")
        .with_details({{"offset", part.size}});
  if (part.size > u->length) return upload_finished();
  if (auto room = check_room(u->length - part.size); !room) return room;
  PatchTicket ticket;
  ticket.file = part_path(u->id);
  ticket.offset = part.size;
  ticket.remaining = u->length - part.size;
  ticket.hold = std::move(part.hold);
  if (auto event = find_event_(u->event_id))
    if (const timeline::FilePurpose* rules = event->agenda->find_files(u->purpose))
      ticket.header_refuses = header_watch(ticket.file, u->length, *rules, u->file_name);
  return ticket;
}

// Probes the part file as it grows, every 64 KB, until its header tells (or cannot tell) whether
// the video is too long; after that, or past media::kEarlyHeaderBytes, a call costs nothing.
std::function<bool()> UploadService::header_watch(const fs::path& file, std::uint64_t length,
                                                  const timeline::FilePurpose& rules, const std::string& name) {
  const bool limited = std::any_of(rules.kinds.begin(), rules.kinds.end(),
                                   [](const timeline::FileKind& k) { return k.max_duration_seconds.has_value(); });
  if (!limited) return nullptr;
  struct Watch {
    bool settled = false;
    std::uint64_t next = 0;
  };
  return [file, length, rules, name, watch = std::make_shared<Watch>()]() {
    if (watch->settled) return false;
    std::error_code ec;
    const std::uint64_t have = fs::file_size(file, ec);
    if (ec || have < watch->next) return false;
    watch->next = have + (64u << 10);
    auto early = media::early_check(file, have, length, rules, name);
    if (early.outcome == media::EarlyOutcome::undecided && have < media::kEarlyHeaderBytes) return false;
    watch->settled = true;
    return early.outcome == media::EarlyOutcome::too_long;
  };
}

Result<Upload> UploadService::finish_patch(const accounts::User& who, std::string_view id) {
  auto u = find(who, id);
  if (!u) return u;
  if (u->state == "receiving" && u->offset < u->length) {
    if (auto refused = refuse_early(*u); !refused || refused->state == "rejected") return refused;
  }
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
    if (!sync_to_disk(part, true)) return errors::storage_unavailable();
    fs::rename(part, files_dir_ / u->id, ec);
    if (ec) return errors::storage_unavailable();
    if (!sync_to_disk(files_dir_, false)) {  // the part back where a retried last PATCH looks for it
      fs::rename(files_dir_ / u->id, part, ec);
      return errors::storage_unavailable();
    }
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

// A video still arriving whose header already declares a length over the limit is rejected as
// the full check would reject it: the verdict recorded, the bytes removed.
Result<Upload> UploadService::refuse_early(Upload u) {
  auto event = find_event_(u.event_id);
  const timeline::FilePurpose* rules = event ? event->agenda->find_files(u.purpose) : nullptr;
  if (!rules) return u;
  fs::path part = part_path(u.id);
  auto early = media::early_check(part, u.offset, u.length, *rules, u.file_name);
  if (early.outcome != media::EarlyOutcome::too_long) return u;
  json verdict_json = early.verdict.to_json();
  auto s = db_.transaction([&](store::Tx& tx) {
    return tx.prepare("UPDATE uploads SET state = 'rejected', verdict = ?1, updated_at = ?2 WHERE id = ?3")
        .bind_text(1, verdict_json.dump())
        .bind_int(2, to_ms(clock_.now()))
        .bind_text(3, u.id)
        .run();
  });
  if (!s) return s;
  std::error_code ec;
  fs::remove(part, ec);
  u.state = "rejected";
  u.verdict = std::move(verdict_json);
  u.offset = 0;
  return u;
}

Result<fs::path> UploadService::stored_file(const accounts::Identity* who, std::string_view id, Upload* found) {
  auto u = load(id);
  if (!u) return u.status();
  bool allowed = who && (u->owner_id == who->user.id || accounts::is_organiser(*who, u->event_id));
  if (!allowed && u->state == "complete")
    allowed = std::any_of(read_grants_.begin(), read_grants_.end(), [&](const ReadGrant& g) { return g(who, *u); });
  if (!allowed) return who ? errors::upload_not_found() : errors::not_authenticated();
  if (u->state != "complete") return errors::upload_incomplete();
  if (found) *found = *u;
  return files_dir_ / u->id;
}

Status UploadService::remove(const accounts::User& who, std::string_view id) {
  // The row even when its bytes are gone: a deletion that removed them but not the row is repeated.
  auto u = load_row(id);
  if (!u) return u.status();
  if (u->owner_id != who.id) return errors::upload_not_found();
  auto locked = lock_part(part_path(u->id));
  if (auto* error = std::get_if<Status>(&locked)) {
    if (error->code() == "upload_busy") return Status::conflict("upload_busy", "Этот файл сейчас загружается.");
    return *error;
  }
  remove_bytes(u->id);
  return db_.transaction([&](store::Tx& tx) {
    return tx.prepare("DELETE FROM uploads WHERE id = ?1").bind_text(1, u->id).run();
  });
}

// Truncated before unlinked: a download still reading the file would keep its blocks until it
// closes, and the point on a full disk is to free them now.
void UploadService::remove_bytes(const std::string& id) const {
  auto discard = [](const fs::path& file) {
    std::error_code ec;
    if (fs::is_regular_file(file, ec)) fs::resize_file(file, 0, ec);
    fs::remove_all(file, ec);
  };
  discard(part_path(id));
  discard(files_dir_ / id);
  const std::string derived = id + ".";
  std::error_code ec;
  std::vector<fs::path> found;
  for (fs::directory_iterator it(files_dir_, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().filename().string().starts_with(derived)) found.push_back(it->path());
  for (const auto& file : found) discard(file);
}

}  // namespace praktika::uploads
