// Reading a statement's rows, written once: every row through a function (each_row, read_rows),
// or as JSON for the modules' answers to a person's request for their data (rows_json,
// common/personal_data.h). Any thread that holds the statement's Tx.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/personal_data.h"
#include "common/status.h"
#include "store/db.h"

namespace praktika::store {

// `row` is called as row(q) or row(), and returns nothing or a Status: an error stops the reading
// and is returned.
template <typename Row>
Status each_row(Stmt& q, Row&& row) {
  for (;;) {
    auto more = q.step();
    if (!more) return more.status();
    if (!*more) return Status::ok();
    if constexpr (std::is_invocable_v<Row&, Stmt&>) {
      if constexpr (std::is_void_v<std::invoke_result_t<Row&, Stmt&>>) row(q);
      else if (Status s = row(q); !s) return s;
    } else {
      if constexpr (std::is_void_v<std::invoke_result_t<Row&>>) row();
      else if (Status s = row(); !s) return s;
    }
  }
}

// Every row, each made by `read(q)`.
template <typename T, typename Read>
Result<std::vector<T>> read_rows(Stmt& q, Read&& read) {
  std::vector<T> out;
  Status s = each_row(q, [&](Stmt& row) { out.push_back(read(row)); });
  if (!s) return s;
  return out;
}

// Steps `q` to its end: one object per row, keyed by `columns` in order. A name ending in '#' is
// an integer, in '$' JSON text parsed (kept as text when it does not parse), otherwise text; the
// suffix is dropped from the key. NULL is null.
Result<nlohmann::json> rows_json(Stmt& q, std::initializer_list<std::string_view> columns);

// A module's part of a person's data, read table by table: each `add` reads the rows of `sql`
// (?1 bound to the person's id, or to `param` where given) as rows_json does into records[name].
// After the first error the rest are skipped, and `done` returns that error.
class HeldRows {
 public:
  HeldRows(Tx& tx, std::int64_t user_id) : tx_(tx), user_id_(user_id) {}
  HeldRows& add(const std::string& name, std::string_view sql, std::initializer_list<std::string_view> columns);
  HeldRows& add(const std::string& name, std::string_view sql, std::string_view param,
                std::initializer_list<std::string_view> columns);
  Result<HeldData> done();

 private:
  HeldRows& read(const std::string& name, Stmt& q, std::initializer_list<std::string_view> columns);

  Tx& tx_;
  const std::int64_t user_id_;
  HeldData held_;
  Status status_ = Status::ok();
};

// Rewrites a text column: `select_sql` names the rows (an integer key, the text, and 1 or 0: whether
// the row is the person's own; `param`, when given, bound as ?1), `rewrite` gives the new text, and
// `update_sql` (key ?1, text ?2) stores it where it changed. For anonymising what a person wrote.
Status rewrite_texts(Tx& tx, std::string_view select_sql, std::optional<std::int64_t> param, std::string_view update_sql,
                     const std::function<std::string(const std::string& text, bool own)>& rewrite);

// Copies every committed page of SQLite's write-ahead log into the database file and empties the
// log (a TRUNCATE checkpoint), so what a commit replaced is gone from both files. Runs on a short
// connection of its own (the Db's is never in a transaction outside its calls) and waits up to a
// few seconds for readers; call it outside a transaction. A no-op on PostgreSQL.
Status checkpoint(const Db& db);

}  // namespace praktika::store
