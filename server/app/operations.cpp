#include "app/operations.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include "api/http.h"
#include "certificates/certificates.h"
#include "common/errors.h"
#include "flashmob/flashmob.h"
#include "log/log.h"
#include "store/db.h"

namespace praktika::app {
namespace {

using nlohmann::json;
namespace asio = boost::asio;

// While an organiser watches, the view is pushed this often: a person reads it, no faster.
constexpr auto kPushInterval = std::chrono::seconds(2);

std::string topic_of(std::string_view event_id) { return live::topic::operations(event_id); }

// The pages of the site as the topics their viewers hold, in the organiser's words. Sections are
// listed one by one beside these.
struct PageFamily {
  std::string_view family;
  std::string_view title;
};
constexpr PageFamily kPages[] = {
    {"timeline", "Страница мероприятия"},
    {"gallery", "Галерея: списки секций"},
    {"practice", "Галерея: страницы работ"},
    {"flashmob", "Трансляция работ"},
    {"flashmob-item", "Работы к показу: авторы и организатор"},
    {"section-moderation", "Пульты модераторов секций"},
    {"author", "Уведомления авторам"},
    {"results", "Итоги"},
    {"certificates", "Выпуск сертификатов"},
    {"operations", "Эта сводка"},
};

// What each problem means and what to do, for the organiser's technician. A code without a row
// is an unexpected error: the generic advice.
struct Advice {
  std::string_view code;
  std::string_view title;
  std::string_view action;
};
constexpr Advice kAdvice[] = {
    {"storage_full", "На диске сервера закончилось место.",
     "Освободите место на диске с каталогом данных (старые резервные копии, журналы). Вход и удаление работают и "
     "сейчас, запись возобновится сама."},
    {"storage_busy", "База данных долго занята другой программой.",
     "Проверьте, не идёт ли резервное копирование или другая программа на том же каталоге данных; при повторении "
     "перезапустите сервер."},
    {"storage_error", "Ошибка базы данных.",
     "Найдите в журнале сервера строку store.error рядом по времени и передайте её разработчикам."},
    {"constraint_failed", "Запись в базу данных отклонена.",
     "Найдите в журнале сервера строку store.error рядом по времени и передайте её разработчикам."},
    {"smtp_error", "Письма не уходят: почтовый сервер их не принимает.",
     "Проверьте настройки почты (smtp) и доступность почтового сервера. Письма ждут в очереди и уйдут сами; "
     "неотправленные можно отправить ещё раз на странице «Письма»."},
    {"attachment_unreadable", "Письмо не отправлено: вложение не прочитано.",
     "Проверьте, на месте ли файлы сертификатов в каталоге данных; затем отправьте письмо ещё раз на странице "
     "«Письма»."},
    {"slow_consumer", "Соединение зрителя отключено: он не успевал получать обновления.",
     "Обычно это слабый интернет у зрителя: его страница переподключится сама. Если таких много — проверьте канал "
     "и загрузку сервера."},
    {"conversion_failed", "Не удалось подготовить работу к показу.",
     "Откройте «Проверка работ и порядок показа»: у работы указана причина. Попросите автора прислать файл "
     "заново или в другом формате."},
    {"certificate_failed", "Не удалось сделать сертификат.",
     "Откройте «Сертификаты, сборник и выгрузки» и запустите выпуск ещё раз; если повторится — проверьте шаблоны "
     "в программе мероприятия."},
    {"server_busy", "Сервер отказывает в соединениях: не хватает дескрипторов.",
     "Поднимите предел открытых файлов (LimitNOFILE) службы и перезапустите её в перерыве."},
};
constexpr Advice kUnexpected = {"", "Внутренняя ошибка сервера.",
                                "Найдите в журнале сервера строку с этим кодом (уровень error) и передайте её "
                                "разработчикам вместе со временем."};

const Advice& advice_for(std::string_view code) {
  for (const auto& a : kAdvice)
    if (a.code == code) return a;
  return kUnexpected;
}

std::string iso(std::chrono::system_clock::time_point t) {
  return format_instant(std::chrono::time_point_cast<TimePoint::duration>(t));
}

}  // namespace

Operations::Operations(Sources sources, metrics::AddressList metrics_allow, asio::io_context& io,
                       asio::thread_pool& workers)
    : s_(std::move(sources)),
      metrics_allow_(std::move(metrics_allow)),
      workers_(workers),
      strand_(asio::make_strand(io)),
      timer_(strand_) {}

Operations::~Operations() = default;

void Operations::start() {
  asio::post(strand_, [this] { arm(); });
}

void Operations::stop() {
  stopping_ = true;
  asio::post(strand_, [this] { timer_.cancel(); });
}

void Operations::arm() {
  if (stopping_) return;
  timer_.expires_after(kPushInterval);
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stopping_) return;
    push_all();
    arm();
  });
}

// On the timer's strand: only events someone watches, built on a worker (SQLite).
void Operations::push_all() {
  for (const auto& id : s_.event_ids) {
    const std::string topic = topic_of(id);
    if (s_.hub->subscriber_count(topic) == 0) continue;
    asio::post(workers_, [this, id, topic] {
      if (stopping_) return;
      if (auto view = snapshot(id)) s_.publisher->notify(topic, "operations", {{"operations", to_json(*view)}});
    });
  }
}

Result<OperationsView> Operations::snapshot(std::string_view event_id) {
  const timeline::Agenda* agenda = s_.find_event(event_id);
  if (!agenda) return errors::event_not_found();
  const std::string prefix = std::string(event_id);
  auto belongs = [&](const std::string& topic, std::string_view family) {  // family:event or family:event:…
    const std::string head = std::string(family) + ":" + prefix;
    return topic.compare(0, head.size(), head) == 0 && (topic.size() == head.size() || topic[head.size()] == ':');
  };
  const auto topics = s_.hub->topics();
  const auto stats = s_.server->connection_stats();
  OperationsView view;
  view.at = format_instant(s_.clock->now());
  view.websockets = s_.server->websocket_count();
  view.open_connections = stats.open;
  view.presence_backend = s_.presence->backend();
  view.presence_healthy = s_.presence->healthy();

  for (const auto& page : kPages) {
    OperationsView::Watched& watched = view.pages.emplace_back();
    watched.page = page.family;
    watched.title = page.title;
    for (const auto& [topic, local] : topics) {
      if (!belongs(topic, page.family)) continue;
      watched.connections += static_cast<std::int64_t>(local);
      watched.viewers += s_.presence->count(topic);
    }
  }
  for (const auto& section : agenda->sections) {
    const std::string topic = "section:" + prefix + ":" + std::to_string(section.number);
    view.sections.push_back({section.number, section.title, static_cast<std::int64_t>(s_.hub->subscriber_count(topic)),
                             s_.presence->count(topic)});
  }

  view.mail.configured = s_.sender->configured();
  if (auto counts = s_.outbox->counts(event_id)) {
    view.mail = {view.mail.configured, true, counts->pending, counts->failed, counts->sent, std::nullopt};
    if (counts->oldest_pending) view.mail.oldest_pending_at = format_instant(*counts->oldest_pending);
  }
  if (auto c = s_.flashmob->conversions(event_id)) view.conversions = OperationsView::Jobs{c->queued, c->running, c->failed};
  if (auto c = s_.certificates->job_counts(event_id))
    view.certificates = OperationsView::Jobs{c->queued, c->running, c->failed};

  if (!view.presence_healthy)
    view.problems.push_back({"presence_unavailable",
                             "Нет связи с Redis: счётчики зрителей других экземпляров сервера не видны.",
                             "Проверьте, запущен ли Redis и доступен ли он по адресу из настроек; сервер "
                             "переподключится сам.",
                             1, std::nullopt, std::nullopt});
  if (stats.out_of_descriptors) {
    const Advice& a = advice_for("server_busy");
    view.problems.push_back({"server_busy", std::string(a.title), std::string(a.action), stats.refused_descriptors,
                             std::nullopt, std::nullopt});
  }
  for (const auto& p : log::recent_problems()) {
    if (!p.event_id.empty() && p.event_id != event_id) continue;
    const Advice& a = advice_for(p.code);
    view.problems.push_back({p.code, std::string(a.title), std::string(a.action), p.count, iso(p.first), iso(p.last)});
  }
  return view;
}

net::Response Operations::metrics_response(const net::Request& request) {
  if (!metrics_allow_.contains(request.client_address))
    return api::error_response(
        Status::forbidden("metrics_forbidden", "Метрики сервера доступны только с разрешённых адресов."));
  metrics::Writer out;
  write_metrics(out);
  net::Response response;
  response.status = 200;
  response.body = out.text();
  response.set_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
  response.set_header("Cache-Control", "no-store");
  return response;
}

void Operations::write_metrics(metrics::Writer& out) {
  s_.server->write_metrics(out);

  std::map<std::string, std::int64_t> by_family;
  for (const auto& [topic, count] : s_.hub->topics())
    by_family[topic.substr(0, topic.find(':'))] += static_cast<std::int64_t>(count);
  out.header("praktika_websocket_subscriptions", "gauge", "Subscriptions held on this instance, by topic family.");
  for (const auto& [family, count] : by_family) out.sample("praktika_websocket_subscriptions", {{"family", family}}, count);
  out.counter("praktika_hub_publishes_total", "Events published to a topic with subscribers.", hub::Hub::publishes());
  out.counter("praktika_hub_deliveries_total", "Event frames handed to subscribers (one per subscriber per event).",
              hub::Hub::deliveries());

  out.header("praktika_presence_healthy", "gauge", "1 while the presence backend answers (Redis), 0 when it does not.");
  out.sample("praktika_presence_healthy", {{"backend", s_.presence->backend()}},
             std::int64_t{s_.presence->healthy() ? 1 : 0});

  if (auto c = s_.outbox->counts()) {
    out.header("praktika_outbox_messages", "gauge", "Letters in the outbox, by state.");
    out.sample("praktika_outbox_messages", {{"state", "pending"}}, c->pending);
    out.sample("praktika_outbox_messages", {{"state", "sent"}}, c->sent);
    out.sample("praktika_outbox_messages", {{"state", "failed"}}, c->failed);
    double age = c->oldest_pending
                     ? std::max(0.0, std::chrono::duration<double>(s_.clock->now() - *c->oldest_pending).count())
                     : 0.0;
    out.gauge("praktika_outbox_oldest_pending_age_seconds",
              "How long the oldest letter still waiting has waited (0: none waits).", age);
  }
  out.gauge("praktika_mail_configured", "1 when an SMTP server is configured.", s_.sender->configured() ? 1 : 0);
  out.counter("praktika_mail_sent_total", "Letters the SMTP server accepted.", mail::Sender::sent_total());
  out.counter("praktika_mail_failed_attempts_total", "Delivery attempts that failed (each is retried).",
              mail::Sender::failed_attempts_total());

  if (auto c = s_.flashmob->conversions()) {
    out.header("praktika_conversion_jobs", "gauge", "Flashmob conversions (ffmpeg, slides), by state.");
    out.sample("praktika_conversion_jobs", {{"state", "queued"}}, c->queued);
    out.sample("praktika_conversion_jobs", {{"state", "running"}}, c->running);
    out.sample("praktika_conversion_jobs", {{"state", "failed"}}, c->failed);
  }
  if (auto c = s_.certificates->job_counts()) {
    out.header("praktika_certificate_jobs", "gauge",
               "Certificates: documents queued and failed, and bulk jobs running.");
    out.sample("praktika_certificate_jobs", {{"state", "queued"}}, c->queued);
    out.sample("praktika_certificate_jobs", {{"state", "running"}}, c->running);
    out.sample("praktika_certificate_jobs", {{"state", "failed"}}, c->failed);
  }
  store::write_metrics(out);
  metrics::write_process(out);
}

}  // namespace praktika::app
