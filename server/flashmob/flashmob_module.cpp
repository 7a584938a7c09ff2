#include "flashmob/flashmob_module.h"

#include <algorithm>

#include "flashmob/flashmob_api.h"
#include "flashmob/flashmob_live.h"
#include "live/alarm.h"
#include "uploads/uploads_module.h"

namespace praktika::flashmob {

std::optional<timeline::AgendaError> FlashmobModule::check(const timeline::Agenda& agenda) const {
  auto settings = read_settings(agenda);
  if (auto* error = std::get_if<timeline::AgendaError>(&settings)) return *error;
  return std::nullopt;
}

void FlashmobModule::build(const stage::Services& services) {
  Options options;
  options.data_dir = services.data_dir;
  auto& uploads = services.stage<uploads::UploadModule>().service();
  options.upload_files_dir = uploads.files_dir();
  options.workers = 1;
  for (const auto& event : services.events.all()) {
    auto settings = read_settings(*event.agenda);
    if (auto* s = std::get_if<Settings>(&settings)) options.workers = std::max(options.workers, s->conversions_at_once);
  }
  service_ = std::make_unique<FlashmobService>(services.db, services.clock, services.events.all(), services.publisher,
                                               uploads, options);
  // now_playing at each item boundary: a wake-up per event on the alarm, set again whenever the
  // schedule changed and whenever this instance takes the alarm over.
  live::Alarm& alarm = services.alarm;
  for (const auto& id : service_->event_ids()) push_feed_changes(alarm, *service_, id);
  alarm.add_source([this, &alarm](bool) {
    for (const auto& id : service_->event_ids()) push_feed_changes(alarm, *service_, id);
  });
  service_->set_feed_listener([this, &alarm](const std::string& event_id) { push_feed_changes(alarm, *service_, event_id); });
  // Partner sites show the feed's widget page in an <iframe>.
  for (const auto& id : service_->event_ids()) {
    std::string widget = "/events/" + id + "/flashmob/widget";
    if (auto ancestors = service_->frame_ancestors(widget)) services.allow_framing(widget, *ancestors);
  }
}

void FlashmobModule::add_routes(net::Router& router, const stage::Services& services) {
  flashmob::add_routes(router, *service_, services.accounts);
}

void FlashmobModule::add_live(live::Registry& registry) { flashmob::add_live(registry, *service_); }

Status FlashmobModule::start() {
  service_->start();
  return Status::ok();
}

void FlashmobModule::stop() { service_->stop(); }

}  // namespace praktika::flashmob
