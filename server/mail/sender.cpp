#include "mail/sender.h"

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <cstring>

#include "log/log.h"

namespace praktika::mail {
namespace {

std::atomic<std::uint64_t> g_sent{0};
std::atomic<std::uint64_t> g_failed_attempts{0};

// The SMTP server's words may name the recipient: the log gets the letter's id and the code only
// (the words stay in the outbox, for the organiser).
void failed_attempt(const StoredMessage& m, const Status& why) {
  g_failed_attempts.fetch_add(1, std::memory_order_relaxed);
  log::note_problem(why.code(), m.message.event_id);
  log::warn("mail.failed").num("letter", m.id).str("event", m.message.event_id).str("error", why.code()).num(
      "attempt", m.attempts + 1);
}

// What went wrong, in Russian for the organiser's outbox, with curl's or the server's own words
// after it (those are the mail administrator's to read, and stay as they came).
std::string failure_words(CURLcode rc, const char* detail) {
  const char* ours = "Почтовый сервер не принял письмо";
  switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST: ours = "Не найден адрес почтового сервера"; break;
    case CURLE_COULDNT_CONNECT: ours = "Не удалось соединиться с почтовым сервером"; break;
    case CURLE_OPERATION_TIMEDOUT: ours = "Почтовый сервер не ответил вовремя"; break;
    case CURLE_LOGIN_DENIED: ours = "Почтовый сервер не принял имя пользователя или пароль"; break;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION: ours = "Не удалось установить защищённое соединение с почтовым сервером"; break;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING: ours = "Соединение с почтовым сервером прервалось"; break;
    case CURLE_ABORTED_BY_CALLBACK: ours = "Отправка прервана остановкой сервера"; break;
    default: break;
  }
  std::string words = ours;
  const std::string said = detail && detail[0] ? detail : curl_easy_strerror(rc);
  if (!said.empty()) words += " (" + said + ")";
  return words + ".";
}

class CurlSmtp final : public Transport {
 public:
  explicit CurlSmtp(SmtpOptions options) : options_(std::move(options)) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  }

  Status send(const Message& message, const std::string& rfc5322, const std::function<bool()>& cancelled) override {
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl) return Status::internal("smtp_error", "Не удалось подготовить отправку письма.");
    curl_slist* rcpt = nullptr;
    for (const auto& r : message.recipients) rcpt = curl_slist_append(rcpt, ("<" + r + ">").c_str());
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> rcpt_guard(rcpt, curl_slist_free_all);

    Upload upload{rfc5322, 0};
    const std::string from = "<" + options_.from + ">";
    char error[CURL_ERROR_SIZE] = {0};
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, options_.url.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, &CurlSmtp::read);
    curl_easy_setopt(c, CURLOPT_READDATA, &upload);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(rfc5322.size()));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, options_.connect_timeout_s);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, options_.timeout_s);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    // The progress hook is how a shutdown interrupts a slow server.
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, &CurlSmtp::progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &cancelled);
    CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK) return Status::ok();
    return Status::unavailable("smtp_error", failure_words(rc, error));
  }

 private:
  struct Upload {
    const std::string& data;
    size_t offset;
  };
  static size_t read(char* buffer, size_t size, size_t count, void* user) {
    auto* up = static_cast<Upload*>(user);
    size_t n = std::min(size * count, up->data.size() - up->offset);
    std::memcpy(buffer, up->data.data() + up->offset, n);
    up->offset += n;
    return n;
  }
  static int progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    const auto* cancelled = static_cast<const std::function<bool()>*>(user);
    return (*cancelled)() ? 1 : 0;
  }

  const SmtpOptions options_;
};

}  // namespace

std::unique_ptr<Transport> make_smtp_transport(SmtpOptions options) {
  return std::make_unique<CurlSmtp>(std::move(options));
}

bool valid_smtp_url(const std::string& url) {
  for (std::string_view scheme : {"smtp://", "smtps://"})
    if (url.rfind(scheme, 0) == 0 && url.size() > scheme.size() && url[scheme.size()] != '/' &&
        url.find_first_of(" \r\n") == std::string::npos)
      return true;
  return false;
}

Sender::Sender(Outbox& outbox, const timeline::Clock& clock, std::unique_ptr<Transport> transport,
               SmtpOptions options)
    : outbox_(outbox), clock_(clock), transport_(std::move(transport)), options_(std::move(options)) {}

Sender::~Sender() { stop(); }

void Sender::start() {
  if (!transport_ || thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void Sender::stop() {
  stopping_ = true;
  {
    MutexLock lock(mutex_);
    woken_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Sender::wake() {
  {
    MutexLock lock(mutex_);
    woken_ = true;
  }
  changed_.notify_all();
}

int Sender::run_once() {
  if (!transport_) return 0;
  // A few at a time, held long enough for each to time out: no other instance's sender takes
  // them meanwhile. The hold is in the event clock's time, which may run faster than real time.
  constexpr int kBatch = 10;
  const double hold_s = (kBatch * (options_.connect_timeout_s + options_.timeout_s) + 60) * clock_.speed();
  auto due = outbox_.claim(clock_.now(), Millis(static_cast<std::int64_t>(hold_s * 1000)), kBatch);
  if (!due) return 0;
  int sent = 0;
  std::function<bool()> cancelled = [this] { return stopping_.load(); };
  for (const auto& m : *due) {
    if (stopping_) {
      (void)outbox_.release(m.id);  // not attempted: another instance (or the next start) sends it
      continue;
    }
    std::string id = "outbox-" + std::to_string(m.id) + "." + m.message.event_id + "@praktika";
    Message message = m.message;
    if (auto loaded = load_attachments(message); !loaded) {
      failed_attempt(m, loaded);
      (void)outbox_.mark_failed(m.id, clock_.now(), loaded.message());
      continue;
    }
    std::string text = render_rfc5322(message, options_.from, options_.from_name, id, m.created_at);
    // The SMTP exchange runs outside any transaction: the database is not held during network I/O.
    auto delivered = transport_->send(m.message, text, cancelled);
    if (delivered) {
      // Marked right after the server accepted it. A crash exactly between the two would send
      // it again on restart, with the same Message-ID: at-least-once is the best SMTP allows.
      if (outbox_.mark_sent(m.id, clock_.now())) ++sent;
      g_sent.fetch_add(1, std::memory_order_relaxed);
    } else if (!stopping_) {
      failed_attempt(m, delivered);
      (void)outbox_.mark_failed(m.id, clock_.now(), delivered.message());
    } else {
      (void)outbox_.release(m.id);
    }
  }
  return sent;
}

void Sender::run() {
  while (!stopping_) {
    run_once();
    // Sleep until the next scheduled attempt (in the event clock's pace), a wake(), or stop().
    auto next = outbox_.next_due();
    std::chrono::steady_clock::duration wait = std::chrono::seconds(60);
    if (next && *next) wait = std::min(wait, clock_.real_time_until(**next));
    wait = std::max<std::chrono::steady_clock::duration>(wait, std::chrono::milliseconds(50));
    MutexLock lock(mutex_);
    const auto until = std::chrono::steady_clock::now() + wait;
    while (!woken_ && !stopping_.load() && std::chrono::steady_clock::now() < until) changed_.wait_until(mutex_, until);
    woken_ = false;
  }
}

std::uint64_t Sender::sent_total() { return g_sent.load(std::memory_order_relaxed); }
std::uint64_t Sender::failed_attempts_total() { return g_failed_attempts.load(std::memory_order_relaxed); }

}  // namespace praktika::mail
