#include "support/smtp_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <thread>

#include <nlohmann/json.hpp>

#include "support/ports.h"

namespace praktika::test {
namespace {

using Clock = std::chrono::steady_clock;

// Debian's interpreter: python3-aiosmtpd is installed for it, whatever else is first on PATH.
constexpr const char* kPython = "/usr/bin/python3";

// Reads the Maildir with Python's e-mail package and prints one JSON array.
constexpr const char* kReader = R"PY(
import email, email.policy, json, mailbox, sys
box = mailbox.Maildir(sys.argv[1], factory=None, create=False)
out = []
for key in sorted(box.keys()):
    raw = box.get_bytes(key)
    m = email.message_from_bytes(raw, policy=email.policy.default)
    body = m.get_body(preferencelist=("plain",))
    out.append({
        "mail_from": str(m.get("X-MailFrom", "")),
        "rcpt_to": [r.strip() for r in str(m.get("X-RcptTo", "")).split(",") if r.strip()],
        "from": str(m.get("From", "")), "to": str(m.get("To", "")), "subject": str(m.get("Subject", "")),
        "content_type": str(m.get("Content-Type", "")), "message_id": str(m.get("Message-ID", "")),
        "body": body.get_content() if body is not None else "",
        "attachments": [{"name": a.get_filename() or "", "content_type": a.get_content_type(),
                         "size": len(a.get_content()), "head": a.get_content()[:5].decode("latin-1")}
                        for a in m.iter_attachments()]})
print(json.dumps(out))
)PY";

// True once something on the port answers with an SMTP greeting.
bool greets(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = false;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    pollfd p{fd, POLLIN, 0};
    char buf[64] = {0};
    if (::poll(&p, 1, 2000) == 1 && ::read(fd, buf, sizeof buf - 1) >= 3) ok = std::string(buf, 3) == "220";
    const char quit[] = "QUIT\r\n";
    (void)!::write(fd, quit, sizeof quit - 1);
  }
  ::close(fd);
  return ok;
}

}  // namespace

Result<std::unique_ptr<SmtpServer>> SmtpServer::start(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  std::unique_ptr<SmtpServer> server(new SmtpServer(free_port(), dir / "maildir"));
  if (auto s = server->launch(); !s) return s;
  return server;
}

Status SmtpServer::restart() {
  stop();
  return launch();
}

Status SmtpServer::launch() {
  ProcessOptions options;
  options.argv = {kPython, "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + std::to_string(port_),
                  "-c", "aiosmtpd.handlers.Mailbox", maildir_.string()};
  options.stdout_to = Output::null();
  options.stderr_to = Output::to_stdout();
  auto process = Process::spawn(options);
  if (!process) return process.status();
  process_ = std::move(*process);
  const auto deadline = Clock::now() + std::chrono::seconds(15);
  while (Clock::now() < deadline) {
    if (!process_->running())
      return Status::internal("smtp_server", "aiosmtpd exited at start (port taken, or python3-aiosmtpd missing?)");
    if (greets(port_)) return Status::ok();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return Status::internal("smtp_server", "aiosmtpd did not greet within 15 s");
}

SmtpServer::~SmtpServer() = default;  // ~Process kills it

void SmtpServer::stop() {
  if (process_) process_->stop();
  process_.reset();
}

std::vector<ReceivedMail> SmtpServer::messages() const {
  std::vector<ReceivedMail> out;
  if (!std::filesystem::exists(maildir_ / "new")) return out;
  std::string command = std::string(kPython) + " -c '" + kReader + "' '" + maildir_.string() + "'";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return out;
  std::string text;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) text.append(buf, n);
  ::pclose(pipe);
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  if (!parsed.is_array()) return out;
  for (const auto& m : parsed) {
    ReceivedMail r;
    r.mail_from = m.value("mail_from", "");
    r.rcpt_to = m.value("rcpt_to", std::vector<std::string>{});
    r.from = m.value("from", "");
    r.to = m.value("to", "");
    r.subject = m.value("subject", "");
    r.content_type = m.value("content_type", "");
    r.message_id = m.value("message_id", "");
    r.body = m.value("body", "");
    for (const auto& a : m.value("attachments", nlohmann::json::array()))
      r.attachments.push_back({a.value("name", ""), a.value("content_type", ""), a.value("size", std::size_t{0}),
                               a.value("head", "")});
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<ReceivedMail> SmtpServer::wait_for(std::size_t count, std::chrono::milliseconds timeout) const {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    auto now = messages();
    if (now.size() >= count || Clock::now() >= deadline) return now;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace praktika::test
