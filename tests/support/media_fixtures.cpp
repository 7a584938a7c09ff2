#include "support/media_fixtures.h"

#include "support/docx_builder.h"


#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <stdexcept>
#include <variant>

namespace praktika::media::testing {

bool ffmpeg(const std::string& args, const std::filesystem::path& out) {
  const std::string cmd = "/usr/bin/ffmpeg -nostdin -hide_banner -loglevel error -y " + args + " '" + out.string() + "'";
  return std::system(cmd.c_str()) == 0 && std::filesystem::exists(out);
}

bool make_cheap_video(const std::filesystem::path& out, double seconds) {
  return ffmpeg("-f lavfi -i testsrc=size=160x120:rate=1 -f lavfi -i sine=frequency=440:sample_rate=8000 -t " +
                    std::to_string(seconds) + " -c:v mpeg4 -q:v 31 -c:a aac -b:a 8k",
                out);
}

namespace {

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(what);
}

// A libzip source producing `remaining` spaces on demand.
constexpr const char* kPresentationNs =
    "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" "
    "xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\"";

std::vector<Entry> pptx_parts(int slides, const std::string& presentation_xml) {
  std::string types =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
      "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
      "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
      "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
      "<Override PartName=\"/ppt/presentation.xml\" "
      "ContentType=\"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml\"/>";
  std::string rels =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">";
  std::vector<Entry> parts;
  for (int i = 1; i <= slides; ++i) {
    const std::string n = std::to_string(i);
    types += "<Override PartName=\"/ppt/slides/slide" + n +
             ".xml\" ContentType=\"application/vnd.openxmlformats-officedocument.presentationml.slide+xml\"/>";
    rels += "<Relationship Id=\"rId" + n +
            "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide\" Target=\"slides/slide" +
            n + ".xml\"/>";
    parts.push_back({"ppt/slides/slide" + n + ".xml",
                     std::string("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><p:sld ") +
                         kPresentationNs +
                         "><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/><p:cNvGrpSpPr/><p:nvPr/>"
                         "</p:nvGrpSpPr><p:grpSpPr/></p:spTree></p:cSld></p:sld>"});
  }
  types += "</Types>";
  rels += "</Relationships>";
  parts.insert(parts.begin(), {"[Content_Types].xml", types});
  parts.push_back({"_rels/.rels",
                   "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                   "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                   "<Relationship Id=\"rId1\" "
                   "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
                   "Target=\"ppt/presentation.xml\"/></Relationships>"});
  parts.push_back({"ppt/_rels/presentation.xml.rels", rels});
  if (!presentation_xml.empty()) parts.push_back({"ppt/presentation.xml", presentation_xml});
  return parts;
}

}  // namespace

void write_zip(const std::filesystem::path& out, const std::vector<Entry>& entries) {
  std::vector<documents::testing::ZipFile> files;
  for (const Entry& e : entries) files.push_back({e.name, e.data, 0, e.store});
  auto bytes = documents::testing::make_zip(files);
  write_bytes(out, std::string(bytes.begin(), bytes.end()));
}

void write_pptx(const std::filesystem::path& out, int slides) {
  std::string xml = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><p:presentation ") +
                    kPresentationNs + "><p:sldIdLst>";
  for (int i = 1; i <= slides; ++i)
    xml += "<p:sldId id=\"" + std::to_string(255 + i) + "\" r:id=\"rId" + std::to_string(i) + "\"/>";
  xml += "</p:sldIdLst><p:sldSz cx=\"9144000\" cy=\"6858000\"/><p:notesSz cx=\"6858000\" cy=\"9144000\"/>"
         "</p:presentation>";
  write_zip(out, pptx_parts(slides, xml));
}

void write_odp(const std::filesystem::path& out, int slides) {
  std::string content =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
      "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
      "xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\" office:version=\"1.3\">"
      "<office:body><office:presentation>";
  for (int i = 1; i <= slides; ++i)
    content += "<draw:page draw:name=\"page" + std::to_string(i) + "\" draw:master-page-name=\"Default\"/>";
  content += "</office:presentation></office:body></office:document-content>";
  write_zip(out, {{"mimetype", "application/vnd.oasis.opendocument.presentation", true},
                  {"content.xml", content},
                  {"META-INF/manifest.xml",
                   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                   "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" "
                   "manifest:version=\"1.3\"><manifest:file-entry manifest:full-path=\"/\" "
                   "manifest:media-type=\"application/vnd.oasis.opendocument.presentation\"/>"
                   "<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>"
                   "</manifest:manifest>"}});
}

void write_pdf(const std::filesystem::path& out, int pages) {
  std::string pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<std::size_t> offsets;
  auto object = [&](const std::string& body) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(offsets.size()) + " 0 obj\n" + body + "\nendobj\n";
  };
  object("<< /Type /Catalog /Pages 2 0 R >>");
  std::string kids;
  for (int i = 0; i < pages; ++i) kids += std::to_string(3 + i) + " 0 R ";
  object("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages) + " >>");
  for (int i = 0; i < pages; ++i) object("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>");
  const std::size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(offsets.size() + 1) + "\n0000000000 65535 f \n";
  for (std::size_t off : offsets) {
    char line[32];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", off);
    pdf += line;
  }
  pdf += "trailer\n<< /Size " + std::to_string(offsets.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  write_bytes(out, pdf);
}

void write_zip_bomb_pptx(const std::filesystem::path& out, std::uint64_t inflated_bytes) {
  std::vector<documents::testing::ZipFile> files;
  for (const Entry& e : pptx_parts(1, "")) files.push_back({e.name, e.data, 0, e.store});
  files.push_back({"ppt/presentation.xml", "", inflated_bytes, false});  // zeros, produced lazily
  auto bytes = documents::testing::make_zip(files);
  write_bytes(out, std::string(bytes.begin(), bytes.end()));
}

void pad_to(const std::filesystem::path& file, std::uintmax_t bytes) {
  const std::uintmax_t size = std::filesystem::file_size(file);
  check(size <= bytes, "pad_to: file already larger");
  std::ofstream f(file, std::ios::binary | std::ios::app);
  const std::string zeros(static_cast<std::size_t>(bytes - size), '\0');
  f.write(zeros.data(), static_cast<std::streamsize>(zeros.size()));
}

void write_bytes(const std::filesystem::path& out, const std::string& bytes) {
  std::ofstream f(out, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

const timeline::Agenda& irkutsk_agenda() {
  static const timeline::Agenda agenda = [] {
    auto loaded = timeline::load_agenda(std::filesystem::path(PRAKTIKA_SOURCE_DIR) / "agenda" / "irkutsk-2020.json");
    if (auto* error = std::get_if<timeline::AgendaError>(&loaded)) throw std::runtime_error(error->describe());
    return std::get<timeline::Agenda>(std::move(loaded));
  }();
  return agenda;
}

const timeline::FilePurpose& purpose(const std::string& id) {
  const timeline::FilePurpose* p = irkutsk_agenda().find_files(id);
  if (p == nullptr) throw std::runtime_error("no purpose " + id);
  return *p;
}

}  // namespace praktika::media::testing
