// libFuzzer target for media sniffing, video probing (libavformat reads the bytes from a temporary
// file, as it reads an upload) and the rule engine, with the agenda's flashmob purpose: any bytes
// give a Verdict, never a crash, a hang past the probe deadline or a sanitizer report.
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <string>

#include "fuzz_agenda.h"
#include "media/media.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto& flashmob = praktika::fuzz::purpose("flashmob");
  static const std::string file = "/tmp/praktika-media-fuzz-" + std::to_string(getpid());
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  praktika::media::ProbeLimits limits;
  limits.deadline = std::chrono::seconds(2);
  if (auto type = praktika::media::sniff(file); type.ok()) {
    (void)praktika::media::type_id(*type);
    (void)praktika::media::mime_type(*type);
  }
  if (auto video = praktika::media::probe_video(file, limits); video.ok()) (void)video->to_json().dump();
  (void)praktika::media::check_file(file, flashmob, "clip.mp4", limits).to_json().dump();
  return 0;
}
