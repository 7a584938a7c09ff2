// An optional value as JSON: null when empty. A type JSON takes as it is (numbers, strings, bools) is
// written directly; a praktika type through its own `to_json` (found by argument-dependent lookup).
#pragma once

#include <optional>
#include <type_traits>

#include <nlohmann/json.hpp>

namespace praktika {

template <typename T>
nlohmann::json or_null(const std::optional<T>& value) {
  if (!value) return nullptr;
  if constexpr (std::is_constructible_v<nlohmann::json, const T&>)
    return nlohmann::json(*value);
  else
    return to_json(*value);
}

}  // namespace praktika
