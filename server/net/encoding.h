// Content codings: which one a client accepts (Accept-Encoding), and gzip of answers built in
// memory. Stateless apart from a small cache of compressed shared bodies (guarded by its own
// mutex); callable from any thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "net/http_types.h"

namespace praktika::net {

enum class Coding { identity, gzip, br };

// The coding to send, among those available besides identity, for this Accept-Encoding value:
// the highest q wins, ties go br > gzip > identity; a coding with q=0 (by name, or by "*;q=0")
// is never chosen. No header at all means identity.
Coding preferred_coding(std::string_view accept_encoding, bool gzip_available, bool br_available);

// "gzip", "br" or "" for identity: the Content-Encoding value.
std::string_view coding_name(Coding coding);

// A strong ETag of the same resource in another coding: "x" → "x-gzip" (inside the quotes).
std::string coded_etag(std::string_view etag, Coding coding);

// gzip (RFC 1952) of `bytes`; nullopt only if zlib fails.
std::optional<std::string> gzip_bytes(std::string_view bytes);

// Answers built in memory whose type is text (JSON above all) and whose body is at least this
// long are worth compressing; smaller ones fit a packet or two anyway.
inline constexpr std::size_t kCompressFromBytes = 1024;

// Compresses `response` in place with gzip when the client accepts it and the body is text of at
// least kCompressFromBytes: Content-Encoding, Vary and a per-coding ETag are set (and a request
// whose If-None-Match names that ETag becomes a 304). Files, ranges, answers that already carry
// a Content-Encoding and types that are compressed already (images, video, archives) are left
// as they are.
void compress_answer(const Request& request, Response& response);

}  // namespace praktika::net
