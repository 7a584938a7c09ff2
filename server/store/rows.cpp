#include "store/rows.h"

#include <sqlite3.h>

#include <utility>
#include <vector>

namespace praktika::store {

Result<nlohmann::json> rows_json(Stmt& q, std::initializer_list<std::string_view> columns) {
  nlohmann::json rows = nlohmann::json::array();
  for (;;) {
    auto row = q.step();
    if (!row.ok()) return row.status();
    if (!*row) return rows;
    nlohmann::json object = nlohmann::json::object();
    int i = 0;
    for (std::string_view name : columns) {
      const char kind = name.empty() ? ' ' : name.back();
      std::string key(kind == '#' || kind == '$' ? name.substr(0, name.size() - 1) : name);
      if (q.is_null(i)) object[key] = nullptr;
      else if (kind == '#') object[key] = q.int64(i);
      else if (kind == '$') {
        auto parsed = nlohmann::json::parse(q.text(i), nullptr, false);
        object[key] = parsed.is_discarded() ? nlohmann::json(q.text(i)) : parsed;
      } else object[key] = q.text(i);
      ++i;
    }
    rows.push_back(std::move(object));
  }
}

HeldRows& HeldRows::add(const std::string& name, std::string_view sql,
                        std::initializer_list<std::string_view> columns) {
  if (!status_) return *this;
  auto q = tx_.prepare(sql);
  q.bind_int(1, user_id_);
  return read(name, q, columns);
}

HeldRows& HeldRows::add(const std::string& name, std::string_view sql, std::string_view param,
                        std::initializer_list<std::string_view> columns) {
  if (!status_) return *this;
  auto q = tx_.prepare(sql);
  q.bind_text(1, param);
  return read(name, q, columns);
}

HeldRows& HeldRows::read(const std::string& name, Stmt& q, std::initializer_list<std::string_view> columns) {
  auto rows = rows_json(q, columns);
  if (rows) held_.records[name] = std::move(*rows);
  else status_ = rows.status();
  return *this;
}

Result<HeldData> HeldRows::done() {
  if (!status_) return status_;
  return std::move(held_);
}

Status rewrite_texts(Tx& tx, std::string_view select_sql, std::optional<std::int64_t> param, std::string_view update_sql,
                     const std::function<std::string(const std::string& text, bool own)>& rewrite) {
  std::vector<std::pair<std::int64_t, std::string>> changed;
  {
    auto q = tx.prepare(select_sql);
    if (param) q.bind_int(1, *param);
    for (;;) {
      auto row = q.step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      std::string text = q.is_null(1) ? std::string() : q.text(1);
      std::string rewritten = rewrite(text, q.int64(2) == 1);
      if (!q.is_null(1) && rewritten != text) changed.emplace_back(q.int64(0), std::move(rewritten));
    }
  }
  for (const auto& [key, text] : changed)
    if (auto s = tx.prepare(update_sql).bind_int(1, key).bind_text(2, text).run(); !s) return s;
  return Status::ok();
}

Status checkpoint(const Db& db) {
  if (db.dialect() != Dialect::sqlite || db.file().empty()) return Status::ok();
  sqlite3* handle = nullptr;
  int rc = sqlite3_open_v2(db.file().c_str(), &handle, SQLITE_OPEN_READWRITE, nullptr);
  bool busy = false;
  if (rc == SQLITE_OK) {
    sqlite3_busy_timeout(handle, 5000);
    // The pragma, not sqlite3_wal_checkpoint_v2 at once: a fresh connection learns that the file
    // is in WAL mode only once it reads the header, and before that the call checkpoints nothing.
    sqlite3_stmt* stmt = nullptr;
    rc = sqlite3_prepare_v2(handle, "PRAGMA main.wal_checkpoint(TRUNCATE)", -1, &stmt, nullptr);
    if (rc == SQLITE_OK) rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
      busy = sqlite3_column_int(stmt, 0) != 0;  // (busy, log frames, checkpointed frames)
      rc = SQLITE_OK;
    }
    sqlite3_finalize(stmt);
  }
  std::string error = handle ? sqlite3_errmsg(handle) : "out of memory";
  sqlite3_close_v2(handle);
  if (rc != SQLITE_OK || busy)
    return Status::internal(std::string(kStorageError), "Не удалось перенести журнал базы данных в её файл: " +
                                                            (busy ? std::string("его читают другие соединения") : error));
  return Status::ok();
}

}  // namespace praktika::store
