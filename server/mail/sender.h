// Delivers the outbox: a background thread of its own (never a connection strand or a worker
// of the HTTP pool) takes due messages, hands each to the Transport (SMTP through libcurl) and
// records the outcome. Created and stopped by App on main's thread; wake() from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "common/status.h"
#include "mail/outbox.h"
#include "timeline/clock.h"
#include "common/mutex.h"

namespace praktika::mail {

// One delivery. Must return promptly once `cancelled()` turns true (shutdown).
class Transport {
 public:
  virtual ~Transport() = default;
  virtual Status send(const Message& message, const std::string& rfc5322,
                      const std::function<bool()>& cancelled) = 0;
};

struct SmtpOptions {
  std::string url;   // smtp://host:port
  std::string from;  // envelope and header sender
  std::string from_name;
  long connect_timeout_s = 10;
  long timeout_s = 60;
};

// libcurl's SMTP: MAIL FROM, RCPT TO each recipient, DATA with the message. Any thread.
std::unique_ptr<Transport> make_smtp_transport(SmtpOptions options);

// True for smtp:// and smtps:// URLs with a host.
bool valid_smtp_url(const std::string& url);

class Sender {
 public:
  // `transport` null: nothing is sent (mail stays queued; health reports it).
  Sender(Outbox& outbox, const timeline::Clock& clock, std::unique_ptr<Transport> transport, SmtpOptions options);
  ~Sender();  // stops

  void start();
  // Ends the thread: a delivery in progress is cancelled (it stays pending and is retried later).
  void stop();
  // New mail was queued: look now rather than at the next scheduled attempt.
  void wake();

  bool configured() const { return transport_ != nullptr; }

  // One pass over the due messages (the thread's body; tests call it directly). How many were sent.
  int run_once();

  // Process-wide, since start: messages the SMTP server accepted, and attempts that failed.
  static std::uint64_t sent_total();
  static std::uint64_t failed_attempts_total();

 private:
  void run();

  // Constant after construction.
  Outbox& outbox_;
  const timeline::Clock& clock_;
  const std::unique_ptr<Transport> transport_;
  const SmtpOptions options_;

  // Guarded by mutex_.
  Mutex mutex_;
  CondVar changed_;
  bool woken_ GUARDED_BY(mutex_) = false;

  std::atomic<bool> stopping_{false};
  std::thread thread_;  // started and joined on main's thread
};

}  // namespace praktika::mail
