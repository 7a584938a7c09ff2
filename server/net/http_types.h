// Plain request and response values passed between the transport (server/net) and the API
// layers. No Beast types here, so services and APIs compile without Asio. A Request is
// built and read on one connection's strand; a Response is moved back to it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <unistd.h>

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
  std::string remote_address;  // the TCP peer: the person, or a proxy in front of the server
  // The person's address (resolve_client_address): what throttles and logs must use.
  std::string client_address;

  // The first header of that (lower-case) name, or empty.
  std::string_view header(std::string_view name) const;
  std::optional<std::string> cookie(std::string_view name) const;
  std::optional<std::string> query_param(std::string_view name) const;
};

// A descriptor open for reading, closed with its last owner: the web root keeps the files it
// serves open, so that a request for one opens nothing.
class OpenFile {
 public:
  explicit OpenFile(int fd) : fd_(fd) {}
  ~OpenFile() { ::close(fd_); }
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

// A file (or a byte range of one) sent as the body without reading it into memory.
struct FileBody {
  std::filesystem::path path;  // may be left empty when `open` is given: the answer is sent from it
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
  std::shared_ptr<const OpenFile> open;  // the file already open, or null: the transport opens `path`
};

// What the access log says of a response beyond what the transport sees: filled by the
// application, never sent.
struct LogNote {
  std::string route;          // the route pattern ("/api/events/{id}"), never the raw path
  std::int64_t user_id = 0;   // the signed-in person, 0 for nobody
  std::string error;          // the stable code of a refusal
  std::string detail;         // for a 5xx: what helps find the cause (no personal data)
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  std::optional<FileBody> file;  // when set, replaces body
  // When set, replaces body: bytes kept elsewhere (the web root's small files, the event JSON),
  // sent without a copy.
  std::shared_ptr<const std::string> shared_body;
  // Fields the same on many answers, made once and kept by whoever set them (the application's
  // security headers): sent after `headers`, never copied per answer.
  std::shared_ptr<const Headers> shared_headers;
  bool head_only = false;        // HEAD: headers with the body's length, no body
  LogNote log;

  void set_header(std::string name, std::string value);
};

// How the transport reads a request's body, decided from its header (HttpHandler::body_policy):
// into memory up to `limit` bytes (0: the server's default), or streamed to a file.
struct BodyPolicy {
  std::uint64_t limit = 0;
  bool to_file = false;
  // With to_file: append to this existing file (resumable uploads) instead of a fresh temporary
  // one; the file is the handler's, never removed by the transport.
  std::filesystem::path append_to;
  // Answer at once without reading the body (wrong offset, no access, too late).
  std::optional<Response> refuse;
  // Kept alive until the handler has answered (released before the answer is written) or the
  // connection drops: a lock on the upload.
  std::shared_ptr<void> hold;
  // With to_file: called on the connection's strand after each read of the body; true ends the
  // body there (the handler gets what arrived, the connection closes after the answer). For a
  // verdict the first bytes already give (a video's header), without waiting for the rest.
  std::function<bool()> stop_early;
  // HttpHandler::handle may run on the connection's strand: it answers at once, from memory or
  // the page cache (constant JSON, the web app's files), without blocking on anything else.
  bool from_memory = false;
};

// An IP address in canonical text: IPv4 dotted, IPv6 as inet_ntop writes it (RFC 5952), an
// IPv4-mapped IPv6 address as its IPv4; nullopt for anything else (a port, brackets, a name).
std::optional<std::string> canonical_address(std::string_view text);

// The address of the person behind `request`: its remote_address, unless that peer is one of
// `trusted_proxies` (canonical addresses); then X-Forwarded-For (every such header, in order) is
// read from the right, where each proxy appended the address it was connected from, and the
// first entry that is not itself a trusted proxy is the person. Entries left of it are whatever
// the client sent and are never believed. An entry that is no address stops the walk at the last
// trusted hop's address. Without trusted proxies the header is ignored: anyone can send it.
std::string resolve_client_address(const Request& request, const std::vector<std::string>& trusted_proxies);

// Percent-decoding of a path; nullopt on a malformed escape or an encoded NUL.
std::optional<std::string> percent_decode(std::string_view text, bool plus_as_space);

// A Content-Disposition ("inline" or "attachment") for a file name that may be any UTF-8 text:
// an ASCII fallback for old clients and the exact name as filename*=UTF-8''….
std::string content_disposition(std::string_view kind, std::string_view file_name);

}  // namespace praktika::net
