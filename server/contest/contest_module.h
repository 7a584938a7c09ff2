// The contest as a stage module (stage/stage_module.h): eligibility checks on the intake's
// submissions, matching, results and the documents sent by post.
#pragma once

#include <memory>

#include "contest/contest.h"
#include "stage/stage_module.h"

namespace praktika::contest {

class ContestModule final : public stage::StageModule {
 public:
  std::string_view name() const override { return "contest"; }
  std::optional<timeline::AgendaError> check(const timeline::Agenda& agenda) const override;
  void build(const stage::Services& services) override;
  void add_routes(net::Router& router, const stage::Services& services) override;

  ContestService& service() { return *service_; }

 private:
  std::unique_ptr<ContestService> service_;  // made by build()
};

}  // namespace praktika::contest
