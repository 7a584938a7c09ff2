// Reading a statement's rows, written once: every row through a function, until the end or the
// first error (the statement's or the function's). Header-only; on the Tx's thread.
#pragma once

#include <type_traits>
#include <vector>

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

}  // namespace praktika::store
