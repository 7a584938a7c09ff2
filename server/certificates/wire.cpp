#include "certificates/wire.h"

namespace praktika::certificates {

using nlohmann::json;

json to_json(const CertificateJob& job) {
  return {{"id", job.id},
          {"event", job.event},
          {"state", job.state},
          {"total", job.total},
          {"done", job.done},
          {"failed", job.failed},
          {"percent", job.total ? (job.done + job.failed) * 100 / job.total : 100},
          {"send_mail", job.send_mail},
          {"created_at", job.created_at},
          {"finished_at", job.finished_at ? json(*job.finished_at) : json(nullptr)}};
}

}  // namespace praktika::certificates
