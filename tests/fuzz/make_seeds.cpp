// Writes the binary seeds of tests/fuzz/corpus/ with the tests' own builders: .docx packages
// (compliant, broken, a zip bomb, entity tricks), presentations (pptx, odp, pdf) and tiny videos
// made by ffmpeg. Run by hand when the builders change (`scripts/build.sh fuzz_seeds &&
// build/tests/fuzz_seeds tests/fuzz/corpus`); the text seeds are kept as written.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/docx_builder.h"
#include "support/media_fixtures.h"

namespace fs = std::filesystem;
using namespace praktika::documents::testing;
namespace mt = praktika::media::testing;

namespace {

void write(const fs::path& file, const Bytes& bytes) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                              static_cast<std::streamsize>(bytes.size()));
}

Bytes small_docx(Docx docx) {
  docx.media.clear();  // the photos are large padded JPEGs: a seed only needs the structure
  for (auto& part : docx.body)
    if (part.find("r:embed") != std::string::npos) part = para("Рисунок");
  return docx.bytes();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_seeds CORPUS_DIR\n");
    return 2;
  }
  const fs::path corpus = argv[1];

  // .docx: compliant, one rule broken, an entity trick, a bomb, a doc that is no docx.
  const fs::path docx = corpus / "docx_fuzz";
  write(docx / "compliant.docx", small_docx(Docx::compliant()));
  Docx arial = Docx::compliant();
  arial.body[kBody] = para("Текст шрифтом Arial [1, с. 2].", "", R"(<w:rFonts w:ascii="Arial" w:hAnsi="Arial"/>)");
  arial.body.push_back(table({{"a", "b"}, {"c", "d"}}));
  write(docx / "arial-table.docx", small_docx(arial));
  Docx entities = Docx::compliant();
  entities.document_override =
      R"(<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">)"
      R"(<!ENTITY ext SYSTEM "file:///etc/passwd">]>)"
      R"(<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>)"
      R"(<w:p><w:r><w:t>&b;&ext;</w:t></w:r></w:p></w:body></w:document>)";
  write(docx / "entities.docx", small_docx(entities));
  write(docx / "bomb.docx", make_zip({{"[Content_Types].xml", "<Types/>"}, {"word/document.xml", "", 1ull << 20}}));
  write(docx / "not-a-docx.zip", make_zip({{"readme.txt", "hello"}}));

  // Presentations for the slide counter; the media target gets them too (check_file sniffs them).
  for (const char* target : {"slides_fuzz", "media_fuzz"}) {
    const fs::path dir = corpus / target;
    fs::create_directories(dir);
    mt::write_pptx(dir / "three.pptx", 3);
    mt::write_odp(dir / "two.odp", 2);
    mt::write_pdf(dir / "four.pdf", 4);
  }
  mt::write_zip_bomb_pptx(corpus / "slides_fuzz" / "bomb.pptx", 1ull << 20);

  // Tiny videos in the containers the sniffer and the prober know.
  const fs::path media = corpus / "media_fuzz";
  const std::string source = "-f lavfi -i testsrc=size=32x24:rate=4 -t 0.5 ";
  bool ok = mt::ffmpeg(source + "-c:v libx264 -preset ultrafast -pix_fmt yuv420p", media / "h264.mp4") &&
            mt::ffmpeg(source + "-c:v mpeg4 -q:v 31", media / "mpeg4.avi") &&
            mt::ffmpeg(source + "-c:v wmv2", media / "clip.wmv") &&
            mt::ffmpeg(source + "-c:v flv", media / "clip.flv") &&
            mt::ffmpeg(source + "-c:v mpeg2video -f mpegts", media / "clip.ts") &&
            mt::ffmpeg(source + "-c:v libvpx -b:v 20k", media / "clip.webm") &&
            mt::ffmpeg(source + "-frames:v 1", media / "frame.png") &&
            mt::ffmpeg(source + "-frames:v 1", media / "frame.jpg");
  return ok ? 0 : 1;
}
