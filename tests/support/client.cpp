#include "support/client.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace praktika::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using nlohmann::json;

json HttpResult::json() const {
  auto parsed = nlohmann::json::parse(body, nullptr, false);
  return parsed.is_discarded() ? nlohmann::json() : parsed;
}

std::string HttpResult::error_code() const {
  auto j = json();
  if (j.is_object() && j.contains("error") && j["error"].contains("code")) return j["error"]["code"].get<std::string>();
  return "";
}

HttpResult HttpClient::request(const std::string& method, const std::string& target, const std::string& body,
                               const std::map<std::string, std::string>& headers) {
  HttpResult result;
  try {
    asio::io_context io;
    beast::tcp_stream stream(io);
    stream.expires_after(30s);
    stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port_)));
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, "127.0.0.1:" + std::to_string(port_));
    if (!cookies_.empty()) req.set(http::field::cookie, cookie_header());
    // As a browser does on our own pages: the server refuses a state change with the session
    // cookie that names no page it was sent from.
    if (method != "GET" && method != "HEAD" && method != "OPTIONS")
      req.set(http::field::origin, "http://127.0.0.1:" + std::to_string(port_));
    bool has_type = false;
    for (const auto& [k, v] : headers) {
      if (v.empty()) req.erase(k);
      else req.set(k, v);
      if (k == "Content-Type" || k == "content-type") has_type = true;
    }
    if (!body.empty() && !has_type) req.set(http::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(1ULL << 32);
    parser.skip(method == "HEAD");
    http::read(stream, buffer, parser);
    auto& res = parser.get();
    result.status = static_cast<int>(res.result_int());
    for (const auto& field : res) {
      std::string name(field.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value(field.value());
      if (name == "set-cookie") {
        auto eq = value.find('='), semi = value.find(';');
        std::string cname = value.substr(0, eq);
        std::string cvalue = value.substr(eq + 1, semi == std::string::npos ? std::string::npos : semi - eq - 1);
        if (cvalue.empty() || value.find("Max-Age=0") != std::string::npos) cookies_.erase(cname);
        else cookies_[cname] = cvalue;
      }
      result.headers[name] = value;
    }
    result.body = res.body();
  } catch (const std::exception&) {
    result.status = 0;
  }
  return result;
}

HttpResult HttpClient::post(const std::string& target, const json& body,
                            const std::map<std::string, std::string>& headers) {
  return request("POST", target, body.dump(), headers);
}

std::string HttpClient::cookie_header() const {
  std::string out;
  for (const auto& [k, v] : cookies_) {
    if (!out.empty()) out += "; ";
    out += k + "=" + v;
  }
  return out;
}

struct HeldRequest::Impl {
  asio::io_context io;
  beast::tcp_stream stream{io};
  bool connected = false;
};

HeldRequest::HeldRequest(int port, const std::string& method, const std::string& target, std::uint64_t body_length,
                         const std::map<std::string, std::string>& headers)
    : impl_(std::make_unique<Impl>()) {
  const std::string site = "127.0.0.1:" + std::to_string(port);
  std::string head = method + " " + target + " HTTP/1.1\r\nHost: " + site + "\r\n";
  // Named as HttpClient names its state changes (the server refuses a cookie that names no page).
  if (!headers.count("Origin")) head += "Origin: http://" + site + "\r\n";
  for (const auto& [name, value] : headers) head += name + ": " + value + "\r\n";
  head += "Content-Length: " + std::to_string(body_length) + "\r\n\r\n";
  beast::error_code ec;
  impl_->stream.expires_after(30s);
  impl_->stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)), ec);
  if (!ec) asio::write(impl_->stream, asio::buffer(head), ec);
  impl_->connected = !ec;
}

HeldRequest::~HeldRequest() = default;

bool HeldRequest::send(const std::string& bytes) {
  if (!impl_->connected) return false;
  beast::error_code ec;
  impl_->stream.expires_after(30s);
  asio::write(impl_->stream, asio::buffer(bytes), ec);
  return !ec;
}

HttpResult HeldRequest::answer() {
  HttpResult result;
  beast::error_code ec;
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  impl_->stream.expires_after(30s);
  http::read(impl_->stream, buffer, parser, ec);
  if (ec) return result;
  result.status = static_cast<int>(parser.get().result_int());
  for (const auto& field : parser.get()) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    result.headers[name] = std::string(field.value());
  }
  result.body = parser.get().body();
  return result;
}

struct WsClient::Impl {
  asio::io_context io;
  websocket::stream<beast::tcp_stream> ws{io};
  beast::flat_buffer buffer;
  std::thread thread;
  std::deque<std::string> outgoing;  // only on the io thread

  std::mutex mutex;
  std::condition_variable changed;
  std::deque<json> inbox;  // guarded by mutex
  bool is_closed = false;
  std::optional<int> code;
  std::size_t count = 0;
  std::vector<std::chrono::steady_clock::time_point> ping_times;

  void read_loop() {
    ws.async_read(buffer, [this](beast::error_code ec, std::size_t) {
      std::lock_guard lock(mutex);
      if (ec) {
        is_closed = true;
        if (ws.reason().code != websocket::close_code::none) code = static_cast<int>(ws.reason().code);
        changed.notify_all();
        return;
      }
      auto parsed = json::parse(beast::buffers_to_string(buffer.data()), nullptr, false);
      buffer.consume(buffer.size());
      ++count;
      inbox.push_back(std::move(parsed));
      changed.notify_all();
      read_loop();
    });
  }

  void write_next() {
    if (outgoing.empty()) return;
    ws.async_write(asio::buffer(outgoing.front()), [this](beast::error_code ec, std::size_t) {
      outgoing.pop_front();
      if (!ec) write_next();
    });
  }
};

WsClient::WsClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

std::unique_ptr<WsClient> WsClient::connect(int port, Options options, int* status) {
  auto impl = std::make_unique<Impl>();
  try {
    auto& layer = beast::get_lowest_layer(impl->ws);
    layer.expires_after(10s);
    layer.socket().open(tcp::v4());
    if (options.receive_buffer_bytes > 0)
      layer.socket().set_option(asio::socket_base::receive_buffer_size(options.receive_buffer_bytes));
    layer.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
    impl->ws.set_option(websocket::stream_base::decorator([options](websocket::request_type& req) {
      if (!options.cookie.empty()) req.set(http::field::cookie, options.cookie);
      if (!options.origin.empty()) req.set(http::field::origin, options.origin);
    }));
    websocket::response_type res;
    beast::error_code ec;
    impl->ws.handshake(res, "127.0.0.1:" + std::to_string(port), options.target, ec);
    if (status) *status = static_cast<int>(res.result_int());
    if (ec) return nullptr;
    layer.expires_never();
  } catch (const std::exception&) {
    return nullptr;
  }
  auto raw = impl.get();
  raw->ws.control_callback([raw](websocket::frame_type kind, beast::string_view) {
    if (kind != websocket::frame_type::ping) return;
    std::lock_guard lock(raw->mutex);
    raw->ping_times.push_back(std::chrono::steady_clock::now());
  });
  if (options.read) impl->read_loop();
  raw->thread = std::thread([raw] {
    auto guard = asio::make_work_guard(raw->io);
    raw->io.run();
  });
  return std::unique_ptr<WsClient>(new WsClient(std::move(impl)));
}

WsClient::~WsClient() {
  asio::post(impl_->io, [this] {
    beast::error_code ec;
    beast::get_lowest_layer(impl_->ws).socket().close(ec);
    impl_->io.stop();
  });
  impl_->thread.join();
}

void WsClient::send_raw(const std::string& text) {
  asio::post(impl_->io, [this, text] {
    impl_->outgoing.push_back(text);
    if (impl_->outgoing.size() == 1) impl_->write_next();
  });
}

void WsClient::send(const json& message) { send_raw(message.dump()); }

json WsClient::call(json op, std::chrono::milliseconds timeout) {
  int id = next_id_++;
  op["id"] = id;
  send(op);
  return reply(id, timeout);
}

json WsClient::reply(const json& id, std::chrono::milliseconds timeout) {
  std::unique_lock lock(impl_->mutex);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    for (auto it = impl_->inbox.begin(); it != impl_->inbox.end(); ++it) {
      if (it->is_object() && it->contains("re") && (*it)["re"] == id) {
        json reply = std::move(*it);
        impl_->inbox.erase(it);
        return reply;
      }
    }
    if (impl_->is_closed) return json();
    if (impl_->changed.wait_until(lock, deadline) == std::cv_status::timeout) return json();
  }
}

std::optional<json> WsClient::next_event(const std::string& topic, const std::string& event,
                                         std::chrono::milliseconds timeout) {
  std::unique_lock lock(impl_->mutex);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    for (auto it = impl_->inbox.begin(); it != impl_->inbox.end(); ++it) {
      if (!it->is_object() || !it->contains("topic")) continue;
      if (!topic.empty() && (*it)["topic"] != topic) continue;
      if (!event.empty() && (*it)["event"] != event) continue;
      json found = std::move(*it);
      impl_->inbox.erase(it);
      return found;
    }
    if (impl_->is_closed) return std::nullopt;
    if (impl_->changed.wait_until(lock, deadline) == std::cv_status::timeout) return std::nullopt;
  }
}

bool WsClient::wait_presence(const std::string& topic, long count, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left <= 0ms) return false;
    auto e = next_event(topic, "presence", left);
    if (!e) return false;
    if ((*e)["data"]["count"] == count) return true;
  }
}

bool WsClient::closed(std::chrono::milliseconds wait) {
  std::unique_lock lock(impl_->mutex);
  impl_->changed.wait_for(lock, wait, [this] { return impl_->is_closed; });
  return impl_->is_closed;
}

std::optional<int> WsClient::close_code() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->code;
}

std::size_t WsClient::received() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->count;
}

std::vector<std::chrono::steady_clock::time_point> WsClient::pings() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->ping_times;
}

void WsClient::start_reading() {
  asio::post(impl_->io, [this] { impl_->read_loop(); });
}

void WsClient::close() {
  asio::post(impl_->io, [this] {
    impl_->ws.async_close(websocket::close_code::normal, [](beast::error_code) {});
  });
}

}  // namespace praktika::test
