#include "gallery/gallery.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <iterator>
#include <map>

#include "common/errors.h"
#include "common/utf8.h"
#include "convert/office.h"
#include "convert/pdf_pages.h"
#include "live/publisher.h"
#include "intake/catalogue.h"
#include "gallery/stem.h"
#include "gallery/wire.h"
#include "media/media.h"
#include "review/review.h"
#include "store/columns.h"
#include "store/db.h"
#include "timeline/agenda_reader.h"
#include "timeline/timeline.h"
#include "uploads/stored.h"
#include "store/rows.h"

namespace praktika::gallery {
namespace {

using nlohmann::json;

Status practice_not_found() { return Status::not_found("practice_not_found", "В галерее этого нет: ничего не допущено под таким номером."); }
Status comment_not_found() { return Status::not_found("comment_not_found", "Комментарий не найден."); }

std::optional<timeline::AgendaError> read_rules(const timeline::Agenda& agenda, Rules& out) {
  return timeline::reader::read_part(agenda, "gallery", [&](timeline::reader::Obj& o) {
    Rules rules;
    if (o.find("public_from")) rules.public_from = o.instant("public_from");
    if (auto n = o.opt_int64("comment_max_chars", 1, 100000)) rules.comment_max_chars = static_cast<std::size_t>(*n);
    if (auto n = o.opt_int("page_size", 1, 200)) rules.page_size = *n;
    if (auto n = o.opt_int("preview_width_px", 200, 3000)) rules.preview_width_px = *n;
    if (auto n = o.opt_int("preview_max_pages", 1, 1000)) rules.preview_max_pages = *n;
    rules.flag_reasons = timeline::reader::read_choices(o, "flag_reasons", false);
    o.finish();
    out = rules;
  });
}

// Every value of a form answer as text, for the index.
void flatten(const json& value, std::string& out) {
  if (value.is_string()) {
    out += value.get_ref<const std::string&>();
    out += '\n';
  } else if (value.is_number()) {
    out += value.dump();
    out += '\n';
  } else if (value.is_structured()) {
    for (const auto& item : value) flatten(item, out);
  }
}

// At most `limit` code points of `s`.
std::string excerpt(const std::string& s, std::size_t limit) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((s[i] & 0xC0) != 0x80 && seen++ == limit) return s.substr(0, i) + "…";
  }
  return s;
}

std::optional<int> started_year(const json& answers) {
  auto relevance = answers.find("relevance");
  if (relevance == answers.end() || !relevance->is_object()) return std::nullopt;
  auto year = relevance->find("started_year");
  if (year == relevance->end() || !year->is_number_integer()) return std::nullopt;
  return year->get<int>();
}

std::string institution(const json& answers) {
  auto org = answers.find("organisation");
  if (org == answers.end() || !org->is_object()) return "";
  return org->value("name", "");
}

std::string type_title(const timeline::Agenda& agenda, const std::string& type) {
  if (!agenda.practice) return type;
  for (const auto& t : agenda.practice->types)
    if (t.id == type) return t.title;
  return type;
}

std::string section_title(const timeline::Agenda& agenda, int section) {
  const auto* s = agenda.find_section(section);
  return s ? s->title : "";
}

// An admitted practice as stored, read in one statement.
struct Admitted {
  std::int64_t id = 0;
  std::int64_t owner_id = 0;
  std::string owner_name;
  int section = 0;
  std::string type;
  json answers;
  std::string outcome;
  std::int64_t revision = 0;
  std::int64_t decided_at = 0;
};

Admitted from_catalogue(intake::Decided d) {
  Admitted a;
  a.id = d.practice.id;
  a.owner_id = d.practice.owner_id;
  a.owner_name = std::move(d.practice.owner_name);
  a.section = d.practice.section;
  a.type = std::move(d.practice.type);
  a.answers = std::move(d.practice.answers);
  a.outcome = std::move(d.outcome.outcome);
  a.revision = d.practice.revision;
  a.decided_at = d.outcome.decided_at;
  return a;
}

// The gallery shows the practices admitted to present or to the gallery, by id.
Result<std::vector<Admitted>> all_admitted(store::Tx& tx, std::string_view event_id,
                                           std::optional<std::int64_t> only = {}) {
  auto found = intake::admitted(tx, event_id, intake::kShownOutcomes, {}, only);
  if (!found) return found.status();
  std::vector<Admitted> out;
  for (auto& d : *found) out.push_back(from_catalogue(std::move(d)));
  std::sort(out.begin(), out.end(), [](const Admitted& a, const Admitted& b) { return a.id < b.id; });
  return out;
}

Result<std::optional<Admitted>> find_admitted(store::Tx& tx, std::string_view event_id, std::int64_t id) {
  auto found = all_admitted(tx, event_id, id);
  if (!found) return found.status();
  if (found->empty()) return std::optional<Admitted>{};
  return std::optional<Admitted>(std::move(found->front()));
}

PracticeSummary summary_of(const Admitted& a, const timeline::Agenda& agenda) {
  return {.id = a.id,
          .title = a.answers.value("name", ""),
          .section = a.section,
          .section_title = section_title(agenda, a.section),
          .type = a.type,
          .type_title = type_title(agenda, a.type),
          .institution = institution(a.answers),
          .year = started_year(a.answers),
          .outcome = a.outcome,
          .target_groups = excerpt(a.answers.value("target_groups", ""), 300),
          .excerpt = excerpt(a.answers.value("content", ""), 300)};
}

struct CommentRow {
  std::int64_t id = 0, practice_id = 0;
  std::optional<std::int64_t> parent_id;
  std::int64_t author_id = 0;
  std::string author_name, text;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> edited_at, deleted_at, hidden_at;
};

constexpr const char* kSelectComment =
    "SELECT c.id, c.practice_id, c.parent_id, c.author_id, c.text, c.created_at, c.edited_at, c.deleted_at, "
    "c.hidden_at FROM gallery_comments c ";

// The comments `where` selects, with their authors' names.
Result<std::vector<CommentRow>> read_comments(store::Tx& tx, const std::string& where,
                                              const std::function<void(store::Stmt&)>& bind) {
  auto q = tx.prepare(kSelectComment + where);
  bind(q);
  std::vector<CommentRow> rows;
  auto s = store::each_row(q, [&]() -> Status {
    CommentRow& c = rows.emplace_back();
    store::read_columns(q, 0, c.id, c.practice_id, c.parent_id, c.author_id, c.text, c.created_at, c.edited_at,
                        c.deleted_at, c.hidden_at);
    return Status::ok();
  });
  if (!s) return s;
  auto named = accounts::fill_from_users(tx, rows, [](const CommentRow& c) { return c.author_id; },
                                         [](CommentRow& c, const accounts::User& u) { c.author_name = u.full_name; });
  if (!named) return named;
  return rows;
}

Result<std::optional<CommentRow>> find_comment(store::Tx& tx, std::int64_t practice, std::int64_t id) {
  auto rows = read_comments(tx, "WHERE c.id = ?1 AND c.practice_id = ?2",
                            [&](store::Stmt& q) { q.bind_int(1, id).bind_int(2, practice); });
  if (!rows) return rows.status();
  if (rows->empty()) return std::optional<CommentRow>{};
  return std::optional<CommentRow>(std::move(rows->front()));
}

// A comment still standing (not deleted) under an admitted practice, with that practice.
struct Located {
  Admitted practice;
  CommentRow comment;
};

Result<Located> locate_comment(store::Tx& tx, std::string_view event_id, std::int64_t practice, std::int64_t id) {
  auto found = find_admitted(tx, event_id, practice);
  if (!found) return found.status();
  if (!*found) return practice_not_found();
  auto c = find_comment(tx, practice, id);
  if (!c) return c.status();
  if (!*c || (*c)->deleted_at) return comment_not_found();
  return Located{std::move(**found), std::move(**c)};
}

// `reveal`: the text of a hidden comment is shown (to its author, moderators and organisers).
Comment comment_of(const CommentRow& c, const timeline::Timeline& timeline, bool reveal) {
  bool hidden = c.hidden_at.has_value();
  bool deleted = c.deleted_at.has_value();
  Comment out{c.id, c.practice_id, c.parent_id, {c.author_id, c.author_name}, std::nullopt,
              timeline.format(from_ms(c.created_at)), std::nullopt, hidden, deleted};
  if (!deleted && (!hidden || reveal)) out.text = c.text;
  if (c.edited_at) out.edited_at = timeline.format(from_ms(*c.edited_at));
  return out;
}

enum CommentChange { kEdit, kDelete, kHide, kShow };

// A moderator's answer to the open flags of a comment: they stay (each person flags a comment
// once) but no longer count.
Status resolve_flags(store::Tx& tx, std::int64_t comment, TimePoint now) {
  return tx.prepare("UPDATE gallery_comment_flags SET cleared_at = ?1 WHERE comment_id = ?2 AND cleared_at IS NULL")
      .bind_int(1, to_ms(now))
      .bind_int(2, comment)
      .run();
}

Status forbidden_to_moderate() {
  return Status::forbidden("forbidden", "Скрывать комментарии и разбирать жалобы может модератор или организатор.");
}

bool moderates_gallery(const accounts::Identity& who, std::string_view event_id) {
  return accounts::is_organiser(who, event_id) || accounts::has_role(who, event_id, accounts::Role::moderator);
}

}  // namespace

std::optional<timeline::AgendaError> check_agenda(const timeline::Agenda& agenda) {
  Rules rules;
  return read_rules(agenda, rules);
}

Rules rules_of(const timeline::Agenda& agenda) {
  Rules rules;
  if (read_rules(agenda, rules)) return Rules{};  // main refused such an agenda at start-up
  return rules;
}

std::string practice_topic(std::string_view event_id, std::int64_t practice_id) {
  return live::topic::practice(event_id, practice_id);
}

std::string section_topic(std::string_view event_id, int section) {
  return "gallery:" + std::string(event_id) + ":" + std::to_string(section);
}

struct GalleryService::Access {
  timeline::EventView event;
  Rules rules;
  bool organiser = false;
  bool participant = false;  // may write while the stage is open
};

GalleryService::GalleryService(store::Db& db, const timeline::Clock& clock, timeline::FindEvent find_event,
                               intake::IntakeService& intake, std::filesystem::path files_dir)
    : db_(db), clock_(clock), find_event_(std::move(find_event)), intake_(intake), files_dir_(std::move(files_dir)) {}

Result<GalleryService::Access> GalleryService::access(Who who, std::string_view event_id) {
  auto event = find_event_(event_id);
  if (!event) return errors::event_not_found();
  Access a{*event, rules_of(*event->agenda)};
  TimePoint now = clock_.now();
  a.organiser = who && accounts::is_organiser(*who, event_id);
  if (who && !a.organiser) {
    a.participant = std::any_of(who->roles.begin(), who->roles.end(),
                                [&](const accounts::RoleGrant& g) { return g.event_id == event_id; });
    if (!a.participant) {
      auto s = db_.read([&](store::Tx& tx) -> Status {
        auto known = intake::registered_or_owner(tx, event_id, who->user.id);
        if (!known) return known.status();
        a.participant = *known;
        return Status::ok();
      });
      if (!s) return s;
    }
  }
  if (a.organiser) return a;
  if (a.rules.public_from && now >= *a.rules.public_from) return a;
  const std::string& of = event->agenda->words.genitive_plural;  // «Галерея практик», «Галерея докладов»
  if (!who) return Status::unauthorized("not_authenticated", "Войдите, чтобы открыть галерею " + of + ".");
  if (!a.participant) return Status::forbidden("not_a_participant", "Галерея " + of + " открыта только участникам мероприятия.");
  if (event->timeline->state_at("gallery", now) == timeline::StageState::upcoming)
    return Status::conflict("gallery_not_open", "Галерея " + of + " ещё не открыта.");
  return a;
}

Status GalleryService::may_read(Who who, std::string_view event_id) {
  auto a = access(who, event_id);
  return a ? Status::ok() : a.status();
}

Status GalleryService::refresh_index(std::string_view event_id, const timeline::Agenda& agenda) {
  // Stale: admitted practices changed (or newly admitted) since indexed, and indexed ones no
  // longer admitted. Found with a read so that a search in a quiet gallery never takes the write lock.
  std::vector<std::int64_t> stale;
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto admitted = all_admitted(tx, event_id);
    if (!admitted) return admitted.status();
    struct Indexed {
      std::int64_t revision, decided_at;
      std::string outcome, term_scheme;
    };
    std::map<std::int64_t, Indexed> indexed;
    auto q = tx.prepare(
        "SELECT practice_id, revision, outcome, decided_at, term_scheme FROM gallery_index WHERE event_id = ?1");
    q.bind_text(1, event_id);
    if (auto s = store::each_row(q, [&]() -> Status {
      indexed[q.int64(0)] = {q.int64(1), q.int64(3), q.text(2), q.text(4)};
      return Status::ok();
    }); !s) return s;
    for (const auto& a : *admitted) {
      auto g = indexed.find(a.id);
      if (g == indexed.end() || g->second.revision != a.revision || g->second.outcome != a.outcome ||
          g->second.decided_at != a.decided_at || g->second.term_scheme != term_scheme())
        stale.push_back(a.id);
      if (g != indexed.end()) indexed.erase(g);
    }
    for (const auto& [id, row] : indexed) stale.push_back(id);  // no longer admitted
    return Status::ok();
  });
  if (!s || stale.empty()) return s;
  return db_.transaction([&](store::Tx& tx) -> Status {
    for (std::int64_t id : stale) {
      auto found = find_admitted(tx, event_id, id);
      if (!found) return found.status();
      if (auto st = tx.prepare("DELETE FROM gallery_fts WHERE rowid = ?1").bind_int(1, id).run(); !st) return st;
      if (!*found) {
        if (auto st = tx.prepare("DELETE FROM gallery_index WHERE practice_id = ?1").bind_int(1, id).run(); !st)
          return st;
        continue;
      }
      const Admitted& a = **found;
      // Not the section's title: the section is a filter, and its title's words would match
      // every practice of the section («семей» in section 2's title).
      std::string text = type_title(agenda, a.type) + "\n";
      flatten(a.answers, text);
      std::string targets;
      flatten(a.answers.value("target_groups", json()), targets);
      // FTS5 is given our stems; PostgreSQL the words and their dictionary forms, which its
      // `russian` configuration stems (store/migrations/postgresql/009_gallery.sql).
      const bool pg = tx.dialect() == store::Dialect::postgresql;
      auto insert = tx.prepare("INSERT INTO gallery_fts(rowid, everything, target_groups) VALUES (?1, ?2, ?3)");
      insert.bind_int(1, id)
          .bind_text(2, pg ? forms_text(text) : stemmed_text(text))
          .bind_text(3, pg ? forms_text(targets) : stemmed_text(targets));
      if (auto st = insert.run(); !st) return st;
      auto year = started_year(a.answers);
      auto upsert = tx.prepare(
          "INSERT INTO gallery_index(practice_id, event_id, section, type, year, revision, outcome, decided_at, "
          "term_scheme) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(practice_id) DO UPDATE SET "
          "section = excluded.section, type = excluded.type, year = excluded.year, revision = excluded.revision, "
          "outcome = excluded.outcome, decided_at = excluded.decided_at, term_scheme = excluded.term_scheme");
      upsert.bind_int(1, id)
          .bind_text(2, event_id)
          .bind_int(3, a.section)
          .bind_text(4, a.type)
          .bind_int(5, year ? std::optional<std::int64_t>(*year) : std::nullopt)
          .bind_int(6, a.revision)
          .bind_text(7, a.outcome)
          .bind_int(8, a.decided_at)
          .bind_text(9, term_scheme());
      if (auto st = upsert.run(); !st) return st;
    }
    return Status::ok();
  });
}

namespace {

// An FTS5 query: every word must occur (in `column` when given), as any of its terms (a word
// with two lemmas matches either). Terms hold only letters and digits, so quoting them is enough
// to keep FTS5 syntax out.
std::string match_terms(std::string_view words, std::string_view column) {
  std::string out;
  for (const auto& terms : word_terms(words)) {
    if (!out.empty()) out += " AND ";
    if (!column.empty()) out += std::string(column) + " : ";
    out += '(';
    for (std::size_t i = 0; i < terms.size(); ++i) out += (i ? " OR \"" : "\"") + terms[i] + '"';
    out += ')';
  }
  return out;
}

// The same as a tsquery for PostgreSQL's `russian` configuration: any dictionary form of each
// word (PostgreSQL stems them as it stemmed the index); `target_groups` alone is weight B.
// Forms hold only letters and digits, so no tsquery syntax gets in.
std::string tsquery_terms(std::string_view words, bool target_groups) {
  std::string out;
  for (const auto& forms : word_forms(words)) {
    if (!out.empty()) out += " & ";
    out += '(';
    for (std::size_t i = 0; i < forms.size(); ++i) out += (i ? " | " : "") + forms[i] + (target_groups ? ":B" : "");
    out += ')';
  }
  return out;
}

}  // namespace

Result<SearchPage> GalleryService::search(Who who, std::string_view event_id, const Filter& filter) {
  auto a = access(who, event_id);
  if (!a) return a.status();
  const timeline::Agenda& agenda = *a->event.agenda;
  if (auto s = refresh_index(event_id, agenda); !s) return s;

  const bool pg = db_.dialect() == store::Dialect::postgresql;
  std::string match = pg ? tsquery_terms(filter.q, false) : match_terms(filter.q, "");
  std::string target = pg ? tsquery_terms(filter.target, true) : match_terms(filter.target, "target_groups");
  if (!target.empty()) match = match.empty() ? target : match + (pg ? " & " : " AND ") + target;
  std::string where =
      " WHERE g.event_id = ?1 AND (g.section = ?2 OR ?2 IS NULL) AND (?3 = '' OR g.type = ?3) "
      "AND (g.year = ?4 OR ?4 IS NULL)";
  std::string from = match.empty() ? " FROM gallery_index g" + where
                                   : " FROM gallery_index g JOIN gallery_fts f ON f.rowid = g.practice_id" + where +
                                         (pg ? " AND f.terms @@ to_tsquery('russian', ?5)" : " AND gallery_fts MATCH ?5");
  std::string order = match.empty() ? " ORDER BY g.section, g.practice_id"
                      : pg ? " ORDER BY ts_rank(f.terms, to_tsquery('russian', ?5)) DESC, g.practice_id"
                           : " ORDER BY f.rank, g.practice_id";
  const int page_size = a->rules.page_size;
  const int page = std::max(1, filter.page);

  SearchPage out{.page = page, .page_size = page_size};
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto bind = [&](store::Stmt& q) {
      q.bind_text(1, event_id)
          .bind_int(2, filter.section ? std::optional<std::int64_t>(*filter.section) : std::nullopt)
          .bind_text(3, filter.type)
          .bind_int(4, filter.year ? std::optional<std::int64_t>(*filter.year) : std::nullopt);
      if (!match.empty()) q.bind_text(5, match);
    };
    auto count = tx.prepare("SELECT count(*)" + from);
    bind(count);
    auto more = count.step();
    if (!more) return more.status();
    out.total = *more ? count.int64(0) : 0;

    auto q = tx.prepare("SELECT g.practice_id" + from + order + " LIMIT ?6 OFFSET ?7");
    bind(q);
    q.bind_int(6, page_size).bind_int(7, static_cast<std::int64_t>(page - 1) * page_size);
    std::vector<std::int64_t> ids;
    for (;;) {
      auto row = q.step();
      if (!row) return row.status();
      if (!*row) break;
      ids.push_back(q.int64(0));
    }
    for (std::int64_t id : ids) {
      auto found = find_admitted(tx, event_id, id);
      if (!found) return found.status();
      if (*found) out.practices.push_back(summary_of(**found, agenda));
    }
    return Status::ok();
  });
  if (!s) return s;
  out.pages = (out.total + page_size - 1) / page_size;
  return out;
}

Result<std::vector<SectionCount>> GalleryService::sections(Who who, std::string_view event_id) {
  auto a = access(who, event_id);
  if (!a) return a.status();
  const timeline::Agenda& agenda = *a->event.agenda;
  std::map<int, std::int64_t> counts;
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto admitted = all_admitted(tx, event_id);
    if (!admitted) return admitted.status();
    for (const auto& a : *admitted) ++counts[a.section];
    return Status::ok();
  });
  if (!s) return s;
  std::vector<SectionCount> list;
  for (const auto& section : agenda.sections) list.push_back({section.number, section.title, counts[section.number]});
  return list;
}

Result<std::vector<AdmittedTitle>> GalleryService::admitted(std::string_view event_id) {
  std::vector<AdmittedTitle> list;
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto admitted = all_admitted(tx, event_id);
    if (!admitted) return admitted.status();
    for (const auto& a : *admitted) list.push_back({a.id, a.answers.value("name", ""), a.section});
    return Status::ok();
  });
  if (!s) return s;
  return list;
}

Status GalleryService::may_read_practice(Who who, std::string_view event_id, std::int64_t id) {
  auto a = access(who, event_id);
  if (!a) return a.status();
  return db_.read([&](store::Tx& tx) -> Status {
    auto found = find_admitted(tx, event_id, id);
    if (!found) return found.status();
    return *found ? Status::ok() : practice_not_found();
  });
}

Result<GalleryPractice> GalleryService::practice(Who who, std::string_view event_id, std::int64_t id) {
  auto a = access(who, event_id);
  if (!a) return a.status();
  const timeline::Agenda& agenda = *a->event.agenda;
  GalleryPractice out;
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto found = find_admitted(tx, event_id, id);
    if (!found) return found.status();
    if (!*found) return practice_not_found();
    const Admitted& p = **found;
    out.summary = summary_of(p, agenda);
    out.event_id = std::string(event_id);
    out.answers = p.answers;
    out.owner_id = p.owner_id;
    out.owner_name = p.owner_name;
    intake::Practice practice;
    practice.id = p.id;
    practice.event_id = std::string(event_id);
    practice.owner_id = p.owner_id;
    auto shown = intake::files_of(tx, practice, intake::Audience::readers);
    if (!shown) return shown.status();
    std::stable_sort(shown->begin(), shown->end(),
                     [](const uploads::StoredFile& x, const uploads::StoredFile& y) { return x.purpose < y.purpose; });
    for (auto& f : *shown) out.files.push_back({.file = std::move(f)});
    return Status::ok();
  });
  if (!s) return s;
  // The clause 6.5 findings are the author's and the organiser's, not every reader's.
  const bool sees_findings = a->organiser || (who && who->user.id == out.owner_id);
  for (auto& f : out.files) {
    if (f.file.purpose != "document") continue;
    f.document = true;
    if (sees_findings) f.format = intake_.stored_document_check(event_id, f.file.id, f.file.file_name);
  }
  out.comments_open = a->event.timeline->is_open("gallery", clock_.now());
  out.topic = practice_topic(event_id, id);
  return out;
}

Result<Cabinet> GalleryService::cabinet(const accounts::Identity& who, std::string_view event_id) {
  auto mine = intake_.my_practices(who, event_id);
  if (!mine) return mine.status();
  auto event = find_event_(event_id);
  if (!event) return errors::event_not_found();
  TimePoint now = clock_.now();
  // Authors learn the decision when the agenda says they are notified (clause 5.7; the contest's
  // publication instant), not while the organiser may still change it.
  bool decided_visible = review::outcomes_public(*event, now);
  Cabinet out{.mine = std::move(*mine), .gallery_readable = may_read(&who, event_id).is_ok()};
  out.decisions.resize(out.mine.practices.size());
  auto s = db_.read([&](store::Tx& tx) -> Status {
    if (!decided_visible) return Status::ok();
    for (std::size_t i = 0; i < out.decisions.size(); ++i) {
      const intake::Practice& p = out.mine.practices[i].practice;
      auto decided = intake::outcome_of(tx, p.id);
      if (!decided) return decided.status();
      if (!*decided) continue;
      const std::string& outcome = (*decided)->outcome;
      out.decisions[i].decision = CabinetDecision{outcome, (*decided)->reason,
                                                  event->timeline->format(from_ms((*decided)->decided_at))};
      out.decisions[i].in_gallery = p.submitted() && (outcome == "present" || outcome == "gallery");
    }
    return Status::ok();
  });
  if (!s) return s;
  out.gallery_open = event->timeline->is_open("gallery", now);
  if (auto opens = event->timeline->opens_at("gallery")) out.gallery_opens = event->timeline->format(*opens);
  return out;
}

Result<Discussion> GalleryService::comments(Who who, std::string_view event_id, std::int64_t practice) {
  auto a = access(who, event_id);
  if (!a) return a.status();
  Discussion out;
  bool& moderator = out.moderator;
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto found = find_admitted(tx, event_id, practice);
    if (!found) return found.status();
    if (!*found) return practice_not_found();
    moderator = a->organiser ||
                (who && accounts::has_role(*who, event_id, accounts::Role::moderator, (*found)->section));
    auto comments = read_comments(tx, "WHERE c.practice_id = ?1 ORDER BY c.id",
                                  [&](store::Stmt& q) { q.bind_int(1, practice); });
    if (!comments) return comments.status();
    for (const auto& c : *comments) {
      bool reveal = moderator || (who && who->user.id == c.author_id);
      out.comments.push_back(comment_of(c, *a->event.timeline, reveal));
    }
    if (!who) return Status::ok();
    auto mine = tx.prepare(
        "SELECT f.comment_id FROM gallery_comment_flags f JOIN gallery_comments c ON c.id = f.comment_id "
        "WHERE c.practice_id = ?1 AND f.user_id = ?2 ORDER BY f.comment_id");
    mine.bind_int(1, practice).bind_int(2, who->user.id);
    return store::each_row(mine, [&]() -> Status {
      out.flagged.push_back(mine.int64(0));
      return Status::ok();
    });
  });
  if (!s) return s;
  bool open = a->event.timeline->is_open("gallery", clock_.now());
  out.writable = open && (a->organiser || a->participant);
  out.max_chars = a->rules.comment_max_chars;
  out.may_flag = a->participant;
  return out;
}

Status GalleryService::check_text(const Rules& rules, std::string_view text) const {
  if (text.empty()) return Status::unprocessable("empty_comment", "Напишите текст комментария.");
  if (utf8_length(text) > rules.comment_max_chars)
    return Status::unprocessable("comment_too_long", "Комментарий длиннее " + std::to_string(rules.comment_max_chars) +
                                                         " знаков: сократите его.");
  return Status::ok();
}

namespace {

// Writing is open while the gallery stage is.
Status stage_open_for_writing(const timeline::EventView& event, TimePoint now) {
  const std::string& many = event.agenda->words.genitive_plural;
  switch (event.timeline->state_at("gallery", now)) {
    case timeline::StageState::upcoming:
      return Status::conflict("not_open_yet", "Обсуждение " + many + " ещё не открыто.");
    case timeline::StageState::closed:
      return Status::conflict("gallery_closed", "Обсуждение " + many + " завершено: комментарии можно только читать.");
    case timeline::StageState::open:
      break;
  }
  return Status::ok();
}

}  // namespace

Result<Comment> GalleryService::add_comment(const accounts::Identity& who, std::string_view event_id,
                                         std::int64_t practice, std::string_view raw_text,
                                         std::optional<std::int64_t> parent) {
  auto a = access(&who, event_id);
  if (!a) return a.status();
  if (!a->organiser && !a->participant)
    return Status::forbidden("not_a_participant", "Обсуждать " + a->event.agenda->words.many + " могут только участники мероприятия.");
  TimePoint now = clock_.now();
  if (auto s = stage_open_for_writing(a->event, now); !s) return s;
  std::string text = clean_text(raw_text, TextLines::many);
  if (auto s = check_text(a->rules, text); !s) return s;
  Comment out;
  auto s = db_.transaction([&](store::Tx& tx) -> Status {
    auto found = find_admitted(tx, event_id, practice);
    if (!found) return found.status();
    if (!*found) return practice_not_found();
    if (parent) {
      auto p = find_comment(tx, practice, *parent);
      if (!p) return p.status();
      if (!*p || (*p)->deleted_at) return comment_not_found();
      if ((*p)->parent_id)
        return Status::unprocessable("reply_too_deep", "Ответить можно только на комментарий, а не на ответ.");
    }
    auto insert = tx.prepare(
        "INSERT INTO gallery_comments(practice_id, parent_id, author_id, text, created_at) VALUES (?1, ?2, ?3, ?4, ?5)");
    insert.bind_int(1, practice).bind_int(2, parent).bind_int(3, who.user.id).bind_text(4, text).bind_int(5, to_ms(now));
    if (auto st = insert.run(); !st) return st;
    auto fresh = find_comment(tx, practice, tx.last_insert_id());
    if (!fresh) return fresh.status();
    out = comment_of(**fresh, *a->event.timeline, false);
    return Status::ok();
  });
  if (!s) return s;
  return out;
}

Result<Comment> GalleryService::change_comment(const accounts::Identity& who, std::string_view event_id,
                                            std::int64_t practice, std::int64_t comment, int what,
                                            std::string_view raw_text) {
  bool moderating = what == kHide || what == kShow;
  // Who may moderate at all is answered first, whatever the state of the gallery; the section is
  // checked below, once the practice is known.
  if (moderating && !accounts::is_organiser(who, event_id) && !accounts::has_role(who, event_id, accounts::Role::moderator))
    return Status::forbidden("forbidden", "Скрывать комментарии может модератор или организатор.");
  auto a = access(&who, event_id);
  if (!a) return a.status();
  TimePoint now = clock_.now();
  if (!moderating)
    if (auto s = stage_open_for_writing(a->event, now); !s) return s;
  std::string text = clean_text(raw_text, TextLines::many);
  if (what == kEdit)
    if (auto s = check_text(a->rules, text); !s) return s;
  Comment out;
  auto s = db_.transaction([&](store::Tx& tx) -> Status {
    auto located = locate_comment(tx, event_id, practice, comment);
    if (!located) return located.status();
    if (moderating) {
      if (!a->organiser && !accounts::has_role(who, event_id, accounts::Role::moderator, located->practice.section))
        return Status::forbidden("forbidden", "Скрывать комментарии может модератор или организатор.");
    } else if (located->comment.author_id != who.user.id) {
      return Status::forbidden("not_author", "Изменять комментарий может только его автор.");
    }
    Status st;
    switch (what) {
      case kEdit:
        st = tx.prepare("UPDATE gallery_comments SET text = ?1, edited_at = ?2 WHERE id = ?3")
                 .bind_text(1, text)
                 .bind_int(2, to_ms(now))
                 .bind_int(3, comment)
                 .run();
        break;
      case kDelete:
        st = tx.prepare("UPDATE gallery_comments SET deleted_at = ?1 WHERE id = ?2")
                 .bind_int(1, to_ms(now))
                 .bind_int(2, comment)
                 .run();
        break;
      case kHide:
        st = tx.prepare("UPDATE gallery_comments SET hidden_by = ?1, hidden_at = ?2 WHERE id = ?3")
                 .bind_int(1, who.user.id)
                 .bind_int(2, to_ms(now))
                 .bind_int(3, comment)
                 .run();
        if (st) st = resolve_flags(tx, comment, now);  // hiding answers the flags raised on it
        break;
      default:
        st = tx.prepare("UPDATE gallery_comments SET hidden_by = NULL, hidden_at = NULL WHERE id = ?1")
                 .bind_int(1, comment)
                 .run();
        break;
    }
    if (!st) return st;
    auto fresh = find_comment(tx, practice, comment);
    if (!fresh) return fresh.status();
    out = comment_of(**fresh, *a->event.timeline, false);
    return Status::ok();
  });
  if (!s) return s;
  return out;
}

Result<Comment> GalleryService::edit_comment(const accounts::Identity& who, std::string_view event_id,
                                          std::int64_t practice, std::int64_t comment, std::string_view text) {
  return change_comment(who, event_id, practice, comment, kEdit, text);
}

Result<Comment> GalleryService::delete_comment(const accounts::Identity& who, std::string_view event_id,
                                            std::int64_t practice, std::int64_t comment) {
  return change_comment(who, event_id, practice, comment, kDelete, {});
}

Result<Comment> GalleryService::hide_comment(const accounts::Identity& who, std::string_view event_id,
                                          std::int64_t practice, std::int64_t comment, bool hidden) {
  return change_comment(who, event_id, practice, comment, hidden ? kHide : kShow, {});
}

namespace {

bool known_reason(const Rules& rules, std::string_view reason) {
  return std::any_of(rules.flag_reasons.begin(), rules.flag_reasons.end(),
                     [&](const timeline::Choice& c) { return c.id == reason; });
}

// The open flags of the event's comments: their number, the latest and the count per reason ("" none).
struct OpenFlags {
  std::int64_t count = 0;
  std::int64_t latest = 0;
  std::map<std::string, std::int64_t> reasons;
};

Result<std::map<std::int64_t, OpenFlags>> open_flags(store::Tx& tx) {
  std::map<std::int64_t, OpenFlags> out;
  auto q = tx.prepare(
      "SELECT comment_id, coalesce(reason, ''), count(*), max(flagged_at) FROM gallery_comment_flags "
      "WHERE cleared_at IS NULL GROUP BY comment_id, coalesce(reason, '')");
  auto s = store::each_row(q, [&]() -> Status {
    OpenFlags& f = out[q.int64(0)];
    f.count += q.int64(2);
    f.latest = std::max(f.latest, q.int64(3));
    f.reasons[q.text(1)] = q.int64(2);
    return Status::ok();
  });
  if (!s) return s;
  return out;
}

}  // namespace

Status GalleryService::flag_comment(const accounts::Identity& who, std::string_view event_id, std::int64_t practice,
                                    std::int64_t comment, std::string_view reason) {
  auto a = access(&who, event_id);
  if (!a) return a.status();
  if (!a->participant)
    return Status::forbidden("not_a_participant", "Пожаловаться на комментарий могут только участники мероприятия.");
  if (!reason.empty() && !known_reason(a->rules, reason))
    return Status::unprocessable("invalid_reason", "Выберите причину жалобы из списка.");
  return db_.transaction([&](store::Tx& tx) -> Status {
    auto located = locate_comment(tx, event_id, practice, comment);
    if (!located) return located.status();
    if (located->comment.author_id == who.user.id)
      return Status::unprocessable("own_comment", "Пожаловаться на свой комментарий нельзя.");
    auto insert = tx.prepare(
        "INSERT INTO gallery_comment_flags(comment_id, user_id, reason, flagged_at) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT(comment_id, user_id) DO NOTHING");
    insert.bind_int(1, comment).bind_int(2, who.user.id);
    if (reason.empty()) insert.bind_null(3);
    else insert.bind_text(3, reason);
    insert.bind_int(4, to_ms(clock_.now()));
    if (auto st = insert.run(); !st) return st;
    if (tx.changes() == 0) return Status::conflict("already_flagged", "Вы уже пожаловались на этот комментарий.");
    return Status::ok();
  });
}

Status GalleryService::clear_flags(const accounts::Identity& who, std::string_view event_id, std::int64_t practice,
                                   std::int64_t comment) {
  // Who may moderate at all is answered first, whatever the state of the gallery (as for hiding).
  if (!moderates_gallery(who, event_id)) return forbidden_to_moderate();
  auto a = access(&who, event_id);
  if (!a) return a.status();
  return db_.transaction([&](store::Tx& tx) -> Status {
    auto located = locate_comment(tx, event_id, practice, comment);
    if (!located) return located.status();
    if (!a->organiser && !accounts::has_role(who, event_id, accounts::Role::moderator, located->practice.section))
      return forbidden_to_moderate();
    return resolve_flags(tx, comment, clock_.now());
  });
}

Result<std::vector<FlaggedComment>> GalleryService::moderation(const accounts::Identity& who, std::string_view event_id) {
  if (!moderates_gallery(who, event_id)) return forbidden_to_moderate();
  auto a = access(&who, event_id);
  if (!a) return a.status();
  struct Entry {
    CommentRow comment;
    OpenFlags flags;
    const Admitted* practice;
  };
  std::vector<Admitted> practices;
  std::vector<Entry> entries;
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto admitted = all_admitted(tx, event_id);
    if (!admitted) return admitted.status();
    practices = std::move(*admitted);
    std::map<std::int64_t, const Admitted*> moderated;  // by practice id
    for (const auto& p : practices)
      if (a->organiser || accounts::has_role(who, event_id, accounts::Role::moderator, p.section))
        moderated[p.id] = &p;
    auto flags = open_flags(tx);
    if (!flags) return flags.status();
    // Comments are few (one conference's discussion): read them all and keep the moderated ones.
    auto comments = read_comments(tx, "WHERE c.deleted_at IS NULL ORDER BY c.id DESC", [](store::Stmt&) {});
    if (!comments) return comments.status();
    for (auto& c : *comments) {
      auto practice = moderated.find(c.practice_id);
      if (practice == moderated.end()) continue;
      auto f = flags->find(c.id);
      entries.push_back({std::move(c), f == flags->end() ? OpenFlags{} : f->second, practice->second});
    }
    return Status::ok();
  });
  if (!s) return s;
  // Open flags first, the most flagged on top; the rest newest first (as read).
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& x, const Entry& y) {
    if (x.flags.count != y.flags.count) return x.flags.count > y.flags.count;
    return x.flags.latest > y.flags.latest;
  });
  const timeline::Timeline& timeline = *a->event.timeline;
  std::vector<FlaggedComment> list;
  for (const auto& e : entries) {
    list.push_back({comment_of(e.comment, timeline, true), e.practice->answers.value("name", ""), e.practice->section,
                    e.flags.count, e.flags.reasons, std::nullopt});
    if (e.flags.count) list.back().flagged_at = timeline.format(from_ms(e.flags.latest));
  }
  return list;
}

bool GalleryService::may_read_upload(Who who, std::string_view event_id, std::int64_t owner_id,
                                     std::string_view purpose, std::optional<std::int64_t> practice) {
  if (!intake::shown_to_readers(purpose) || !practice) return false;
  const std::int64_t id = *practice;
  if (!access(who, event_id)) return false;
  bool shown = false;
  db_.read([&](store::Tx& tx) -> Status {
    auto found = find_admitted(tx, event_id, id);
    shown = found && *found && (*found)->owner_id == owner_id;
    return Status::ok();
  });
  return shown;
}

struct GalleryService::PreviewSource {
  std::string upload;
  std::filesystem::path file;
  std::string base_url;  // …/files/{upload}/pages
  Rules rules;
};

// The document must be one the caller may fetch as a file: a complete document upload of this
// admitted practice's owner, attached to it (the same read grant as /api/uploads/{id}/file).
Result<GalleryService::PreviewSource> GalleryService::preview_source(Who who, std::string_view event_id,
                                                                     std::int64_t practice, std::string_view upload) {
  if (auto s = may_read_practice(who, event_id, practice); !s) return s;
  std::optional<uploads::StoredFile> file;
  auto s = db_.read([&](store::Tx& tx) -> Status {
    auto found = uploads::find_file(tx, event_id, upload);
    if (!found) return found.status();
    file = std::move(*found);
    return Status::ok();
  });
  if (!s) return s;
  if (!file || file->state != "complete" || file->purpose != "document" || file->practice_id != practice ||
      !may_read_upload(who, event_id, file->owner_id, file->purpose, file->practice_id))
    return Status::not_found("file_not_found", "Документ не найден среди материалов.");
  auto event = find_event_(event_id);
  if (!event) return errors::event_not_found();
  return PreviewSource{std::string(upload), uploads::complete_file(files_dir_, upload),
                       "/api/events/" + std::string(event_id) + "/gallery/practices/" + std::to_string(practice) +
                           "/files/" + std::string(upload) + "/pages",
                       rules_of(*event->agenda)};
}

// <files>/<upload>.preview/ holds 1.png … N.png and "pages" (N, written last: the cache is complete
// when it exists) or "failed" (the reason: a document LibreOffice cannot open is not tried again).
Result<int> GalleryService::build_preview(const PreviewSource& source) {
  namespace fs = std::filesystem;
  std::shared_ptr<Mutex> lock;
  {
    MutexLock guard(preview_mutex_);
    auto& slot = preview_locks_[source.upload];
    lock = slot.lock();
    if (!lock) slot = lock = std::make_shared<Mutex>();
    for (auto it = preview_locks_.begin(); it != preview_locks_.end();)
      it = it->second.expired() ? preview_locks_.erase(it) : std::next(it);
  }
  MutexLock building(*lock);
  const fs::path dir = source.file.string() + ".preview";
  auto read_file = [](const fs::path& p) {
    std::ifstream in(p);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return text;
  };
  if (fs::exists(dir / "pages")) {
    int n = 0;
    std::string text = read_file(dir / "pages");
    std::from_chars(text.data(), text.data() + text.size(), n);
    if (n > 0) return n;
  }
  if (fs::exists(dir / "failed")) return Status::unprocessable("preview_failed", read_file(dir / "failed"));

  convert::OfficeOptions office;
  if (!convert::office_available(office))
    return Status::unavailable("preview_unavailable",
                               "Предпросмотр документа недоступен: на сервере не установлен LibreOffice. Скачайте файл.");
  // LibreOffice reads by the extension: name the copy after what the bytes are.
  auto type = media::sniff(source.file);
  std::string ext = type && *type == media::FileType::ole2 ? "doc" : "docx";
  std::error_code ec;
  const fs::path work = source.file.string() + ".preview-building";
  fs::remove_all(work, ec);
  fs::create_directories(work, ec);
  struct Remove {
    fs::path path;
    ~Remove() {
      std::error_code e;
      fs::remove_all(path, e);
    }
  } remove_work{work};
  const fs::path input = work / ("document." + ext);
  fs::copy_file(source.file, input, ec);
  if (ec) return Status::unavailable("storage_unavailable", "Сервер не может подготовить предпросмотр.");
  auto pdf = convert::convert_office(input, "pdf", work, office);
  Result<int> pages = pdf ? convert::render_pdf_pages(*pdf, work / "pages", source.rules.preview_width_px,
                                                      source.rules.preview_max_pages, nullptr)
                          : Result<int>(pdf.status());
  if (pages && *pages == 0) pages = Status::unprocessable("preview_failed", "В документе нет ни одной страницы.");
  if (!pages) {
    const auto& code = pages.status().code();
    // Only the document's own fault is remembered; a missing converter or a full disk may pass.
    if (code == "conversion_failed" || code == "conversion_timeout" || code == "pdf_unreadable" ||
        code == "render_failed" || code == "preview_failed") {
      fs::create_directories(dir, ec);
      std::ofstream(dir / "failed") << "Предпросмотр документа не получился: " << pages.status().message();
      return Status::unprocessable("preview_failed", "Предпросмотр документа не получился: " + pages.status().message());
    }
    return pages.status();
  }
  fs::remove_all(dir, ec);
  fs::rename(work / "pages", dir, ec);
  if (ec) return Status::unavailable("storage_unavailable", "Сервер не может сохранить предпросмотр.");
  {
    std::ofstream out(dir / "pages.tmp");
    out << *pages;
  }
  fs::rename(dir / "pages.tmp", dir / "pages", ec);
  return *pages;
}

Result<PreviewPages> GalleryService::preview(Who who, std::string_view event_id, std::int64_t practice,
                                             std::string_view upload) {
  auto source = preview_source(who, event_id, practice, upload);
  if (!source) return source.status();
  auto pages = build_preview(*source);
  if (!pages) return pages.status();
  PreviewPages out{.pages = *pages, .width = source->rules.preview_width_px, .urls = {}};
  for (int i = 1; i <= *pages; ++i) out.urls.push_back(source->base_url + "/" + std::to_string(i));
  return out;
}

Result<std::filesystem::path> GalleryService::preview_page(Who who, std::string_view event_id, std::int64_t practice,
                                                           std::string_view upload, int page) {
  auto source = preview_source(who, event_id, practice, upload);
  if (!source) return source.status();
  auto pages = build_preview(*source);
  if (!pages) return pages.status();
  if (page < 1 || page > *pages) return Status::not_found("page_not_found", "Такой страницы в документе нет.");
  return std::filesystem::path(source->file.string() + ".preview") / (std::to_string(page) + ".png");
}

}  // namespace praktika::gallery
