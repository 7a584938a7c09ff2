// The JSON of the certificates' types, one function each: a job's is the same for the organiser's
// answers (certificates_api.cpp) and the "progress" pushes on topic certificates:{event}.
#pragma once

#include <nlohmann/json.hpp>

#include "certificates/certificates.h"

namespace praktika::certificates {

nlohmann::json to_json(const CertificateJob& job);
nlohmann::json to_json(const CertificateList& list);
nlohmann::json to_json(const Verification& v);
nlohmann::json to_json(const OwnCertificates& own, std::string_view event_id);

}  // namespace praktika::certificates
