// The JSON of a certificate job: the same for the organiser's answers (certificates_api.cpp) and
// the "progress" pushes on topic certificates:{event} (certificates.cpp), so one function makes it.
#pragma once

#include <nlohmann/json.hpp>

#include "certificates/certificates.h"

namespace praktika::certificates {

nlohmann::json to_json(const CertificateJob& job);

}  // namespace praktika::certificates
