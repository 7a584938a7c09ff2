// Files over HTTP: content types, validators (ETag, Last-Modified), Range and HEAD. Stateless,
// callable from any strand. Used for the built web front end and, later, for media.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "net/http_types.h"

namespace praktika::net {

// Answers GET/HEAD for a regular file: 200, 206 for a single satisfiable Range, 304 when the
// validators match, 416 for an unsatisfiable Range. The caller has checked access.
Response file_response(const Request& request, const std::filesystem::path& file, const std::string& content_type,
                       const std::string& cache_control);

// Maps the request path into `root` ("/" → index.html). nullopt when the path leaves the root,
// names no regular file, or is not GET/HEAD — the caller then answers 404 its own way.
std::optional<Response> serve_static(const Request& request, const std::filesystem::path& root);

std::string content_type_for(const std::filesystem::path& file);

}  // namespace praktika::net
