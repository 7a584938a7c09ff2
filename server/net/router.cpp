#include "net/router.h"

namespace praktika::net {
namespace {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t end = path.find('/', i);
    if (end == std::string_view::npos) end = path.size();
    out.emplace_back(path.substr(i, end - i));
    i = end;
  }
  return out;
}

bool is_param(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

const std::string& PathParams::get(std::string_view name) const {
  static const std::string kEmpty;
  for (const auto& [k, v] : values_)
    if (k == name) return v;
  return kEmpty;
}

void Router::add(std::string method, std::string pattern, RouteHandler handler, BodyRule body) {
  auto segments = split_path(pattern);
  entries_.push_back({{std::move(method), std::move(pattern)}, std::move(segments), std::move(handler), body});
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
  Match result;
  auto segments = split_path(path);
  for (const auto& entry : entries_) {
    if (entry.segments.size() != segments.size()) continue;
    PathParams params;
    bool fits = true;
    for (size_t i = 0; i < segments.size() && fits; ++i) {
      if (is_param(entry.segments[i])) {
        params.add(entry.segments[i].substr(1, entry.segments[i].size() - 2), segments[i]);
      } else {
        fits = entry.segments[i] == segments[i];
      }
    }
    if (!fits) continue;
    bool same_method = entry.route.method == method || (method == "HEAD" && entry.route.method == "GET");
    if (same_method) {
      result.outcome = Outcome::matched;
      result.handler = &entry.handler;
      result.body = entry.body;
      result.params = std::move(params);
      result.pattern = entry.route.pattern;
      return result;
    }
    result.outcome = Outcome::method_not_allowed;
    if (!result.allowed.empty()) result.allowed += ", ";
    result.allowed += entry.route.method;
  }
  return result;
}

std::vector<Route> Router::routes() const {
  std::vector<Route> out;
  for (const auto& entry : entries_) out.push_back(entry.route);
  return out;
}

}  // namespace praktika::net
