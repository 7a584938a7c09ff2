// Maps a method and a path pattern ("/api/events/{id}/timeline") to a handler. Built once at
// start-up, then read concurrently from every connection's strand without locks.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/http_types.h"

namespace praktika::net {

class PathParams {
 public:
  void add(std::string name, std::string value) { values_.emplace_back(std::move(name), std::move(value)); }
  // The segment bound to {name}; empty when the pattern has no such name.
  const std::string& get(std::string_view name) const;

 private:
  std::vector<std::pair<std::string, std::string>> values_;
};

using RouteHandler = std::function<Response(const Request&, const PathParams&)>;

// How a route wants its request body read (see BodyPolicy in server.h): the default is into
// memory within the server's general limit.
struct BodyRule {
  std::uint64_t limit = 0;  // 0: the server's default
  bool to_file = false;
  // When set, decides per request from its header (and may refuse it before the body is read).
  std::function<BodyPolicy(const Request& head, const PathParams& params)> prepare;
  // The handler answers from memory and never blocks: it runs on the connection's strand
  // instead of a worker (no thread hop). Decided with the body rule, from the header alone.
  bool from_memory = false;
};

struct Route {
  std::string method;
  std::string pattern;
};

class Router {
 public:
  void add(std::string method, std::string pattern, RouteHandler handler, BodyRule body = {});

  enum class Outcome { matched, no_such_path, method_not_allowed };
  struct Match {
    Outcome outcome = Outcome::no_such_path;
    const RouteHandler* handler = nullptr;
    BodyRule body;
    PathParams params;
    std::string allowed;  // "GET, POST" when method_not_allowed
    std::string_view pattern;  // the matched route's pattern, for logs and metrics (the router outlives it)
  };
  Match match(std::string_view method, std::string_view path) const;

  // Every route, for the authorization matrix test and the docs.
  std::vector<Route> routes() const;

 private:
  struct Entry {
    Route route;
    std::vector<std::string> segments;
    RouteHandler handler;
    BodyRule body;
  };
  std::vector<Entry> entries_;
};

}  // namespace praktika::net
