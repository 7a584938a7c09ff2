#include "uploads/uploads_module.h"

#include <algorithm>

#include "uploads/uploads_api.h"

namespace praktika::uploads {
namespace {

// The largest file any loaded agenda accepts, for any purpose.
std::uint64_t largest_file(const timeline::Events& events) {
  std::uint64_t largest = 0;
  for (const auto& event : events.all())
    for (const auto& [purpose, rules] : event.agenda->files)
      for (const auto& kind : rules.kinds) largest = std::max<std::uint64_t>(largest, kind.max_bytes.value_or(0));
  return largest;
}

}  // namespace

void UploadModule::build(const stage::Services& services) {
  service_ = std::make_unique<UploadService>(
      services.db, services.clock, services.events.finder(),
      Options{services.data_dir, services.limits.upload_quota_bytes, largest_file(services.events),
              services.limits.upload_free_space_margin_bytes});
}

void UploadModule::add_routes(net::Router& router, const stage::Services& services) {
  uploads::add_routes(router, *service_, services.accounts);
}

}  // namespace praktika::uploads
