// Rows of a statement as JSON, for the modules' answers to a person's request for their data
// (common/personal_data.h): each column named, read as the name's suffix says. Any thread that
// holds the statement's Tx.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "store/db.h"

namespace praktika::store {

// Steps `q` to its end: one object per row, keyed by `columns` in order. A name ending in '#' is
// an integer, in '$' JSON text parsed (kept as text when it does not parse), otherwise text; the
// suffix is dropped from the key. NULL is null.
Result<nlohmann::json> rows_json(Stmt& q, std::initializer_list<std::string_view> columns);

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
