// Plain request and response values passed between the transport (server/net) and the API
// layers. No Beast types here, so services and APIs compile without Asio. A Request is
// built and read on one connection's strand; a Response is moved back to it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace praktika::net {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;       // "GET", "POST", …
  std::string target;       // as sent: path and query
  std::string path;         // percent-decoded, without the query
  std::string query;        // raw, without '?'
  Headers headers;          // names lower-case
  std::string body;
  // Set instead of `body` for routes whose body is streamed to disk (uploads). The file is
  // removed after the handler returns unless the handler moved it elsewhere.
  std::filesystem::path body_file;
  std::string remote_address;

  // The first header of that (lower-case) name, or empty.
  std::string_view header(std::string_view name) const;
  std::optional<std::string> cookie(std::string_view name) const;
  std::optional<std::string> query_param(std::string_view name) const;
};

// A file (or a byte range of one) sent as the body without reading it into memory.
struct FileBody {
  std::filesystem::path path;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  std::optional<FileBody> file;  // when set, replaces body
  bool head_only = false;        // HEAD: headers with the body's length, no body

  void set_header(std::string name, std::string value);
};

// Percent-decoding of a path; nullopt on a malformed escape or an encoded NUL.
std::optional<std::string> percent_decode(std::string_view text, bool plus_as_space);

}  // namespace praktika::net
