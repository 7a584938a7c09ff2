// libFuzzer target for slide counting (.pptx's presentation.xml, .odp's content.xml, PDF pages
// through poppler) on bytes stored as an upload is: any bytes give a count or a Status.
// Seeds: tests/fuzz/corpus/slides (pptx, odp and pdf made by the tests' builders).
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <string>

#include "media/media.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string file = "/tmp/praktika-slides-fuzz-" + std::to_string(getpid());
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  auto slides = praktika::media::count_slides(file);
  if (slides.ok() && *slides < 0) __builtin_trap();  // a count is never negative
  return 0;
}
