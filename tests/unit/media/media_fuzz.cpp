// libFuzzer target: any bytes, as an upload, through sniff, the slide counter and the rule engine.
#include <cstdint>
#include <fstream>
#include <string>
#include <unistd.h>

#include "media/media.h"

namespace {

praktika::timeline::FilePurpose flashmob() {
  praktika::timeline::FilePurpose p;
  p.id = "flashmob";
  p.kinds.push_back({"video", "Видео", {"mp4", "mov", "mpg", "wmv", "flv", "vob", "avi", "webm", "mkv", "ts", "rm"},
                     0, 1048576000, 300, std::nullopt});
  p.kinds.push_back({"presentation", "Презентация", {"pptx", "ppt", "pdf", "odp"}, 0, 104857600, std::nullopt, 10});
  return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const praktika::timeline::FilePurpose purpose = flashmob();
  static const std::string file = "/tmp/praktika-media-fuzz-" + std::to_string(getpid());
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  praktika::media::ProbeLimits limits;
  limits.deadline = std::chrono::seconds(2);
  (void)praktika::media::check_file(file, purpose, {}, limits).to_json().dump();
  (void)praktika::media::count_slides(file);
  return 0;
}
