// A real SMTP server owned by one test: Debian's python3-aiosmtpd, started on a free loopback
// port with the Mailbox handler writing every accepted message into a Maildir. Messages are
// read back decoded by Python's own e-mail parser (RFC 2047 headers, base64 bodies), so the
// test checks what a mail client would show. One thread at a time.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "support/process.h"

namespace praktika::test {

struct ReceivedAttachment {
  std::string name;          // decoded file name
  std::string content_type;  // "application/pdf"
  std::size_t size = 0;      // decoded bytes
  std::string head;          // the first 5 bytes ("%PDF-")
};

struct ReceivedMail {
  std::string mail_from;                // the envelope sender (MAIL FROM)
  std::vector<std::string> rcpt_to;     // the envelope recipients (RCPT TO)
  std::string from, to, subject;        // headers, decoded to UTF-8
  std::string content_type;             // "text/plain; charset=utf-8"
  std::string message_id;
  std::string body;                     // decoded to UTF-8 (the text/plain part of a multipart message)
  std::vector<ReceivedAttachment> attachments;  // the files of a multipart/mixed message
};

class SmtpServer {
 public:
  // Starts aiosmtpd on a free port with its Maildir under `dir`, and waits for its 220 greeting.
  static Result<std::unique_ptr<SmtpServer>> start(const std::filesystem::path& dir);
  ~SmtpServer();  // kills it

  int port() const { return port_; }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

  // Every message delivered so far (in Maildir name order, roughly the order of arrival).
  std::vector<ReceivedMail> messages() const;
  // Waits until at least `count` messages arrived; the messages then (fewer on timeout).
  std::vector<ReceivedMail> wait_for(std::size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(20)) const;

  // Stops it: the port refuses connections (an SMTP server down) until restart().
  void stop();
  // Starts it again on the same port with the same Maildir (messages received so far stay).
  Status restart();

 private:
  Status launch();
  SmtpServer(int port, std::filesystem::path maildir) : port_(port), maildir_(std::move(maildir)) {}

  int port_;
  std::filesystem::path maildir_;
  std::unique_ptr<Process> process_;
};

}  // namespace praktika::test
