// The review as a stage module (stage/stage_module.h): experts' reviews, decisions and
// their letters; experts read the materials of the practices assigned to them.
#pragma once

#include <memory>

#include "review/review.h"
#include "stage/stage_module.h"

namespace praktika::review {

class ReviewModule final : public stage::StageModule {
 public:
  std::string_view name() const override { return "review"; }
  std::optional<timeline::AgendaError> check(const timeline::Agenda& agenda) const override;
  void build(const stage::Services& services) override;
  void add_routes(net::Router& router, const stage::Services& services) override;

  ReviewService& service() { return *service_; }

 private:
  std::unique_ptr<ReviewService> service_;  // made by build()
};

}  // namespace praktika::review
