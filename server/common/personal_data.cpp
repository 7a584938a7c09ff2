#include "common/personal_data.h"

#include <algorithm>

namespace praktika {
namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Where `needle` first occurs in `text` from `from`, ASCII letters without case; npos when not.
size_t find_folded(std::string_view text, std::string_view needle, size_t from) {
  if (needle.empty() || text.size() < needle.size()) return std::string_view::npos;
  for (size_t i = from; i + needle.size() <= text.size(); ++i) {
    size_t k = 0;
    while (k < needle.size() && lower(text[i + k]) == lower(needle[k])) ++k;
    if (k == needle.size()) return i;
  }
  return std::string_view::npos;
}

}  // namespace

std::string Withdrawal::scrub(std::string_view text, Scope scope) const {
  std::string out(text);
  // Longest first, so a full name goes before the surname inside it.
  std::vector<std::string> ordered = traces;
  if (scope == Scope::own) ordered.insert(ordered.end(), own_traces.begin(), own_traces.end());
  if (!email.empty()) ordered.push_back(email);
  std::sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  for (const auto& trace : ordered) {
    if (trace.size() < 3) continue;  // two letters name nobody and would cut words apart
    const std::string& instead = trace == email ? anonymous_email : anonymous_name;
    size_t at = 0;
    while ((at = find_folded(out, trace, at)) != std::string::npos) {
      out.replace(at, trace.size(), instead);
      at += instead.size();
    }
  }
  return out;
}

nlohmann::json Withdrawal::scrub_json(const nlohmann::json& value, Scope scope) const {
  if (value.is_string()) return scrub(value.get_ref<const std::string&>(), scope);
  if (value.is_array() || value.is_object()) {
    nlohmann::json out = value;
    for (auto& item : out) item = scrub_json(item, scope);
    return out;
  }
  return value;
}

bool Withdrawal::traced(std::string_view text, Scope scope) const { return scrub(text, scope) != text; }

std::string Withdrawal::scrub_json_text(std::string_view text, Scope scope) const {
  auto value = nlohmann::json::parse(text, nullptr, false);
  return value.is_discarded() ? scrub(text, scope) : scrub_json(value, scope).dump();
}

Withdrawal::Rewrite Withdrawal::rewrite() const {
  return [this](const std::string& text, bool own) { return scrub(text, own ? Scope::own : Scope::anyone); };
}

Withdrawal::Rewrite Withdrawal::rewrite_json() const {
  return [this](const std::string& text, bool own) { return scrub_json_text(text, own ? Scope::own : Scope::anyone); };
}

}  // namespace praktika
