// The strict reader the agenda loader is built from, shared with the stage modules that own a
// part of the agenda ("review", "gallery", "flashmob", ...). Each module reads its part with
// read_part() at start-up, so a misspelt key or a bad value in that part is reported with its
// JSON path exactly like the loader's own errors. Pure functions; any thread.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/time.h"
#include "timeline/agenda.h"

namespace praktika::timeline::reader {

using nlohmann::json;

// Validation unwinds with this on the first problem; it never leaves the loader or read_part().
struct Bad {
  std::string path;
  std::string problem;
};

[[noreturn]] inline void fail(std::string path, std::string problem) { throw Bad{std::move(path), std::move(problem)}; }

inline std::string child(const std::string& path, std::string_view key) {
  std::string out = path + '/';
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

inline std::string child(const std::string& path, size_t index) { return path + '/' + std::to_string(index); }

inline std::string in_quotes(std::string_view s) { return "'" + std::string(s) + "'"; }

inline bool matches_charset(std::string_view s, std::string_view extra) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || extra.find(c) != std::string_view::npos;
  });
}

// A JSON object under validation. Remembers which keys were read so that a misspelt key
// ("max_byte") is reported instead of silently dropping a limit.
class Obj {
 public:
  Obj(const json& j, std::string path) : j_(j), path_(std::move(path)) {
    if (!j_.is_object()) fail(path_, "must be an object, not " + std::string(j_.type_name()));
  }

  const std::string& path() const { return path_; }
  std::string at(std::string_view key) const { return child(path_, key); }

  // nullptr when absent or null.
  const json* find(std::string_view key) {
    used_.insert(std::string(key));
    auto it = j_.find(std::string(key));
    if (it == j_.end() || it->is_null()) return nullptr;
    return &*it;
  }
  const json& need(std::string_view key) {
    const json* v = find(key);
    if (!v) fail(at(key), "is required");
    return *v;
  }

  std::string str(std::string_view key) {
    const json& v = need(key);
    if (!v.is_string()) fail(at(key), "must be a string, not " + std::string(v.type_name()));
    auto s = v.get<std::string>();
    if (s.empty()) fail(at(key), "must not be empty");
    return s;
  }
  std::string opt_str(std::string_view key) {
    const json* v = find(key);
    if (!v) return {};
    if (!v->is_string()) fail(at(key), "must be a string, not " + std::string(v->type_name()));
    return v->get<std::string>();
  }
  std::string id(std::string_view key, std::string_view extra) {
    std::string s = str(key);
    if (!matches_charset(s, extra))
      fail(at(key), in_quotes(s) + " must consist of a-z, 0-9 and " + in_quotes(extra) + " only");
    return s;
  }
  bool boolean(std::string_view key, bool fallback) {
    const json* v = find(key);
    if (!v) return fallback;
    if (!v->is_boolean()) fail(at(key), "must be true or false, not " + std::string(v->type_name()));
    return v->get<bool>();
  }
  std::int64_t int64(std::string_view key, std::int64_t min, std::int64_t max) {
    return int_value(need(key), at(key), min, max);
  }
  std::optional<std::int64_t> opt_int64(std::string_view key, std::int64_t min, std::int64_t max) {
    const json* v = find(key);
    if (!v) return std::nullopt;
    return int_value(*v, at(key), min, max);
  }
  std::optional<int> opt_int(std::string_view key, int min, int max) {
    auto v = opt_int64(key, min, max);
    if (!v) return std::nullopt;
    return static_cast<int>(*v);
  }
  double number(std::string_view key, double min, double max) {
    const json& v = need(key);
    if (!v.is_number()) fail(at(key), "must be a number, not " + std::string(v.type_name()));
    double d = v.get<double>();
    if (!(d >= min && d <= max)) fail(at(key), "must be between " + fmt(min) + " and " + fmt(max));
    return d;
  }
  TimePoint instant(std::string_view key) {
    std::string s = str(key);
    auto t = parse_instant(s);
    if (!t) fail(at(key), in_quotes(s) + " is not an instant with an explicit offset, like 2020-06-29T00:00+08:00");
    return *t;
  }
  const json& array(std::string_view key, bool non_empty) {
    const json& v = need(key);
    if (!v.is_array()) fail(at(key), "must be an array, not " + std::string(v.type_name()));
    if (non_empty && v.empty()) fail(at(key), "must not be empty");
    return v;
  }
  const json* opt_array(std::string_view key) {
    const json* v = find(key);
    if (v && !v->is_array()) fail(at(key), "must be an array, not " + std::string(v->type_name()));
    return v;
  }

  // Every object may carry a free-text "note" for the organiser; other unread keys are mistakes.
  void finish() {
    if (const json* n = find("note"); n && !n->is_string()) fail(at("note"), "must be a string");
    for (auto it = j_.begin(); it != j_.end(); ++it)
      if (!used_.count(it.key())) fail(at(it.key()), "is not a known field here");
  }

 private:
  static std::string fmt(double d) {
    std::ostringstream os;
    os << d;
    return os.str();
  }
  static std::int64_t int_value(const json& v, const std::string& path, std::int64_t min, std::int64_t max) {
    if (!v.is_number_integer()) fail(path, "must be an integer, not " + std::string(v.type_name()));
    if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(max))
      fail(path, "must be at most " + std::to_string(max));
    std::int64_t n = v.get<std::int64_t>();
    if (n < min) fail(path, "must be at least " + std::to_string(min));
    if (n > max) fail(path, "must be at most " + std::to_string(max));
    return n;
  }

  const json& j_;
  std::string path_;
  std::set<std::string> used_;
};

inline constexpr std::int64_t kMaxInt = std::numeric_limits<int>::max();
inline constexpr std::int64_t kMaxBytes = std::int64_t{1} << 50;

// The object at `path`, as `read(o)` makes it from an Obj over it; a key `read` did not take is
// reported (finish), so a reader names only its fields.
template <typename Read>
auto read_object(const json& j, const std::string& path, Read&& read) {
  Obj o(j, path);
  auto out = read(o);
  o.finish();
  return out;
}

template <typename F>
void each(const json& array, const std::string& path, F&& f) {
  for (size_t i = 0; i < array.size(); ++i) f(array[i], child(path, i));
}

template <typename T, typename Key>
void unique(const std::vector<T>& items, const std::string& array_path, std::string_view field, Key key) {
  for (size_t i = 0; i < items.size(); ++i)
    for (size_t k = 0; k < i; ++k)
      if (key(items[k]) == key(items[i]))
        fail(child(child(array_path, i), field), "repeats the " + std::string(field) + " of item " + std::to_string(k));
}

inline Choice read_choice(const json& j, const std::string& path) {
  return read_object(j, path, [](Obj& o) {
    return Choice{.id = o.id("id", "_-"), .title = o.str("title"), .description = o.opt_str("description")};
  });
}

inline std::vector<Choice> read_choices(Obj& parent, std::string_view key, bool required) {
  std::vector<Choice> out;
  const json* a = required ? &parent.array(key, true) : parent.opt_array(key);
  if (!a) return out;
  each(*a, parent.at(key), [&](const json& j, const std::string& p) { out.push_back(read_choice(j, p)); });
  unique(out, parent.at(key), "id", [](const Choice& c) { return c.id; });
  return out;
}

// Reads the agenda's part `key` (a module-owned object, see kModuleParts) with `read`, which
// receives an Obj to take its fields from and should call finish() on it. An absent part is read
// as an empty object, so a module's defaults live in its reader. Returns the first problem.
template <typename F>
std::optional<AgendaError> read_part(const Agenda& agenda, std::string_view key, F&& read) {
  static const json kEmpty = json::object();
  auto it = agenda.modules.find(std::string(key));
  const json& part = it == agenda.modules.end() ? kEmpty : it->second;
  try {
    Obj o(part, child(std::string(), key));
    read(o);
    return std::nullopt;
  } catch (const Bad& bad) {
    return AgendaError{agenda.source, bad.path, bad.problem};
  } catch (const std::exception& e) {
    return AgendaError{agenda.source, child(std::string(), key), std::string("cannot be read: ") + e.what()};
  }
}

}  // namespace praktika::timeline::reader
