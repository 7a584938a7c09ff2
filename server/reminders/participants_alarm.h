// Wires the participants' reminders (participants.h) to the event clock's one alarm: a wake-up
// "reminders:{event}" at the next moment a letter falls due, which sends what is due on a worker
// and sets the next. A running order published, or a certificate job ended, sends at once and
// sets the wake-up again; so does the alarm's owner when it takes the alarm over (and every ten
// refreshes while it holds it, for a running order published through another instance).
// Called once while the server is built (main's thread); the wake-ups post to `workers`.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include <boost/asio/thread_pool.hpp>

#include "certificates/certificates.h"
#include "intake/intake.h"
#include "live/alarm.h"
#include "reminders/participants.h"
#include "sections/sections.h"

namespace praktika::reminders {

// The alarm, the workers, the sections and the certificates outlive the returned service, whose
// owner stops the alarm and joins the workers before destroying it.
std::unique_ptr<ParticipantReminders> wire_participants(store::Db& db, const timeline::Clock& clock,
                                                        std::vector<intake::EventView> events, live::Alarm& alarm,
                                                        boost::asio::thread_pool& workers,
                                                        sections::SectionService& sections,
                                                        certificates::CertificateService& certificates,
                                                        std::function<void()> mail_queued);

}  // namespace praktika::reminders
