// systemd's socket-activation hand-over (sd_listen_fds(3)), read without libsystemd: two
// environment variables and descriptor 3.
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "net/server.h"

namespace praktika::net {
namespace {

constexpr int kFirstHandedOver = 3;  // SD_LISTEN_FDS_START

Status not_a_listener(std::string why) {
  return Status::bad_request("bad_inherited_listener",
                             "Сокет от системы запуска служб не подходит: " + std::move(why) + ".");
}

int socket_option(int fd, int option) {
  int value = -1;
  socklen_t length = sizeof value;
  if (::getsockopt(fd, SOL_SOCKET, option, &value, &length) != 0) return -1;
  return value;
}

}  // namespace

Result<std::optional<int>> inherited_listener() {
  const char* pid = std::getenv("LISTEN_PID");
  const char* count = std::getenv("LISTEN_FDS");
  const std::string pid_text = pid ? pid : "";
  const std::string count_text = count ? count : "";
  ::unsetenv("LISTEN_PID");
  ::unsetenv("LISTEN_FDS");
  ::unsetenv("LISTEN_FDNAMES");
  // Variables meant for another process (the one that started this one) hand nothing to it.
  if (pid_text.empty() || count_text.empty() || pid_text != std::to_string(::getpid())) return std::optional<int>{};
  if (count_text != "1") return not_a_listener("передано сокетов: " + count_text + ", а нужен один");
  const int fd = kFirstHandedOver;
  if (::fcntl(fd, F_GETFD) < 0) return not_a_listener("дескриптор 3 не открыт");
  const int domain = socket_option(fd, SO_DOMAIN);
  if (socket_option(fd, SO_TYPE) != SOCK_STREAM || (domain != AF_INET && domain != AF_INET6))
    return not_a_listener("дескриптор 3 — не сокет TCP");
  if (socket_option(fd, SO_ACCEPTCONN) != 1) return not_a_listener("сокет не принимает соединений");
  ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  return std::optional<int>{fd};
}

}  // namespace praktika::net
