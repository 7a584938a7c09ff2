// praktika_floor: the kernel's floor for a WebSocket upgrade on this machine, the reference the
// connections scenario of scripts/bench/run.sh measures praktika against (issue #23). One thread,
// one epoll, no Beast and no allocation per connection beyond its read buffer: accept4, read the
// upgrade request, write a fixed 101 with the computed accept key in one write, read one frame,
// write one fixed reply frame, then hold the connection idle until the client closes it. What
// this costs is what any server must pay the kernel; the rest of praktika's cost is its own.
//
// Usage: praktika_floor PORT
// The reply is {"re":1,"ok":true}: praktika_load's ws-connect counts it as a confirmed subscription.
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

enum class Stage : std::uint8_t { handshake, subscribe, idle };

struct Connection {
  Stage stage = Stage::handshake;
  std::string in;  // the bytes read and not yet answered; empty once idle
};

void close_connection(int epoll, int fd, std::vector<Connection>& connections) {
  epoll_ctl(epoll, EPOLL_CTL_DEL, fd, nullptr);
  close(fd);
  connections[static_cast<std::size_t>(fd)] = Connection{};
}

// Everything a connection's readiness calls for; false: close it.
bool on_readable(int fd, Connection& c) {
  static constexpr std::string_view kReply = "\x81\x12{\"re\":1,\"ok\":true}";
  static constexpr std::string_view kClose = "\x88\x00";
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
      const std::string response = upgrade_response(std::string_view(c.in).substr(0, end + 4));
      if (response.empty() || write(fd, response.data(), response.size()) != static_cast<ssize_t>(response.size()))
        return false;
      c.in.erase(0, end + 4);
      c.stage = Stage::subscribe;
    }
    if (c.stage == Stage::subscribe && frame_length(c.in) > 0) {
      if (write(fd, kReply.data(), kReply.size()) != static_cast<ssize_t>(kReply.size())) return false;
      c.stage = Stage::idle;
      std::string().swap(c.in);
    }
  }
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

void accept_all(int epoll, int listener, std::vector<Connection>& connections) {
  for (;;) {
    const int fd = accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;
    const int on = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    if (static_cast<std::size_t>(fd) >= connections.size()) connections.resize(static_cast<std::size_t>(fd) * 2 + 1);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &ev);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: praktika_floor PORT\n");
    return 2;
  }
  const int listener = listen_on(std::atoi(argv[1]));
  const int epoll = epoll_create1(EPOLL_CLOEXEC);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = listener;
  epoll_ctl(epoll, EPOLL_CTL_ADD, listener, &ev);
  std::vector<Connection> connections(1024);
  std::array<epoll_event, 256> ready{};
  for (;;) {
    const int n = epoll_wait(epoll, ready.data(), static_cast<int>(ready.size()), -1);
    for (int i = 0; i < n; ++i) {
      const int fd = ready[static_cast<std::size_t>(i)].data.fd;
      if (fd == listener) {
        accept_all(epoll, listener, connections);
      } else if (!on_readable(fd, connections[static_cast<std::size_t>(fd)])) {
        close_connection(epoll, fd, connections);
      }
    }
  }
}
