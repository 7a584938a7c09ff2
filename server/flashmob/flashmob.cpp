#include "flashmob/flashmob.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>

#include "common/errors.h"
#include "convert/child_process.h"
#include "convert/office.h"
#include "convert/pdf_pages.h"
#include "flashmob/pipeline.h"
#include "flashmob/schedule.h"
#include "flashmob/wire.h"
#include "log/log.h"
#include "media/media.h"
#include "store/columns.h"
#include "store/db.h"
#include "timeline/agenda_reader.h"
#include "timeline/timeline.h"
#include "uploads/uploads.h"

namespace praktika::flashmob {
namespace {

namespace fs = std::filesystem;

using nlohmann::json;

constexpr int kUpNext = 3;
constexpr size_t kMaxTitle = 300;
constexpr size_t kMaxInstitution = 500;

// An origin for CSP: scheme://host[:port], nothing a policy could be broken with.
bool valid_origin(const std::string& s) {
  std::string_view rest;
  if (s.rfind("https://", 0) == 0) rest = std::string_view(s).substr(8);
  else if (s.rfind("http://", 0) == 0) rest = std::string_view(s).substr(7);
  else return false;
  if (rest.empty() || rest.size() > 253) return false;
  return std::all_of(rest.begin(), rest.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':';
  });
}

struct ItemRow {
  std::int64_t id = 0;
  std::string event_id;
  std::int64_t owner_id = 0;
  std::string upload_id;
  std::string work_kind;
  std::string title;
  std::string institution;
  std::string media_kind;
  json measured;
  std::string play_state;
  std::string job;
  std::int64_t attempts = 0;
  std::optional<double> progress;
  std::string failure;
  std::string media_file;
  std::optional<std::int64_t> duration_ms;
  std::optional<std::int64_t> slides;
  std::string review;
  std::string reason;
  std::optional<std::int64_t> position;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::string owner_name;
  std::string owner_email;
  std::string hls_state;  // empty: no HLS (a presentation)
  std::int64_t hls_attempts = 0;
  json hls_renditions;
  std::optional<std::int64_t> captions_at;
};

constexpr const char* kColumns =
    "i.id, i.event_id, i.owner_id, i.upload_id, i.work_kind, i.title, i.institution, i.media_kind, i.measured, "
    "i.play_state, coalesce(i.job, ''), i.attempts, i.progress, coalesce(i.failure, ''), coalesce(i.media_file, ''), "
    "i.duration_ms, i.slides, i.review, i.reason, i.position, i.created_at, i.updated_at, "
    "coalesce(i.hls_state, ''), i.hls_attempts, coalesce(i.hls_renditions, '[]'), i.captions_at "
    "FROM flashmob_items i ";

ItemRow read_row(store::Stmt& q) {
  ItemRow r;
  store::read_columns(q, 0, r.id, r.event_id, r.owner_id, r.upload_id, r.work_kind, r.title, r.institution,
                      r.media_kind, store::json_text(r.measured), r.play_state, r.job, r.attempts, r.progress,
                      r.failure, r.media_file, r.duration_ms, r.slides, r.review, r.reason, r.position,
                      r.created_at, r.updated_at, r.hls_state, r.hls_attempts,
                      store::json_text(r.hls_renditions), r.captions_at);
  return r;
}

Result<std::vector<ItemRow>> select_items(store::Tx& tx, const std::string& where,
                                          const std::function<void(store::Stmt&)>& bind) {
  auto q = tx.prepare(std::string("SELECT ") + kColumns + where);
  bind(q);
  std::vector<ItemRow> rows;
  for (;;) {
    auto more = q.step();
    if (!more) return more.status();
    if (!*more) break;
    rows.push_back(read_row(q));
  }
  auto named = accounts::fill_from_users(tx, rows, [](const ItemRow& r) { return r.owner_id; },
                                         [](ItemRow& r, const accounts::User& owner) {
                                           r.owner_name = owner.full_name;
                                           r.owner_email = owner.email;
                                         });
  if (!named) return named;
  return rows;
}

Result<std::optional<ItemRow>> select_item(store::Tx& tx, std::string_view event_id, std::int64_t id) {
  auto rows = select_items(tx, "WHERE i.event_id = ?1 AND i.id = ?2", [&](store::Stmt& q) {
    q.bind_text(1, event_id).bind_int(2, id);
  });
  if (!rows) return rows.status();
  if (rows->empty()) return std::optional<ItemRow>();
  return std::optional<ItemRow>(std::move(rows->front()));
}

// The item's row read on its own, for a question about one item outside any other transaction.
Result<std::optional<ItemRow>> read_item(store::Db& db, std::string_view event_id, std::int64_t id) {
  std::optional<ItemRow> row;
  auto s = db.read([&](store::Tx& tx) -> Status {
    auto r = select_item(tx, event_id, id);
    if (!r) return r.status();
    row = std::move(*r);
    return Status::ok();
  });
  if (!s) return s;
  return row;
}

// Who may see an item's media: anyone once it is public (approved, and the feed has started),
// before that only its author and the event's organisers.
bool may_see(const ItemRow& row, bool is_public, const std::optional<accounts::Identity>& who,
             std::string_view event_id) {
  return is_public || (who && (who->user.id == row.owner_id || accounts::is_organiser(*who, event_id)));
}

// Approved and ready items in the feed's order: what the schedule plays.
Result<std::vector<ItemRow>> playlist(store::Tx& tx, std::string_view event_id) {
  return select_items(tx,
                      "WHERE i.event_id = ?1 AND i.review = 'approved' AND i.play_state = 'ready' "
                      "AND i.duration_ms > 0 ORDER BY i.position, i.id",
                      [&](store::Stmt& q) { q.bind_text(1, event_id); });
}

std::vector<Entry> entries(const std::vector<ItemRow>& rows) {
  std::vector<Entry> out;
  for (const auto& r : rows) out.push_back({r.id, Millis(r.duration_ms.value_or(0))});
  return out;
}

Result<Cursor> load_cursor(store::Tx& tx, std::string_view event_id) {
  Cursor c;
  auto q = tx.prepare(
      "SELECT anchor_at, anchor_item, anchor_offset_ms, paused, played FROM flashmob_feeds WHERE event_id = ?1");
  q.bind_text(1, event_id);
  auto row = q.step();
  if (!row) return row.status();
  if (!*row) return c;
  if (!q.is_null(0)) c.anchor_at = from_ms(q.int64(0));
  c.anchor_item = q.int64(1);
  c.anchor_offset = Millis(q.int64(2));
  c.paused = q.int64(3) != 0;
  json played = json::parse(q.text(4), nullptr, false);
  if (played.is_array())
    for (const auto& p : played)
      if (p.is_number_integer()) c.played.insert(p.get<std::int64_t>());
  return c;
}

Status save_cursor(store::Tx& tx, std::string_view event_id, const Cursor& c, TimePoint now) {
  json played = json::array();
  for (auto id : c.played) played.push_back(id);
  auto q = tx.prepare(
      "INSERT INTO flashmob_feeds(event_id, anchor_at, anchor_item, anchor_offset_ms, paused, played, updated_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(event_id) DO UPDATE SET anchor_at = ?2, anchor_item = ?3, "
      "anchor_offset_ms = ?4, paused = ?5, played = ?6, updated_at = ?7");
  q.bind_text(1, event_id);
  if (c.anchor_at) q.bind_int(2, to_ms(*c.anchor_at));
  else q.bind_null(2);
  return q.bind_int(3, c.anchor_item)
      .bind_int(4, c.anchor_offset.count())
      .bind_int(5, c.paused ? 1 : 0)
      .bind_text(6, played.dump())
      .bind_int(7, to_ms(now))
      .run();
}

// The made renditions as the store keeps them (wire.h's shape); anything else reads as none.
std::vector<StreamRendition> renditions_of(const json& stored) {
  std::vector<StreamRendition> out;
  if (!stored.is_array()) return out;
  for (const auto& r : stored) {
    if (!r.is_object()) continue;
    out.push_back({.name = r.value("name", std::string()),
                   .width = r.value("width", 0),
                   .height = r.value("height", 0),
                   .bandwidth = r.value("bandwidth", std::int64_t{0})});
  }
  return out;
}

std::optional<Captions> captions_of(const ItemRow& r, const Settings& settings) {
  if (!r.captions_at) return std::nullopt;
  return Captions{
      .attached_at_ms = *r.captions_at, .label = settings.captions_label, .language = settings.captions_language};
}

}  // namespace

Status item_not_found() { return Status::not_found("item_not_found", "Работа не найдена."); }

// The event as every module sees it, with what the flashmob read from its agenda.
struct FlashmobService::EventInfo : timeline::EventView {
  Settings settings;
  const timeline::FilePurpose* purpose = nullptr;  // files.flashmob
  std::optional<TimePoint> feed_start;
  std::string frame_ancestors;  // CSP value for the widget page
  int offset_minutes = 0;

  std::string format(TimePoint t) const { return format_instant(t, offset_minutes); }
  std::string work_kind_title(const std::string& id) const {
    if (purpose)
      for (const auto& k : purpose->work_kinds)
        if (k.id == id) return k.title;
    return id;
  }
  // The item as its owner and the organiser see it, and as the public does.
  Item item_of(const ItemRow& r) const;
  PublicItem public_of(const ItemRow& r) const;
};

struct FlashmobService::Job {
  std::int64_t item = 0;
  std::string event_id;
  std::string kind;  // video | slides | office | hls
  std::string upload_id;
  std::string media_file;  // hls: what plays now ('upload' or the MP4's name)
  json measured;
  std::int64_t attempt = 0;
};

std::variant<Settings, timeline::AgendaError> read_settings(const timeline::Agenda& agenda) {
  Settings s;
  bool present = agenda.modules.count("flashmob") > 0;
  auto error = timeline::reader::read_part(agenda, "flashmob", [&](timeline::reader::Obj& o) {
    std::string milestone = o.opt_str("feed_starts");
    if (!milestone.empty()) s.feed_starts = milestone;
    if (present && !agenda.find_milestone(s.feed_starts))
      timeline::reader::fail(o.at("feed_starts"), "names no milestone of this agenda: " + s.feed_starts);
    s.seconds_per_slide = o.opt_int("seconds_per_slide", 1, 600).value_or(s.seconds_per_slide);
    s.conversions_at_once = o.opt_int("conversions_at_once", 1, 16).value_or(s.conversions_at_once);
    s.conversion_timeout_seconds =
        o.opt_int("conversion_timeout_seconds", 10, 86400).value_or(s.conversion_timeout_seconds);
    s.slide_width_px = o.opt_int("slide_width_px", 320, 3840).value_or(s.slide_width_px);
    if (const json* c = o.find("captions")) {
      timeline::reader::Obj co(*c, o.at("captions"));
      s.captions_max_bytes = co.opt_int64("max_bytes", 1024, 10 * 1024 * 1024).value_or(s.captions_max_bytes);
      s.captions_max_cues = co.opt_int("max_cues", 1, 100'000).value_or(s.captions_max_cues);
      if (std::string label = co.opt_str("label"); !label.empty()) s.captions_label = label;
      if (std::string language = co.opt_str("language"); !language.empty()) s.captions_language = language;
      co.finish();
    }
    if (const auto* origins = o.opt_array("partner_origins")) {
      timeline::reader::each(*origins, o.at("partner_origins"), [&](const json& j, const std::string& path) {
        if (!j.is_string() || !valid_origin(j.get<std::string>()))
          timeline::reader::fail(path, "must be an origin like https://partner.example.org (lower case, no path)");
        s.partner_origins.push_back(j.get<std::string>());
      });
    }
    o.finish();
  });
  if (error) return *error;
  return s;
}

FlashmobService::FlashmobService(store::Db& db, const timeline::Clock& clock,
                                 const std::vector<timeline::EventView>& events, live::Publisher& publisher,
                                 uploads::UploadService& uploads, Options options)
    : db_(db),
      clock_(clock),
      publisher_(publisher),
      uploads_(uploads),
      options_(std::move(options)),
      media_dir_(options_.data_dir / "flashmob"),
      hls_dir_(media_dir_ / "hls"),
      captions_dir_(media_dir_ / "captions") {
  std::error_code ec;
  fs::create_directories(media_dir_, ec);
  fs::create_directories(hls_dir_, ec);
  fs::create_directories(captions_dir_, ec);
  for (const auto& view : events) add_event(view);
}

FlashmobService::~FlashmobService() { stop(); }

void FlashmobService::add_event(const timeline::EventView& v) {
  const timeline::EventView* view = &v;
  EventInfo e;
  e.agenda = view->agenda;
  e.timeline = view->timeline;
  auto settings = read_settings(*view->agenda);
  // main refuses an agenda whose part is bad; defaults keep a test-built App going regardless.
  if (auto* s = std::get_if<Settings>(&settings)) e.settings = *s;
  e.purpose = view->agenda->find_files("flashmob");
  e.feed_start = view->timeline->milestone_at(e.settings.feed_starts);
  if (!e.feed_start) e.feed_start = view->timeline->opens_at("flashmob");
  e.offset_minutes = view->timeline->utc_offset_minutes();
  e.frame_ancestors = "'self'";
  for (const auto& o : e.settings.partner_origins) e.frame_ancestors += " " + o;
  events_.emplace(view->agenda->id, std::move(e));
}

std::vector<std::string> FlashmobService::event_ids() const {
  std::vector<std::string> ids;
  for (const auto& [id, e] : events_) ids.push_back(id);
  return ids;
}

Result<const FlashmobService::EventInfo*> FlashmobService::event(std::string_view event_id) const {
  auto it = events_.find(event_id);
  if (it == events_.end()) return errors::event_not_found();
  if (!it->second.purpose || !it->second.feed_start)
    return Status::not_found("no_flashmob", "У этого мероприятия нет показа работ.");
  return &it->second;
}

std::optional<std::string> FlashmobService::frame_ancestors(std::string_view path) const {
  // /events/{id}/flashmob/widget
  constexpr std::string_view kPrefix = "/events/";
  constexpr std::string_view kSuffix = "/flashmob/widget";
  if (path.rfind(kPrefix, 0) != 0 || path.size() <= kPrefix.size() + kSuffix.size() ||
      path.substr(path.size() - kSuffix.size()) != kSuffix)
    return std::nullopt;
  auto id = path.substr(kPrefix.size(), path.size() - kPrefix.size() - kSuffix.size());
  auto it = events_.find(id);
  if (it == events_.end()) return std::nullopt;
  return it->second.frame_ancestors;
}

// ---- Items ------------------------------------------------------------------------------------

namespace {

Item item_from(const ItemRow& r, const std::string& kind_title, int offset_minutes, const Settings& settings) {
  Item item{.id = r.id,
            .event = r.event_id,
            .upload = r.upload_id,
            .file_name = r.measured.value("file_name", std::string()),
            .work_kind = r.work_kind,
            .work_kind_title = kind_title,
            .title = r.title,
            .institution = r.institution,
            .media_kind = r.media_kind,
            .measured = r.measured,
            .play = {.state = r.play_state, .attempts = r.attempts, .progress = r.progress},
            .review = r.review,
            .reason = r.reason,
            .position = r.position,
            .slides = r.slides,
            .hls = {.attempts = r.hls_attempts, .renditions = renditions_of(r.hls_renditions)},
            .captions = captions_of(r, settings),
            .owner = {.id = r.owner_id, .full_name = r.owner_name, .email = r.owner_email},
            .created_at = format_instant(from_ms(r.created_at), offset_minutes),
            .updated_at = format_instant(from_ms(r.updated_at), offset_minutes)};
  if (!r.failure.empty()) item.play.failure = r.failure;
  if (r.duration_ms) item.duration_s = static_cast<double>(*r.duration_ms) / 1000.0;
  if (!r.hls_state.empty()) item.hls.state = r.hls_state;
  return item;
}

// What the public sees of an item of the playlist (approved and ready).
PublicItem public_item_from(const ItemRow& r, const std::string& kind_title, const Settings& settings) {
  const bool rendered = r.media_kind == "presentation" && r.play_state == "ready";
  return {.id = r.id,
          .event = r.event_id,
          .title = r.title,
          .work_kind = r.work_kind,
          .work_kind_title = kind_title,
          .institution = r.institution,
          .media_kind = r.media_kind,
          .duration_s = static_cast<double>(r.duration_ms.value_or(0)) / 1000.0,
          .slides = rendered ? r.slides.value_or(0) : 0,
          .seconds_per_slide = settings.seconds_per_slide,
          .stream_ready = r.media_kind == "video" && r.hls_state == "ready",
          .captions = captions_of(r, settings)};
}

// Checks the form; every problem is listed at once.
Status check_submission(const Submission& f, const timeline::FilePurpose& purpose) {
  json problems = json::array();
  auto problem = [&](const char* path, const char* code, std::string message) {
    problems.push_back({{"path", path}, {"code", code}, {"message", std::move(message)}});
  };
  if (f.upload_id.empty()) problem("upload", "required", "Загрузите видеоролик или презентацию.");
  if (f.work_kind.empty()) {
    problem("work_kind", "required", "Выберите вид творческой работы.");
  } else if (std::none_of(purpose.work_kinds.begin(), purpose.work_kinds.end(),
                          [&](const timeline::Choice& c) { return c.id == f.work_kind; })) {
    problem("work_kind", "not_an_option", "Такого вида творческой работы нет в списке.");
  }
  if (f.title.empty()) problem("title", "required", "Укажите название творческой работы.");
  else if (f.title.size() > kMaxTitle) problem("title", "too_long", "Название слишком длинное.");
  if (f.institution.empty()) problem("institution", "required", "Укажите учреждение.");
  else if (f.institution.size() > kMaxInstitution) problem("institution", "too_long", "Название учреждения слишком длинное.");
  if (!problems.empty())
    return Status::unprocessable("invalid_fields", "Заполните обязательные поля.").with_details(problems);
  return Status::ok();
}

// The kind of the uploaded file ("video" or "presentation") once the upload is a finished,
// accepted flashmob file of this event.
Result<std::string> submitted_kind(const uploads::Upload& upload, std::string_view event_id,
                                   const timeline::FilePurpose& purpose) {
  if (upload.event_id != event_id) return errors::upload_not_found();
  if (upload.purpose != purpose.id)
    return Status::unprocessable("wrong_purpose", "Этот файл загружен не в раздел «" + purpose.title + "».");
  if (upload.state != "complete")
    return errors::upload_incomplete();
  // The upload's own check (media::check_file at its last byte) decided kind and limits.
  const json& verdict = upload.verdict;
  if (!verdict.is_object() || !verdict.value("ok", false))
    return Status::unprocessable("file_rejected", "Файл не прошёл проверку.").with_details(verdict);
  std::string kind = verdict.value("kind", std::string());
  if (kind != "video" && kind != "presentation")
    return Status::unprocessable("file_rejected", "Нужен видеоролик или презентация.").with_details(verdict);
  return kind;
}

std::vector<WorkKind> work_kinds_of(const timeline::FilePurpose& purpose) {
  std::vector<WorkKind> kinds;
  for (const auto& k : purpose.work_kinds) kinds.push_back({.id = k.id, .title = k.title});
  return kinds;
}

// Where a new item starts: ready to play, queued for a job, or waiting for a PDF.
struct FirstState {
  std::string play_state = "queued";
  std::string job;
  std::string failure;
  std::string media_file;
  std::optional<std::int64_t> duration_ms;
};

FirstState first_state(const std::string& kind, const json& verdict, const fs::path& file, const std::string& soffice) {
  FirstState st;
  if (kind == "video") {
    bool playable = verdict.contains("video") && verdict["video"].value("playable", false);
    auto seconds = verdict.find("duration_s");
    if (playable && seconds != verdict.end() && seconds->is_number() && seconds->get<double>() > 0) {
      st.play_state = "ready";
      st.media_file = "upload";
      st.duration_ms = static_cast<std::int64_t>(seconds->get<double>() * 1000.0);
    } else {
      st.job = "video";
    }
  } else {
    auto type = media::sniff(file);
    SlidesRoute route = plan_slides(type && *type == media::FileType::pdf, convert::on_path(soffice));
    if (route == SlidesRoute::render_pdf) {
      st.job = "slides";
    } else if (route == SlidesRoute::office_then_render) {
      st.job = "office";
    } else {
      st.play_state = "needs_pdf";
      st.failure = "Сервер не может показать презентацию в этом формате. Сохраните её как PDF (в PowerPoint: "
                   "«Файл» → «Сохранить как» → PDF) и отправьте PDF-файл.";
    }
  }
  return st;
}

}  // namespace

Item FlashmobService::EventInfo::item_of(const ItemRow& r) const {
  return item_from(r, work_kind_title(r.work_kind), offset_minutes, settings);
}

PublicItem FlashmobService::EventInfo::public_of(const ItemRow& r) const {
  return public_item_from(r, work_kind_title(r.work_kind), settings);
}

Result<Item> FlashmobService::submit(const accounts::User& author, std::string_view event_id, const Submission& form) {
  auto e = event(event_id);
  if (!e) return e.status();
  const EventInfo& info = **e;
  TimePoint now = clock_.now();
  if (!info.timeline->accepts_files(*info.purpose, now))
    return Status::conflict("deadline_passed", "Сейчас файлы «" + info.purpose->title + "» не принимаются.");

  if (auto checked = check_submission(form, *info.purpose); !checked) return checked;
  auto upload = uploads_.find(author, form.upload_id);
  if (!upload) return upload.status();
  auto kind_result = submitted_kind(*upload, event_id, *info.purpose);
  if (!kind_result) return kind_result.status();
  const std::string& kind = *kind_result;

  json measured = upload->verdict;
  measured["file_name"] = upload->file_name;
  FirstState st = first_state(kind, upload->verdict, options_.upload_files_dir / upload->id, options_.soffice);

  std::int64_t id = 0;
  std::int64_t now_ms = to_ms(now);
  auto s = db_.transaction([&](store::Tx& tx) -> Status {
    auto q = tx.prepare(
        "INSERT INTO flashmob_items(event_id, owner_id, upload_id, work_kind, title, institution, media_kind, "
        "measured, play_state, job, failure, media_file, duration_ms, created_at, updated_at, hls_state) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, ?15)");
    q.bind_text(1, event_id).bind_int(2, author.id).bind_text(3, upload->id).bind_text(4, form.work_kind);
    q.bind_text(5, form.title).bind_text(6, form.institution).bind_text(7, kind).bind_text(8, measured.dump());
    q.bind_text(9, st.play_state);
    if (st.job.empty()) q.bind_null(10);
    else q.bind_text(10, st.job);
    if (st.failure.empty()) q.bind_null(11);
    else q.bind_text(11, st.failure);
    if (st.media_file.empty()) q.bind_null(12);
    else q.bind_text(12, st.media_file);
    q.bind_int(13, st.duration_ms).bind_int(14, now_ms);
    // Every video also gets its adaptive stream, made once it plays (see claim()).
    if (kind == "video") q.bind_text(15, "queued");
    else q.bind_null(15);
    if (auto r = q.run(); !r) return r;
    id = tx.last_insert_id();
    return Status::ok();
  });
  if (!s) {
    if (store::is_conflict(s))
      return Status::conflict("upload_used", "Этот файл уже отправлен.");
    return s;
  }
  if (!st.job.empty() || kind == "video") {
    MutexLock lock(mutex_);
    wake_.notify_one();
  }
  auto item = load_item(event_id, id);
  if (!item) return item_not_found();
  return std::move(*item);
}

std::optional<Item> FlashmobService::load_item(std::string_view event_id, std::int64_t id) {
  std::optional<Item> out;
  auto e = event(event_id);
  if (!e) return out;
  db_.read([&](store::Tx& tx) -> Status {
    auto row = select_item(tx, event_id, id);
    if (!row) return row.status();
    if (*row) out = (*e)->item_of(**row);
    return Status::ok();
  });
  return out;
}

Result<OwnItems> FlashmobService::mine(const accounts::User& author, std::string_view event_id) {
  auto e = event(event_id);
  if (!e) return e.status();
  OwnItems own{.work_kinds = work_kinds_of(*(*e)->purpose)};
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto rows = select_items(tx, "WHERE i.event_id = ?1 AND i.owner_id = ?2 ORDER BY i.id", [&](store::Stmt& q) {
      q.bind_text(1, event_id).bind_int(2, author.id);
    });
    if (!rows) return rows.status();
    for (const auto& r : *rows) own.items.push_back((*e)->item_of(r));
    return Status::ok();
  });
  if (!s) return s;
  return own;
}

Result<Item> FlashmobService::item(const accounts::Identity& who, std::string_view event_id, std::int64_t id) {
  auto e = event(event_id);
  if (!e) return e.status();
  auto out = load_item(event_id, id);
  if (!out) return item_not_found();
  if (out->owner.id != who.user.id && !accounts::is_organiser(who, event_id)) return item_not_found();
  return std::move(*out);
}

// ---- The organiser's queue ----------------------------------------------------------------------

Result<Queue> FlashmobService::queue(std::string_view event_id) {
  auto e = event(event_id);
  if (!e) return e.status();
  Queue out;
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto rows = select_items(
        tx,
        "WHERE i.event_id = ?1 ORDER BY CASE i.review WHEN 'approved' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END, "
        "i.position, i.id",
        [&](store::Stmt& q) { q.bind_text(1, event_id); });
    if (!rows) return rows.status();
    for (const auto& r : *rows) out.items.push_back((*e)->item_of(r));
    return Status::ok();
  });
  if (!s) return s;
  auto feed = now(event_id);
  if (!feed) return feed.status();
  out.feed = std::move(*feed);
  return out;
}

Result<Feed> FlashmobService::change_feed(
    std::string_view event_id, const std::function<Status(store::Tx&, const EventInfo&, TimePoint)>& change) {
  auto e = event(event_id);
  if (!e) return e.status();
  TimePoint now = clock_.now();
  Feed state;
  auto s = db_.transaction([&](store::Tx& tx) -> Status {
    if (auto r = change(tx, **e, now); !r) return r;
    auto feed = now_in(tx, **e, now, nullptr);
    if (!feed) return feed.status();
    state = std::move(*feed);
    return Status::ok();
  });
  if (!s) return s;
  std::string id(event_id);
  publish_feed(id, state);
  if (feed_listener_) feed_listener_(id);
  return state;
}

namespace {

// The cursor settled at `now` before the queue or the controls change, so the past stays as it was.
Status settle_feed(store::Tx& tx, std::string_view event_id, TimePoint feed_start, TimePoint now) {
  auto cursor = load_cursor(tx, event_id);
  if (!cursor) return cursor.status();
  auto rows = playlist(tx, event_id);
  if (!rows) return rows.status();
  return save_cursor(tx, event_id, settle(*cursor, entries(*rows), feed_start, now), now);
}

}  // namespace

Result<Item> FlashmobService::decide(std::string_view event_id, std::int64_t id, bool approve,
                                     std::string_view reason) {
  if (!approve && reason.empty())
    return Status::unprocessable("reason_required", "Укажите причину, по которой материал не допущен.");
  auto changed = change_feed(event_id, [&](store::Tx& tx, const EventInfo& e, TimePoint now) -> Status {
    auto row = select_item(tx, event_id, id);
    if (!row) return row.status();
    if (!*row) return item_not_found();
    if (auto s = settle_feed(tx, event_id, *e.feed_start, now); !s) return s;
    if (approve && (*row)->review == "approved") return Status::ok();
    auto q = tx.prepare(
        "UPDATE flashmob_items SET review = ?1, reason = ?2, updated_at = ?3, position = CASE WHEN ?1 = 'approved' "
        "THEN (SELECT coalesce(max(position), 0) + 1 FROM flashmob_items WHERE event_id = ?4 AND review = "
        "'approved') ELSE NULL END WHERE id = ?5 AND event_id = ?4");
    return q.bind_text(1, approve ? "approved" : "rejected")
        .bind_text(2, approve ? std::string_view("") : reason)
        .bind_int(3, to_ms(now))
        .bind_text(4, event_id)
        .bind_int(5, id)
        .run();
  });
  if (!changed) return changed.status();
  return publish_item(std::string(event_id), id);
}

Result<Feed> FlashmobService::reorder(std::string_view event_id, const std::vector<std::int64_t>& order) {
  return change_feed(event_id, [&](store::Tx& tx, const EventInfo& e, TimePoint now) -> Status {
    auto approved = select_items(tx, "WHERE i.event_id = ?1 AND i.review = 'approved'",
                                 [&](store::Stmt& q) { q.bind_text(1, event_id); });
    if (!approved) return approved.status();
    std::set<std::int64_t> have, given(order.begin(), order.end());
    for (const auto& r : *approved) have.insert(r.id);
    if (given.size() != order.size() || given != have)
      return Status::unprocessable("order_mismatch",
                                   "Порядок должен перечислять каждый допущенный материал ровно один раз.")
          .with_details({{"approved", std::vector<std::int64_t>(have.begin(), have.end())}});
    if (auto s = settle_feed(tx, event_id, *e.feed_start, now); !s) return s;
    for (size_t i = 0; i < order.size(); ++i) {
      auto s = tx.prepare("UPDATE flashmob_items SET position = ?1, updated_at = ?2 WHERE id = ?3 AND event_id = ?4")
                   .bind_int(1, static_cast<std::int64_t>(i + 1))
                   .bind_int(2, to_ms(now))
                   .bind_int(3, order[i])
                   .bind_text(4, event_id)
                   .run();
      if (!s) return s;
    }
    return Status::ok();
  });
}

Result<Feed> FlashmobService::control(std::string_view event_id, std::string_view action) {
  if (action != "pause" && action != "resume" && action != "skip")
    return Status::unprocessable("invalid_action", "Ленту можно приостановить, продолжить или перейти к следующему материалу.");
  return change_feed(event_id, [&](store::Tx& tx, const EventInfo& e, TimePoint now) -> Status {
    auto cursor = load_cursor(tx, event_id);
    if (!cursor) return cursor.status();
    auto rows = playlist(tx, event_id);
    if (!rows) return rows.status();
    auto queue = entries(*rows);
    Cursor next = action == "pause"    ? pause(*cursor, queue, *e.feed_start, now)
                  : action == "resume" ? resume(*cursor, queue, *e.feed_start, now)
                                       : skip(*cursor, queue, *e.feed_start, now);
    return save_cursor(tx, event_id, next, now);
  });
}

// ---- The feed -----------------------------------------------------------------------------------

Result<Feed> FlashmobService::now_in(store::Tx& tx, const EventInfo& e, TimePoint now, std::optional<TimePoint>* next) {
  const std::string& event_id = e.agenda->id;
  auto cursor = load_cursor(tx, event_id);
  if (!cursor) return cursor.status();
  auto rows = playlist(tx, event_id);
  if (!rows) return rows.status();
  NowPlaying n = compute(*cursor, entries(*rows), *e.feed_start, now);
  if (next) *next = n.next_change;
  auto find = [&](std::int64_t id) -> const ItemRow* {
    for (const auto& r : *rows)
      if (r.id == id) return &r;
    return nullptr;
  };
  Feed out{.event = event_id,
           .state = n.state,
           .now = e.format(now),
           .feed_starts = e.format(*e.feed_start),
           .seconds_per_slide = e.settings.seconds_per_slide,
           .remaining = n.up_next.size()};
  if (const ItemRow* current = n.item ? find(*n.item) : nullptr)
    out.playing = Playing{.item = e.public_of(*current),
                          .started_at = e.format(n.started_at),
                          .position_s = static_cast<double>(n.position.count()) / 1000.0};
  for (size_t i = 0; i < n.up_next.size() && i < kUpNext; ++i)
    if (const ItemRow* r = find(n.up_next[i])) out.up_next.push_back(e.public_of(*r));
  if (n.next_change) out.next_change = e.format(*n.next_change);
  return out;
}

Result<Feed> FlashmobService::now(std::string_view event_id) {
  auto e = event(event_id);
  if (!e) return e.status();
  Feed out;
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto r = now_in(tx, **e, clock_.now(), nullptr);
    if (!r) return r.status();
    out = std::move(*r);
    return Status::ok();
  });
  if (!s) return s;
  return out;
}

std::optional<TimePoint> FlashmobService::next_change(std::string_view event_id) {
  auto e = event(event_id);
  if (!e) return std::nullopt;
  std::optional<TimePoint> next;
  db_.read([&](store::Tx& tx) -> Status {
    auto r = now_in(tx, **e, clock_.now(), &next);
    return r ? Status::ok() : r.status();
  });
  return next;
}

Result<Gallery> FlashmobService::gallery(std::string_view event_id) {
  auto e = event(event_id);
  if (!e) return e.status();
  Gallery out{.open = clock_.now() >= *(*e)->feed_start,
              .opens = (*e)->format(*(*e)->feed_start),
              .work_kinds = work_kinds_of(*(*e)->purpose)};
  if (out.open) {
    auto s = db_.read([&](store::Tx& tx) -> Status {
      auto rows = playlist(tx, event_id);
      if (!rows) return rows.status();
      for (const auto& r : *rows) out.items.push_back((*e)->public_of(r));
      return Status::ok();
    });
    if (!s) return s;
  }
  return out;
}

Result<MediaFile> FlashmobService::media(const std::optional<accounts::Identity>& who, std::string_view event_id,
                                         std::int64_t id, int slide) {
  auto e = event(event_id);
  if (!e) return e.status();
  auto found = read_item(db_, event_id, id);
  if (!found) return found.status();
  if (!*found) return item_not_found();
  const ItemRow& row = **found;
  MediaFile out;
  out.is_public = row.review == "approved" && clock_.now() >= *(*e)->feed_start;
  if (!may_see(row, out.is_public, who, event_id)) return item_not_found();
  if (row.play_state != "ready")
    return Status::conflict("not_playable_yet", "Материал ещё не готов к показу.");
  if (row.media_kind == "video") {
    if (slide != 0) return item_not_found();
    out.path = row.media_file == "upload" ? options_.upload_files_dir / row.upload_id : media_dir_ / row.media_file;
    out.content_type = "video/mp4";
    if (row.media_file == "upload") {
      auto type = media::sniff(out.path);
      if (type) out.content_type = std::string(media::mime_type(*type));
    }
  } else {
    if (slide < 1 || slide > row.slides.value_or(0)) return Status::not_found("slide_not_found", "Слайда нет.");
    out.path = media_dir_ / row.media_file / (std::to_string(slide) + ".png");
    out.content_type = "image/png";
  }
  return out;
}

void FlashmobService::publish_feed(const std::string& event_id, const Feed& now) {
  publisher_.publish(live::topic::flashmob(event_id), "now_playing", to_json(now));
}

Result<Item> FlashmobService::publish_item(const std::string& event_id, std::int64_t id) {
  auto item = load_item(event_id, id);
  if (!item) return item_not_found();
  publisher_.publish(live::topic::flashmob_item(event_id, id), "item", to_json(*item));
  return std::move(*item);
}

void FlashmobService::publish_progress(const std::string& event_id, const ConversionProgress& progress,
                                       const std::string& name) {
  publisher_.publish(live::topic::flashmob_item(event_id, progress.item), name, to_json(progress));
}

// ---- Conversion jobs ----------------------------------------------------------------------------

bool FlashmobService::stopping() const {
  MutexLock lock(mutex_);
  return stopping_;
}

void FlashmobService::start() {
  {
    MutexLock lock(mutex_);
    if (started_) return;
    started_ = true;
    stopping_ = false;
  }
  // A job that was running when the process died (or was stopped) runs again from the start.
  db_.transaction([](store::Tx& tx) {
    if (auto s = tx.exec("UPDATE flashmob_items SET play_state = 'queued', progress = NULL WHERE play_state = 'converting'");
        !s)
      return s;
    return tx.exec("UPDATE flashmob_items SET hls_state = 'queued', hls_progress = NULL WHERE hls_state = 'converting'");
  });
  // Partial outputs of conversions cut off by a crash are worthless (their ffmpeg, if it still
  // runs, writes on to the unlinked file and exits).
  std::error_code ec;
  for (auto it = fs::directory_iterator(media_dir_, ec); !ec && it != fs::directory_iterator(); it.increment(ec))
    if (it->path().filename().string().find(".converting.") != std::string::npos) fs::remove(it->path(), ec);
  for (auto it = fs::directory_iterator(hls_dir_, ec); !ec && it != fs::directory_iterator(); it.increment(ec))
    if (it->path().filename().string().find(".converting") != std::string::npos) fs::remove_all(it->path(), ec);
  int n = std::max(1, options_.workers);
  for (int i = 0; i < n; ++i) workers_.emplace_back([this] { work(); });
}

void FlashmobService::stop() {
  {
    MutexLock lock(mutex_);
    if (!started_) return;
    stopping_ = true;
    started_ = false;
  }
  wake_.notify_all();
  for (auto& t : workers_) t.join();
  workers_.clear();
}

void FlashmobService::work() {
  for (;;) {
    {
      MutexLock lock(mutex_);
      if (stopping_) return;
    }
    auto job = claim();
    if (job) {
      run(*job);
      continue;
    }
    MutexLock lock(mutex_);
    // Woken by a new job or stop(); the timeout also picks up work another process put in the
    // store. A wake-up of any kind just means claiming again.
    if (stopping_) return;
    wake_.wait_for(mutex_, std::chrono::seconds(5));
  }
}

// Takes the first row `select` finds (columns: id, event_id, kind, upload_id, media_file, measured,
// attempts so far) and marks it taken with `mark` (?1 the id), in one transaction with the caller.
Status FlashmobService::claim_row(store::Tx& tx, std::string_view select, std::string_view mark,
                                  std::optional<Job>& job) {
  auto q = tx.prepare(select);
  auto row = q.step();
  if (!row) return row.status();
  if (!*row) return Status::ok();
  Job j;
  j.item = q.int64(0);
  j.event_id = q.text(1);
  j.kind = q.text(2);
  j.upload_id = q.text(3);
  j.media_file = q.text(4);
  j.measured = json::parse(q.text(5), nullptr, false);
  j.attempt = q.int64(6) + 1;
  if (auto s = tx.prepare(mark).bind_int(1, j.item).run(); !s) return s;
  job = std::move(j);
  return Status::ok();
}

std::optional<FlashmobService::Job> FlashmobService::claim() {
  std::optional<Job> job;
  db_.transaction([&](store::Tx& tx) -> Status {
    auto s = claim_row(tx,
                       "SELECT id, event_id, job, upload_id, '', measured, attempts FROM flashmob_items "
                       "WHERE play_state = 'queued' ORDER BY id LIMIT 1",
                       "UPDATE flashmob_items SET play_state = 'converting', attempts = attempts + 1, progress = 0, "
                       "failure = NULL WHERE id = ?1",
                       job);
    if (!s || job) return s;
    // The adaptive stream of a video that plays already (its MP4 made, or the upload itself): after
    // every conversion a viewer waits for, so the feed fills first.
    return claim_row(tx,
                     "SELECT id, event_id, 'hls', upload_id, media_file, measured, hls_attempts FROM flashmob_items "
                     "WHERE hls_state = 'queued' AND play_state = 'ready' ORDER BY id LIMIT 1",
                     "UPDATE flashmob_items SET hls_state = 'converting', hls_attempts = hls_attempts + 1, "
                     "hls_progress = 0 WHERE id = ?1",
                     job);
  });
  if (job) publish_item(job->event_id, job->item);
  return job;
}

Result<FlashmobService::Conversions> FlashmobService::conversions(std::string_view event_id) const {
  Conversions c;
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto q = tx.prepare(
        "SELECT play_state, count(*) FROM flashmob_items WHERE (coalesce(?1, '') = '' OR event_id = ?1) "
        "AND play_state IN ('queued', 'converting', 'failed') GROUP BY play_state");
    q.bind_text(1, event_id);
    for (;;) {
      auto more = q.step();
      if (!more) return more.status();
      if (!*more) return Status::ok();
      std::string state = q.text(0);
      (state == "queued" ? c.queued : state == "converting" ? c.running : c.failed) = q.int64(1);
    }
  });
  if (!s) return s;
  return c;
}

void FlashmobService::finish_job(const Job& job, const Status& outcome, const std::string& media_file,
                                 std::optional<std::int64_t> duration_ms, std::optional<int> slides) {
  if (stopping()) return;  // cut off by a stop: it stays 'converting' and runs again at the next start
  std::int64_t now_ms = to_ms(clock_.now());
  auto s = db_.transaction([&](store::Tx& tx) -> Status {
    if (outcome) {
      return tx
          .prepare(
              "UPDATE flashmob_items SET play_state = 'ready', progress = 1, failure = NULL, media_file = ?1, "
              "duration_ms = ?2, slides = ?3, updated_at = ?4 WHERE id = ?5")
          .bind_text(1, media_file)
          .bind_int(2, duration_ms)
          .bind_int(3, slides ? std::optional<std::int64_t>(*slides) : std::nullopt)
          .bind_int(4, now_ms)
          .bind_int(5, job.item)
          .run();
    }
    return tx
        .prepare(
            "UPDATE flashmob_items SET play_state = ?1, progress = NULL, failure = ?2, updated_at = ?3 WHERE id = ?4")
        .bind_text(1, outcome.code() == "needs_pdf" ? "needs_pdf" : "failed")
        .bind_text(2, outcome.message())
        .bind_int(3, now_ms)
        .bind_int(4, job.item)
        .run();
  });
  (void)s;
  if (!outcome && outcome.code() != "needs_pdf") {
    log::note_problem("conversion_failed", job.event_id);
    log::warn("conversion.failed").num("item", job.item).str("event", job.event_id).str("error", outcome.code());
  }
  publish_item(job.event_id, job.item);
  // A newly ready item that is approved joins the feed: viewers get the new up_next.
  if (outcome) {
    auto e = event(job.event_id);
    if (e) {
      auto feed = now(job.event_id);
      if (feed) publish_feed(job.event_id, *feed);
      if (feed_listener_) feed_listener_(job.event_id);
    }
  }
}

// Reports a job's progress (a fraction) to the column and to the author at most once half a
// second and each whole percent.
FlashmobService::Progress FlashmobService::progress_reporter(const Job& job, const char* column, const char* name) {
  auto last_sent = std::chrono::steady_clock::time_point{};
  int last_percent = -1;
  std::string sql = std::string("UPDATE flashmob_items SET ") + column + " = ?1 WHERE id = ?2";
  return [this, &job, name, sql, last_sent, last_percent](double fraction) mutable {
    int percent = static_cast<int>(std::clamp(fraction, 0.0, 1.0) * 100);
    auto t = std::chrono::steady_clock::now();
    if (percent == last_percent || t - last_sent < std::chrono::milliseconds(500)) return;
    last_percent = percent;
    last_sent = t;
    db_.transaction([&](store::Tx& tx) {
      return tx.prepare(sql).bind_real(1, percent / 100.0).bind_int(2, job.item).run();
    });
    publish_progress(job.event_id, {.item = job.item, .percent = percent}, name);
  };
}

void FlashmobService::run(const Job& job) {
  if (job.kind == "hls") return run_hls(job);
  auto e = event(job.event_id);
  const Settings settings = e ? (*e)->settings : Settings{};
  fs::path source = options_.upload_files_dir / job.upload_id;
  Progress progress = progress_reporter(job, "progress", "progress");
  if (job.kind == "slides") return render_slides(job, source, settings, progress);
  if (job.kind == "office") return convert_office(job, source, settings, progress);
  convert_video(job, source, settings, progress);
}

// A PDF's pages become the item's slides.
void FlashmobService::render_slides(const Job& job, const fs::path& pdf, const Settings& settings,
                                    const Progress& progress) {
  std::string stem = std::to_string(job.item);
  fs::path dir = media_dir_ / (stem + "-slides");
  std::error_code ec;
  fs::remove_all(dir, ec);
  auto pages = convert::render_pdf_pages(pdf, dir, settings.slide_width_px, 10'000,
                                         [&](int done, int total) { progress(static_cast<double>(done) / total); });
  if (!pages) return finish_job(job, pages.status(), {}, {}, {});
  if (*pages == 0)
    return finish_job(job, Status::unprocessable("empty", "В презентации нет ни одного слайда."), {}, {}, {});
  finish_job(job, Status::ok(), stem + "-slides", std::int64_t{*pages} * settings.seconds_per_slide * 1000, *pages);
}

// An office presentation: soffice makes a PDF, whose pages become the slides.
void FlashmobService::convert_office(const Job& job, const fs::path& source, const Settings& settings,
                                     const Progress& progress) {
  fs::path dir = media_dir_ / (std::to_string(job.item) + "-office");
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir, ec);
  // soffice names its output after the input: give it a name with the right extension.
  auto type = media::sniff(source);
  std::string ext = type && *type == media::FileType::odp ? "odp" : type && *type == media::FileType::pptx ? "pptx" : "ppt";
  fs::path input = dir / ("presentation." + ext);
  fs::copy_file(source, input, fs::copy_options::overwrite_existing, ec);
  convert::OfficeOptions office;
  office.soffice = options_.soffice;
  office.timeout = std::chrono::seconds(settings.conversion_timeout_seconds);
  office.cancelled = [this] { return stopping(); };
  auto pdf = convert::convert_office(input, "pdf", dir, office);
  if (stopping()) return;
  if (!pdf)
    return finish_job(job,
                      Status::unprocessable("needs_pdf",
                                            "Презентацию не удалось преобразовать. Сохраните её как PDF и "
                                            "отправьте PDF-файл."),
                      {}, {}, {});
  render_slides(job, *pdf, settings, progress);
}

// Video: the MP4 (pipeline.h) that plays until the adaptive stream is made, and stays for download.
void FlashmobService::convert_video(const Job& job, const fs::path& source, const Settings& settings,
                                    const Progress& progress) {
  std::string stem = std::to_string(job.item);
  fs::path err = media_dir_ / (stem + ".log");
  double total = 0;
  if (auto d = job.measured.find("duration_s"); d != job.measured.end() && d->is_number()) total = d->get<double>();
  fs::path out = media_dir_ / (stem + ".mp4");
  // Per attempt: an ffmpeg orphaned by a crash of this process may still be writing the last one.
  fs::path partial = media_dir_ / (stem + "." + std::to_string(job.attempt) + ".converting.mp4");
  convert::ChildOptions o;
  VideoSource video{.path = source.string(), .playable = false};
  o.argv = *plan_video(options_.ffmpeg, video, {}, {}, partial.string()).mp4;
  o.stderr_file = err;
  o.timeout = std::chrono::seconds(settings.conversion_timeout_seconds);
  o.cancelled = [this] { return stopping(); };
  o.on_line = [&](std::string_view line) {
    if (auto seconds = convert::progress_seconds(line); seconds && total > 0) progress(*seconds / total);
  };
  auto ran = convert::run_child(o);
  if (stopping()) return;
  std::error_code ec;
  if (!ran) return finish_job(job, ran.status(), {}, {}, {});
  if (ran->timed_out || ran->exit_code != 0) {
    fs::remove(partial, ec);
    std::string why = ran->timed_out ? "Преобразование видео не уложилось в отведённое время."
                                     : "Видео не удалось преобразовать для показа в браузере.";
    if (!ran->stderr_tail.empty()) why += " Сообщение ffmpeg: " + ran->stderr_tail;
    return finish_job(job, Status::unprocessable("conversion_failed", why), {}, {}, {});
  }
  auto probed = media::probe_video(partial);
  if (!probed || !probed->playable || !probed->duration_s || *probed->duration_s <= 0) {
    fs::remove(partial, ec);
    // ffmpeg reads past damaged packets and may exit 0 with nothing decoded: the output tells.
    return finish_job(job,
                      Status::unprocessable("conversion_failed",
                                            "Видео не удалось преобразовать: в файле не нашлось ни одного кадра, "
                                            "который можно показать, — вероятно, файл повреждён. Сохраните ролик "
                                            "заново (лучше в MP4) и отправьте его ещё раз."),
                      {}, {}, {});
  }
  fs::rename(partial, out, ec);
  if (ec) return finish_job(job, Status::unavailable("storage_unavailable", "Нет места для видео."), {}, {}, {});
  fs::remove(err, ec);
  finish_job(job, Status::ok(), out.filename().string(),
             static_cast<std::int64_t>(*probed->duration_s * 1000.0), std::nullopt);
}

}  // namespace praktika::flashmob

namespace praktika::flashmob {
namespace {

// The master playlist, then a check that ffmpeg wrote every rendition's playlist.
Status write_master(const fs::path& partial, const VideoPlan& plan) {
  std::error_code ec;
  Status made = Status::ok();
  std::ofstream master(partial / "master.m3u8", std::ios::binary | std::ios::trunc);
  master << plan.master;
  master.close();
  for (size_t i = 0; made && i < plan.renditions.size(); ++i)
    if (!fs::exists(partial / ("v" + std::to_string(i) + ".m3u8"), ec))
      made = Status::unprocessable("conversion_failed", "Адаптивное видео не удалось подготовить.");
  if (made && !master)
    made = Status::unavailable("storage_unavailable", "Нет места для адаптивного видео.");
  return made;
}

}  // namespace

// One ffmpeg run of the adaptive stream (segments or poster); on_line, if set, reads its progress.
Status FlashmobService::run_hls_step(const std::string& stem, const std::vector<std::string>& argv,
                                     const Settings& settings, std::function<void(std::string_view)> on_line) {
  convert::ChildOptions o;
  o.argv = argv;
  o.stderr_file = hls_dir_ / (stem + ".log");
  o.timeout = std::chrono::seconds(settings.conversion_timeout_seconds);
  o.cancelled = [this] { return stopping(); };
  if (on_line) o.on_line = std::move(on_line);
  auto ran = convert::run_child(o);
  if (!ran) return ran.status();
  if (ran->timed_out || ran->exit_code != 0) {
    std::string why = ran->timed_out ? "Подготовка адаптивного видео не уложилась в отведённое время."
                                     : "Адаптивное видео не удалось подготовить.";
    if (!ran->stderr_tail.empty()) why += " Сообщение ffmpeg: " + ran->stderr_tail;
    return Status::unprocessable("conversion_failed", why);
  }
  return Status::ok();
}

void FlashmobService::run_hls(const Job& job) {
  auto e = event(job.event_id);
  const Settings settings = e ? (*e)->settings : Settings{};
  fs::path input = job.media_file == "upload" ? options_.upload_files_dir / job.upload_id : media_dir_ / job.media_file;
  auto probed = media::probe_video(input);
  if (!probed || probed->width <= 0 || probed->height <= 0)
    return finish_hls(job, Status::unprocessable("conversion_failed", "Видео не удалось прочитать для адаптивного показа."),
                      {});
  VideoSource source{.path = input.string(),
                     .width = probed->width,
                     .height = probed->height,
                     .duration_s = probed->duration_s.value_or(0),
                     .has_audio = !probed->audio_codec.empty(),
                     .playable = true};
  const std::string stem = std::to_string(job.item);
  // Per attempt, like the MP4: an ffmpeg orphaned by a crash may still be writing the last one.
  const fs::path partial = hls_dir_ / (stem + "." + std::to_string(job.attempt) + ".converting");
  std::error_code ec;
  fs::remove_all(partial, ec);
  fs::create_directories(partial, ec);
  VideoPlan plan = plan_video(options_.ffmpeg, source, partial.string(), (partial / "poster.jpg").string(), {});

  Progress progress = progress_reporter(job, "hls_progress", "hls_progress");
  Status made = run_hls_step(stem, plan.hls, settings, [&](std::string_view line) {
    if (auto seconds = convert::progress_seconds(line); seconds && source.duration_s > 0)
      progress(*seconds / source.duration_s);
  });
  if (stopping()) return;
  if (made) made = run_hls_step(stem, plan.poster, settings, {});
  if (stopping()) return;
  if (made) made = write_master(partial, plan);
  if (!made) {
    fs::remove_all(partial, ec);
    return finish_hls(job, made, {});
  }
  const fs::path done = hls_dir_ / stem;
  fs::remove_all(done, ec);
  fs::rename(partial, done, ec);
  if (ec) return finish_hls(job, Status::unavailable("storage_unavailable", "Нет места для адаптивного видео."), {});
  fs::remove(hls_dir_ / (stem + ".log"), ec);
  // An earlier attempt's directory that an orphaned ffmpeg kept filling while start() removed it.
  for (auto it = fs::directory_iterator(hls_dir_, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.rfind(stem + ".", 0) == 0 && name.ends_with(".converting")) fs::remove_all(it->path(), ec);
  }
  ec.clear();
  std::vector<StreamRendition> renditions;
  for (const auto& r : plan.renditions)
    renditions.push_back({.name = r.name(), .width = r.width, .height = r.height, .bandwidth = r.bandwidth()});
  finish_hls(job, Status::ok(), renditions);
}

void FlashmobService::finish_hls(const Job& job, const Status& outcome,
                                 const std::vector<StreamRendition>& renditions) {
  if (stopping()) return;  // cut off by a stop: it runs again at the next start
  db_.transaction([&](store::Tx& tx) -> Status {
    return tx
        .prepare("UPDATE flashmob_items SET hls_state = ?1, hls_progress = NULL, hls_renditions = ?2 WHERE id = ?3")
        .bind_text(1, outcome ? "ready" : "failed")
        .bind_text(2, to_json(renditions).dump())
        .bind_int(3, job.item)
        .run();
  });
  if (!outcome) {
    // The MP4 still plays: a failed ladder costs viewers on slow links, not the feed.
    log::note_problem("conversion_failed", job.event_id);
    log::warn("conversion.hls_failed").num("item", job.item).str("event", job.event_id).str("error", outcome.message());
  }
  publish_item(job.event_id, job.item);
  // Viewers are told too: a player still on the MP4 of the item now playing moves to the stream at
  // the feed's position (the position is the server's, so the switch keeps everyone in step).
  if (!outcome) return;
  if (auto feed = now(job.event_id)) publish_feed(job.event_id, *feed);
}

// ---- Files of the adaptive stream, and subtitles ------------------------------------------------

Result<MediaFile> FlashmobService::readable(const std::optional<accounts::Identity>& who, std::string_view event_id,
                                            std::int64_t id, std::string* hls_state,
                                            std::optional<std::int64_t>* captions_at) {
  auto e = event(event_id);
  if (!e) return e.status();
  auto found = read_item(db_, event_id, id);
  if (!found) return found.status();
  if (!*found || (*found)->media_kind != "video") return item_not_found();
  const ItemRow& row = **found;
  MediaFile out;
  out.is_public = row.review == "approved" && clock_.now() >= *(*e)->feed_start;
  if (!may_see(row, out.is_public, who, event_id)) return item_not_found();
  *hls_state = row.hls_state;
  *captions_at = row.captions_at;
  return out;
}

Result<MediaFile> FlashmobService::hls_file(const std::optional<accounts::Identity>& who, std::string_view event_id,
                                            std::int64_t id, std::string_view name) {
  if (!is_hls_file_name(name)) return item_not_found();
  std::string state;
  std::optional<std::int64_t> captions_at;
  auto out = readable(who, event_id, id, &state, &captions_at);
  if (!out) return out;
  if (state != "ready") return item_not_found();
  out->path = hls_dir_ / std::to_string(id) / std::string(name);
  bool playlist = name.size() > 5 && name.substr(name.size() - 5) == ".m3u8";
  out->content_type = playlist ? "application/vnd.apple.mpegurl" : name.ends_with(".ts") ? "video/mp2t" : "image/jpeg";
  out->immutable = !playlist;
  return out;
}

Result<MediaFile> FlashmobService::captions(const std::optional<accounts::Identity>& who, std::string_view event_id,
                                            std::int64_t id) {
  std::string state;
  std::optional<std::int64_t> captions_at;
  auto out = readable(who, event_id, id, &state, &captions_at);
  if (!out) return out;
  if (!captions_at) return Status::not_found("captions_not_found", "К этому видео нет субтитров.");
  out->path = captions_dir_ / (std::to_string(id) + ".vtt");
  out->content_type = "text/vtt; charset=utf-8";
  return out;
}

std::int64_t FlashmobService::captions_body_limit() const {
  std::int64_t limit = Settings{}.captions_max_bytes;
  for (const auto& [id, e] : events_) limit = std::max(limit, e.settings.captions_max_bytes);
  return limit;
}

Result<Item> FlashmobService::attach_captions(const accounts::User& author, std::string_view event_id, std::int64_t id,
                                              std::string_view bytes) {
  auto e = event(event_id);
  if (!e) return e.status();
  const Settings& settings = (*e)->settings;
  if (static_cast<std::int64_t>(bytes.size()) > settings.captions_max_bytes)
    return Status::too_large("captions_too_large", "Файл субтитров слишком большой: не более " +
                                                        std::to_string(settings.captions_max_bytes / 1024) + " КБ.");
  auto found = read_item(db_, event_id, id);
  if (!found) return found.status();
  if (!*found || (*found)->owner_id != author.id) return item_not_found();
  const ItemRow& row = **found;
  if (row.media_kind != "video")
    return Status::unprocessable("captions_for_video_only", "Субтитры можно добавить только к видеоролику.");
  double seconds = 24 * 3600.0;  // a video still converting: its measured length, else no bound to speak of
  if (row.duration_ms) seconds = *row.duration_ms / 1000.0;
  else if (auto d = row.measured.find("duration_s"); d != row.measured.end() && d->is_number())
    seconds = d->get<double>();
  auto vtt = to_webvtt(bytes, settings.captions_max_cues, seconds);
  if (!vtt) return vtt.status();
  const fs::path file = captions_dir_ / (std::to_string(id) + ".vtt");
  const fs::path partial = captions_dir_ / (std::to_string(id) + ".vtt.partial");
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    out << *vtt;
    if (!out.flush()) return Status::unavailable("storage_unavailable", "Нет места для субтитров.");
  }
  std::error_code ec;
  fs::rename(partial, file, ec);
  if (ec) return Status::unavailable("storage_unavailable", "Нет места для субтитров.");
  std::int64_t now_ms = to_ms(clock_.now());
  auto s = db_.transaction([&](store::Tx& tx) -> Status {
    return tx.prepare("UPDATE flashmob_items SET captions_at = ?1, updated_at = ?1 WHERE id = ?2")
        .bind_int(1, now_ms)
        .bind_int(2, id)
        .run();
  });
  if (!s) return s;
  return publish_item(std::string(event_id), id);
}

Result<Item> FlashmobService::remove_captions(const accounts::Identity& who, std::string_view event_id,
                                              std::int64_t id) {
  auto e = event(event_id);
  if (!e) return e.status();
  auto before = load_item(event_id, id);
  if (!before) return item_not_found();
  if (before->owner.id != who.user.id && !accounts::is_organiser(who, event_id)) return item_not_found();
  auto s = db_.transaction([&](store::Tx& tx) -> Status {
    return tx.prepare("UPDATE flashmob_items SET captions_at = NULL, updated_at = ?1 WHERE id = ?2")
        .bind_int(1, to_ms(clock_.now()))
        .bind_int(2, id)
        .run();
  });
  if (!s) return s;
  std::error_code ec;
  fs::remove(captions_dir_ / (std::to_string(id) + ".vtt"), ec);
  return publish_item(std::string(event_id), id);
}

}  // namespace praktika::flashmob
