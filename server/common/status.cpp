#include "common/status.h"

#include <nlohmann/json.hpp>

namespace praktika {

Status Status::with_details(nlohmann::json details) const {
  Status copy = *this;
  copy.details_ = std::make_shared<const nlohmann::json>(std::move(details));
  return copy;
}

}  // namespace praktika
