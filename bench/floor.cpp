// praktika_floor: the kernel's floor on this machine, the reference scripts/bench/run.sh measures
// praktika against (issue #23). One thread, one epoll, no Beast and no allocation per connection
// beyond its read buffer. What it costs is what any server must pay the kernel; the rest of
// praktika's cost is its own. By the upgrade's path:
//   /sub…  a subscriber: the 101 in one write, then idle until the client closes it;
//   /pub…  the publisher: each text frame it sends is written, unmasked, to every subscriber, one
//          write() each in the order they came (the latency scenario's floor);
//   other  the connections scenario's floor: the 101 in one write, one frame read and answered with
//          {"re":1,"ok":true,"data":{"state":STATE}} (which praktika_load's ws-connect counts as a
//          subscription) in one write, then idle. STATE is the file's JSON, `null` without one: the
//          state of the topic a subscriber gets, the same bytes for every server measured.
//
// Usage: praktika_floor PORT [STATE_FILE]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

// SHA-1 of the key and the RFC 6455 GUID: only what Sec-WebSocket-Accept needs.
std::array<std::uint8_t, 20> sha1(std::string_view data) {
  std::uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  std::string m(data);
  const std::uint64_t bits = static_cast<std::uint64_t>(data.size()) * 8;
  m.push_back(static_cast<char>(0x80));
  while (m.size() % 64 != 56) m.push_back('\0');
  for (int i = 7; i >= 0; --i) m.push_back(static_cast<char>(bits >> (i * 8)));
  const auto rol = [](std::uint32_t x, int n) { return (x << n) | (x >> (32 - n)); };
  for (std::size_t chunk = 0; chunk < m.size(); chunk += 64) {
    std::uint32_t w[80];
    for (int i = 0; i < 16; ++i) {
      const auto* p = reinterpret_cast<const unsigned char*>(m.data() + chunk + i * 4);
      w[i] = (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
    }
    for (int i = 16; i < 80; ++i) w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; ++i) {
      std::uint32_t f, k;
      if (i < 20) f = (b & c) | (~b & d), k = 0x5A827999;
      else if (i < 40) f = b ^ c ^ d, k = 0x6ED9EBA1;
      else if (i < 60) f = (b & c) | (b & d) | (c & d), k = 0x8F1BBCDC;
      else f = b ^ c ^ d, k = 0xCA62C1D6;
      const std::uint32_t t = rol(a, 5) + f + e + k + w[i];
      e = d, d = c, c = rol(b, 30), b = a, a = t;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
  }
  std::array<std::uint8_t, 20> out{};
  for (int i = 0; i < 20; ++i) out[i] = static_cast<std::uint8_t>(h[i / 4] >> (24 - (i % 4) * 8));
  return out;
}

std::string base64(const std::uint8_t* p, std::size_t n) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < n; i += 3) {
    std::uint32_t v = std::uint32_t{p[i]} << 16;
    if (i + 1 < n) v |= std::uint32_t{p[i + 1]} << 8;
    if (i + 2 < n) v |= p[i + 2];
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(i + 1 < n ? kAlphabet[(v >> 6) & 63] : '=');
    out.push_back(i + 2 < n ? kAlphabet[v & 63] : '=');
  }
  return out;
}

// The 101 for a request, or empty when the request carries no key.
std::string upgrade_response(std::string_view request) {
  constexpr std::string_view kHeader = "sec-websocket-key:";
  std::string lower(request);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto at = lower.find(kHeader);
  if (at == std::string::npos) return {};
  auto start = at + kHeader.size();
  while (start < request.size() && request[start] == ' ') ++start;
  const auto end = request.find("\r\n", start);
  const auto digest = sha1(std::string(request.substr(start, end - start)) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
  return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " +
         base64(digest.data(), digest.size()) + "\r\n\r\n";
}

// The length of the first whole client frame in `b` (masked, as a client's are), or 0 if incomplete.
std::size_t frame_length(std::string_view b) {
  if (b.size() < 2) return 0;
  std::size_t length = static_cast<unsigned char>(b[1]) & 0x7F, head = 2;
  if (length == 126) {
    if (b.size() < 4) return 0;
    length = (std::size_t{static_cast<unsigned char>(b[2])} << 8) | static_cast<unsigned char>(b[3]);
    head = 4;
  } else if (length == 127) {
    return 0;  // no client here sends 64 KB frames
  }
  head += (static_cast<unsigned char>(b[1]) & 0x80) ? 4 : 0;
  return b.size() >= head + length ? head + length : 0;
}

enum class Stage : std::uint8_t { handshake, subscribe, idle, publisher };

struct Connection {
  Stage stage = Stage::handshake;
  std::string in;  // the bytes read and not yet answered; empty once idle
};

// Every connection by descriptor, and the subscribers of the /pub broadcast in arrival order.
struct Floor {
  std::string reply;  // the subscribe reply, framed: one text frame, unmasked
  std::vector<Connection> connections = std::vector<Connection>(1024);
  std::vector<int> subscribers;
  std::vector<std::size_t> subscriber_at = std::vector<std::size_t>(1024, kNone);  // by descriptor
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

  void add_subscriber(int fd) {
    subscriber_at[static_cast<std::size_t>(fd)] = subscribers.size();
    subscribers.push_back(fd);
  }
  void remove_subscriber(int fd) {
    const std::size_t at = subscriber_at[static_cast<std::size_t>(fd)];
    if (at == kNone) return;
    subscribers[at] = subscribers.back();
    subscriber_at[static_cast<std::size_t>(subscribers[at])] = at;
    subscribers.pop_back();
    subscriber_at[static_cast<std::size_t>(fd)] = kNone;
  }
  void make_room(int fd) {
    const auto n = static_cast<std::size_t>(fd);
    if (n < connections.size()) return;
    connections.resize(n * 2 + 1);
    subscriber_at.resize(n * 2 + 1, kNone);
  }
};

void close_connection(int epoll, int fd, Floor& floor) {
  epoll_ctl(epoll, EPOLL_CTL_DEL, fd, nullptr);
  close(fd);
  floor.remove_subscriber(fd);
  floor.connections[static_cast<std::size_t>(fd)] = Connection{};
}

// The stage after the 101, by the upgrade's path.
Stage stage_after_upgrade(std::string_view request) {
  if (request.starts_with("GET /sub")) return Stage::idle;
  if (request.starts_with("GET /pub")) return Stage::publisher;
  return Stage::subscribe;
}

// A client's text frame, unmasked, framed again as a server sends it (no mask).
std::string server_frame(std::string_view client_frame) {
  const auto* b = reinterpret_cast<const unsigned char*>(client_frame.data());
  std::size_t length = b[1] & 0x7F, head = 2;
  if (length == 126) length = (std::size_t{b[2]} << 8) | b[3], head = 4;
  const bool masked = (b[1] & 0x80) != 0;
  const unsigned char* mask = b + head;
  head += masked ? 4 : 0;
  std::string out{static_cast<char>(0x81)};
  if (length < 126) {
    out.push_back(static_cast<char>(length));
  } else {
    out.push_back(static_cast<char>(126));
    out.push_back(static_cast<char>(length >> 8));
    out.push_back(static_cast<char>(length & 0xFF));
  }
  for (std::size_t i = 0; i < length; ++i)
    out.push_back(static_cast<char>(b[head + i] ^ (masked ? mask[i % 4] : 0)));
  return out;
}

// One write per subscriber: a subscriber whose socket is full loses the frame (at the latency
// scenario's 10 events/s none is).
void broadcast(const Floor& floor, std::string_view frame) {
  for (const int fd : floor.subscribers) (void)!write(fd, frame.data(), frame.size());
}

// The publisher's whole frames: text is broadcast, a close answered; false: close it.
bool on_published(const Floor& floor, int fd, Connection& c) {
  static constexpr std::string_view kClose = "\x88\x00";
  while (const std::size_t n = frame_length(c.in)) {
    const auto opcode = static_cast<unsigned char>(c.in[0]) & 0x0F;
    if (opcode == 0x8) {
      (void)!write(fd, kClose.data(), kClose.size());
      return false;
    }
    if (opcode == 0x1) broadcast(floor, server_frame(std::string_view(c.in).substr(0, n)));
    c.in.erase(0, n);
  }
  return true;
}

// Everything a connection's readiness calls for; false: close it.
bool on_readable(Floor& floor, int fd) {
  static constexpr std::string_view kClose = "\x88\x00";
  Connection& c = floor.connections[static_cast<std::size_t>(fd)];
  char buf[4096];
  for (;;) {
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n == 0) return false;
    if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK;
    if (c.stage == Stage::idle) {
      // Only a close frame is expected now: answer it and let the client end the connection.
      if ((static_cast<unsigned char>(buf[0]) & 0x0F) == 0x8) (void)!write(fd, kClose.data(), kClose.size());
      continue;
    }
    c.in.append(buf, static_cast<std::size_t>(n));
    if (c.stage == Stage::handshake) {
      const auto end = c.in.find("\r\n\r\n");
      if (end == std::string::npos) continue;
      const std::string_view request = std::string_view(c.in).substr(0, end + 4);
      const std::string response = upgrade_response(request);
      if (response.empty() || write(fd, response.data(), response.size()) != static_cast<ssize_t>(response.size()))
        return false;
      c.stage = stage_after_upgrade(request);
      c.in.erase(0, end + 4);
      if (c.stage == Stage::idle) {
        floor.add_subscriber(fd);
        std::string().swap(c.in);
      }
    }
    if (c.stage == Stage::publisher && !on_published(floor, fd, c)) return false;
    if (c.stage == Stage::subscribe && frame_length(c.in) > 0) {
      if (write(fd, floor.reply.data(), floor.reply.size()) != static_cast<ssize_t>(floor.reply.size())) return false;
      c.stage = Stage::idle;
      std::string().swap(c.in);
    }
  }
}

// {"re":1,"ok":true,"data":{"state":STATE}} as one server text frame.
std::string subscribe_reply(const std::string& state) {
  const std::string text = R"({"re":1,"ok":true,"data":{"state":)" + state + "}}";
  std::string frame = "\x81";
  if (text.size() < 126) {
    frame.push_back(static_cast<char>(text.size()));
  } else {
    frame.push_back(static_cast<char>(126));
    frame.push_back(static_cast<char>(text.size() >> 8));
    frame.push_back(static_cast<char>(text.size() & 0xFF));
  }
  return frame + text;
}

// The file's bytes without the trailing newline; `null` when there is no file.
std::string read_state(const char* path) {
  if (path == nullptr) return "null";
  std::string state;
  if (std::FILE* f = std::fopen(path, "rb")) {
    char buf[4096];
    while (const std::size_t n = std::fread(buf, 1, sizeof buf, f)) state.append(buf, n);
    std::fclose(f);
  }
  while (!state.empty() && (state.back() == '\n' || state.back() == '\r')) state.pop_back();
  if (state.empty() || state.size() > 60000) {
    std::fprintf(stderr, "praktika_floor: %s: no state, or more than 60 000 bytes\n", path);
    std::exit(2);
  }
  return state;
}

int listen_on(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  const int on = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(fd, 4096) != 0) {
    std::perror("praktika_floor: listen");
    std::exit(1);
  }
  return fd;
}

void accept_all(int epoll, int listener, Floor& floor) {
  for (;;) {
    const int fd = accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;
    const int on = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    floor.make_room(fd);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &ev);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 && argc != 3) {
    std::fprintf(stderr, "usage: praktika_floor PORT [STATE_FILE]\n");
    return 2;
  }
  const int listener = listen_on(std::atoi(argv[1]));
  const int epoll = epoll_create1(EPOLL_CLOEXEC);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = listener;
  epoll_ctl(epoll, EPOLL_CTL_ADD, listener, &ev);
  Floor floor;
  floor.reply = subscribe_reply(read_state(argc == 3 ? argv[2] : nullptr));
  std::array<epoll_event, 256> ready{};
  for (;;) {
    const int n = epoll_wait(epoll, ready.data(), static_cast<int>(ready.size()), -1);
    for (int i = 0; i < n; ++i) {
      const int fd = ready[static_cast<std::size_t>(i)].data.fd;
      if (fd == listener) {
        accept_all(epoll, listener, floor);
      } else if (!on_readable(floor, fd)) {
        close_connection(epoll, fd, floor);
      }
    }
  }
}
