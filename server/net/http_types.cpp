#include "net/http_types.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

#include "common/trim.h"
#include "common/utf8.h"

namespace praktika::net {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The comma-separated entries of every X-Forwarded-For header, left to right.
std::vector<std::string_view> forwarded_for(const Request& request) {
  std::vector<std::string_view> out;
  for (const auto& [name, value] : request.headers) {
    if (name != "x-forwarded-for") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      size_t comma = rest.find(',');
      out.push_back(trim(rest.substr(0, comma)));
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> canonical_address(std::string_view text) {
  if (text.empty() || text.size() > INET6_ADDRSTRLEN) return std::nullopt;
  const std::string input(text);
  char out[INET6_ADDRSTRLEN];
  in_addr v4{};
  if (inet_pton(AF_INET, input.c_str(), &v4) == 1 && inet_ntop(AF_INET, &v4, out, sizeof out)) return out;
  in6_addr v6{};
  if (inet_pton(AF_INET6, input.c_str(), &v6) != 1) return std::nullopt;
  if (IN6_IS_ADDR_V4MAPPED(&v6)) {
    std::memcpy(&v4, v6.s6_addr + 12, 4);
    if (inet_ntop(AF_INET, &v4, out, sizeof out)) return out;
  }
  if (!inet_ntop(AF_INET6, &v6, out, sizeof out)) return std::nullopt;
  return out;
}

std::string resolve_client_address(const Request& request, const std::vector<std::string>& trusted_proxies) {
  auto trusted = [&](const std::string& address) {
    return std::find(trusted_proxies.begin(), trusted_proxies.end(), address) != trusted_proxies.end();
  };
  std::string address = canonical_address(request.remote_address).value_or(request.remote_address);
  if (!trusted(address)) return address;
  const auto entries = forwarded_for(request);
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    auto hop = canonical_address(*it);
    if (!hop) break;
    address = std::move(*hop);
    if (!trusted(address)) break;
  }
  return address;
}

std::optional<std::string> percent_decode(std::string_view text, bool plus_as_space) {
  std::string out;
  out.reserve(text.size());
  const std::string_view escapes = plus_as_space ? "%+" : "%";
  std::size_t i = 0;
  for (;;) {
    // The text between escapes in one append: most paths have none at all.
    const std::size_t escape = text.find_first_of(escapes, i);
    out.append(text.substr(i, escape == std::string_view::npos ? std::string_view::npos : escape - i));
    if (escape == std::string_view::npos) return out;
    i = escape;
    if (text[i] == '+') {
      out += ' ';
      ++i;
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int hi = hex_value(text[i + 1]), lo = hex_value(text[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    const char decoded = static_cast<char>(hi * 16 + lo);
    if (decoded == '\0') return std::nullopt;
    out += decoded;
    i += 3;
  }
}

std::string_view Request::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (k == name) return v;
  return {};
}

std::optional<std::string> Request::cookie(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k != "cookie") continue;
    std::string_view rest = v;
    while (!rest.empty()) {
      size_t semi = rest.find(';');
      std::string_view pair = trim(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
      size_t eq = pair.find('=');
      if (eq == std::string_view::npos) continue;
      if (trim(pair.substr(0, eq)) == name) return std::string(trim(pair.substr(eq + 1)));
    }
  }
  return std::nullopt;
}

std::optional<std::string> Request::query_param(std::string_view name) const {
  std::string_view rest = query;
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    size_t eq = pair.find('=');
    auto key = percent_decode(pair.substr(0, eq), true);
    if (!key || *key != name) continue;
    if (eq == std::string_view::npos) return std::string{};
    return percent_decode(pair.substr(eq + 1), true);
  }
  return std::nullopt;
}

void Response::set_header(std::string name, std::string value) {
  for (auto& [k, v] : headers) {
    if (k == name) {
      v = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

std::string content_disposition(std::string_view kind, std::string_view file_name) {
  std::string ascii;
  for (char c : file_name) {
    auto u = static_cast<unsigned char>(c);
    bool plain = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || c == '.' ||
                 c == '-' || c == '_';
    if (plain) ascii += c;
    else if (u < 0x80 || (u & 0xC0) == 0xC0) ascii += '_';  // one '_' per character, not per byte
  }
  return std::string(kind) + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + percent_encode_ext_value(file_name);
}

}  // namespace praktika::net
