// libFuzzer target for the agenda loader: any bytes must give an Agenda or an AgendaError, never a
// crash, a throw or a sanitizer report. Built only with clang and -DPRAKTIKA_FUZZ=ON; seed it with
// agenda/ and tests/fixtures/agenda/.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "timeline/agenda.h"
#include "timeline/timeline.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto r = praktika::timeline::parse_agenda(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.json");
  if (auto* a = std::get_if<praktika::timeline::Agenda>(&r)) {
    praktika::timeline::Timeline t(*a);
    for (const auto& s : a->stages) (void)t.to_json(s.opens).dump();
    (void)praktika::timeline::public_json(*a).dump();
  }
  return 0;
}
