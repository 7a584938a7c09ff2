#include "reminders/reminders_module.h"

#include <cstdio>
#include <set>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include "accounts/accounts.h"
#include "certificates/certificates_module.h"
#include "contest/contest_module.h"
#include "live/stage_pushes.h"
#include "reminders/participants_alarm.h"
#include "reminders/reminders_api.h"
#include "reminders/settings.h"
#include "review/review_module.h"
#include "sections/sections_module.h"

namespace praktika::reminders {
namespace {

// A module that has nothing to do for an event (no review, no certificates) answers 404: nothing left.
Result<Left> counted(Result<std::int64_t> n, const std::string& what) {
  if (!n) return n.status().http_status() == 404 ? Result<Left>(Left{}) : Result<Left>(n.status());
  return Left{*n, *n > 0 ? what + std::to_string(*n) : std::string()};
}

void report(const std::string& event_id, const Result<int>& sent) {
  if (!sent) std::fprintf(stderr, "reminders for %s: %s\n", event_id.c_str(), sent.status().message().c_str());
}

}  // namespace

std::optional<timeline::AgendaError> ReminderModule::check(const timeline::Agenda& agenda) const {
  auto settings = read_settings(agenda);
  if (auto* error = std::get_if<timeline::AgendaError>(&settings)) return *error;
  return std::nullopt;
}

void ReminderModule::build(const stage::Services& services) {
  accounts::AccountsService& accounts = services.accounts;
  service_ = std::make_unique<ReminderService>(
      services.db, services.clock, services.events.all(),
      [&accounts](std::string_view event) -> Result<std::vector<std::string>> {
        auto roles = accounts.list_roles(event);
        if (!roles) return roles.status();
        std::vector<std::string> emails;
        for (const auto& r : *roles)
          if (r.grant.role == accounts::Role::organiser) emails.push_back(r.user.email);
        return emails;
      },
      services.letters_queued);
  add_checks(services);
  participants_ = wire_participants(services.db, services.clock, services.events.all(), services.alarm, services.workers,
                                    services.stage<sections::SectionModule>().service(),
                                    services.stage<certificates::CertificateModule>().service(), services.letters_queued);
  events_ = services.events.ids();
  // One wake-up per event: the timeline's stage changes and the reminders' warning windows.
  // The letters are written on the worker pool, off the alarm's strand.
  boost::asio::thread_pool& workers = services.workers;
  for (const auto& view : services.events.all()) {
    const std::string& id = view.agenda->id;
    services.alarm.add_source(live::push_stage_changes(
        services.alarm, services.publisher, *view.timeline, services.clock, service_->warn_instants(id),
        [this, &workers, id] { boost::asio::post(workers, [this, id] { report(id, service_->send_due(id)); }); }));
  }
}

void ReminderModule::add_checks(const stage::Services& services) {
  auto& review = services.stage<review::ReviewModule>().service();
  const timeline::Events& events = services.events;
  service_->add_check("decision_notice_by", [&review, &events](std::string_view event) {
    // The event's own word: «заявки без решения» for the contest.
    auto found = events.find(event);
    return counted(review.undecided(event), (found ? found->agenda->words.many : std::string("работы")) + " без решения: ");
  });
  auto& certificates = services.stage<certificates::CertificateModule>().service();
  service_->add_check("certificates_by", [&certificates](std::string_view event) {
    return counted(certificates.not_issued(event), "участники без выпущенного сертификата: ");
  });
  auto& contest = services.stage<contest::ContestModule>().service();
  std::set<std::string> post_deadlines;
  for (const auto& id : events.ids())
    if (auto m = contest.post_deadline(id)) post_deadlines.insert(*m);
  for (const auto& m : post_deadlines)
    service_->add_check(m, [&contest](std::string_view event) {
      return counted(contest.post_left(event), "документы, не отправленные по почте: ");
    });
}

void ReminderModule::add_routes(net::Router& router, const stage::Services& services) {
  reminders::add_routes(router, *service_, services.accounts);
  add_participant_routes(router, *participants_, services.accounts);
}

// A warning window that opened while the server was down is caught up before the first request
// (the outbox key keeps each letter once).
Status ReminderModule::start() {
  for (const auto& id : events_) report(id, service_->send_due(id));
  return Status::ok();
}

}  // namespace praktika::reminders
