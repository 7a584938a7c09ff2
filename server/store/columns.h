// Reading one row into a struct's members in column order, written once:
//   store::read_columns(q, 0, r.id, r.event_id, r.owner_id, store::json_object(r.answers));
// instead of a line per column that repeats its index. The member's type says how its column is
// read; NULL reads as an empty optional (or null JSON). Any thread that holds the statement's Tx.
#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "store/db.h"

namespace praktika::store {

// A JSON text column. `object_only`: anything but an object (NULL, unreadable text) reads as {};
// otherwise NULL is null and unreadable text a discarded value (is_discarded()).
struct JsonColumn {
  nlohmann::json& out;
  bool object_only = false;
};
inline JsonColumn json_text(nlohmann::json& out) { return {out, false}; }
inline JsonColumn json_object(nlohmann::json& out) { return {out, true}; }

namespace detail {

inline void read_column(const Stmt& q, int i, std::string& out) { out = q.text(i); }
inline void read_column(const Stmt& q, int i, double& out) { out = q.real(i); }
inline void read_column(const Stmt& q, int i, std::optional<std::int64_t>& out) { out = q.optional_int64(i); }
inline void read_column(const Stmt& q, int i, std::optional<std::string>& out) {
  out = q.is_null(i) ? std::nullopt : std::optional<std::string>(q.text(i));
}
inline void read_column(const Stmt& q, int i, std::optional<double>& out) {
  out = q.is_null(i) ? std::nullopt : std::optional<double>(q.real(i));
}
// Every integer member (int, std::int64_t, bool) is stored as an SQL integer.
template <std::integral T>
void read_column(const Stmt& q, int i, T& out) {
  out = static_cast<T>(q.int64(i));
}
inline void read_column(const Stmt& q, int i, JsonColumn column) {
  if (q.is_null(i)) {
    column.out = column.object_only ? nlohmann::json::object() : nlohmann::json();
    return;
  }
  column.out = nlohmann::json::parse(q.text(i), nullptr, false);
  if (column.object_only && !column.out.is_object()) column.out = nlohmann::json::object();
}

}  // namespace detail

// Reads columns first, first + 1, … of the current row into `out…`, in order.
template <typename... Out>
void read_columns(const Stmt& q, int first, Out&&... out) {
  int column = first;
  (detail::read_column(q, column++, std::forward<Out>(out)), ...);
}

}  // namespace praktika::store
