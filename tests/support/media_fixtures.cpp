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

void write_real_pptx(const std::filesystem::path& out, const std::vector<std::string>& titles) {
  const std::string head = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>";
  const std::string rels_ns = "http://schemas.openxmlformats.org/package/2006/relationships";
  const std::string rel_type = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
  const std::string ct = "application/vnd.openxmlformats-officedocument.presentationml.";
  auto rels = [&](const std::vector<std::pair<std::string, std::string>>& targets) {  // {type, target}
    std::string x = head + "<Relationships xmlns=\"" + rels_ns + "\">";
    for (size_t i = 0; i < targets.size(); ++i)
      x += "<Relationship Id=\"rId" + std::to_string(i + 1) + "\" Type=\"" + rel_type + targets[i].first +
           "\" Target=\"" + targets[i].second + "\"/>";
    return x + "</Relationships>";
  };
  auto escape = [](const std::string& text) {
    std::string x;
    for (char c : text) {
      if (c == '<') x += "&lt;";
      else if (c == '>') x += "&gt;";
      else if (c == '&') x += "&amp;";
      else x += c;
    }
    return x;
  };
  const std::string empty_tree =
      "<p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>";
  const int n = static_cast<int>(titles.size());

  std::string types = head +
                      "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                      "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                      "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                      "<Override PartName=\"/ppt/presentation.xml\" ContentType=\"" + ct + "presentation.main+xml\"/>"
                      "<Override PartName=\"/ppt/slideMasters/slideMaster1.xml\" ContentType=\"" + ct + "slideMaster+xml\"/>"
                      "<Override PartName=\"/ppt/slideLayouts/slideLayout1.xml\" ContentType=\"" + ct + "slideLayout+xml\"/>"
                      "<Override PartName=\"/ppt/theme/theme1.xml\" "
                      "ContentType=\"application/vnd.openxmlformats-officedocument.theme+xml\"/>";
  std::vector<Entry> parts;
  std::vector<std::pair<std::string, std::string>> presentation_rels = {{"slideMaster", "slideMasters/slideMaster1.xml"}};
  std::string slide_ids;
  for (int i = 1; i <= n; ++i) {
    const std::string k = std::to_string(i);
    types += "<Override PartName=\"/ppt/slides/slide" + k + ".xml\" ContentType=\"" + ct + "slide+xml\"/>";
    presentation_rels.push_back({"slide", "slides/slide" + k + ".xml"});
    slide_ids += "<p:sldId id=\"" + std::to_string(255 + i) + "\" r:id=\"rId" + std::to_string(i + 1) + "\"/>";
    parts.push_back({"ppt/slides/slide" + k + ".xml",
                     head + "<p:sld " + kPresentationNs + "><p:cSld><p:spTree>" + empty_tree +
                         "<p:sp><p:nvSpPr><p:cNvPr id=\"2\" name=\"Title " + k +
                         "\"/><p:cNvSpPr txBox=\"1\"/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm><a:off x=\"457200\" "
                         "y=\"2286000\"/><a:ext cx=\"8229600\" cy=\"2286000\"/></a:xfrm><a:prstGeom prst=\"rect\">"
                         "<a:avLst/></a:prstGeom></p:spPr><p:txBody><a:bodyPr wrap=\"square\"/><a:lstStyle/><a:p>"
                         "<a:r><a:rPr lang=\"ru-RU\" sz=\"4400\" b=\"1\"/><a:t>" +
                         escape(titles[i - 1]) +
                         "</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/>"
                         "</p:clrMapOvr></p:sld>"});
    parts.push_back({"ppt/slides/_rels/slide" + k + ".xml.rels", rels({{"slideLayout", "../slideLayouts/slideLayout1.xml"}})});
  }
  types += "</Types>";
  presentation_rels.push_back({"theme", "theme/theme1.xml"});

  std::string colours;
  const std::pair<const char*, const char*> scheme[] = {
      {"dk2", "1F497D"},     {"lt2", "EEECE1"},     {"accent1", "4F81BD"}, {"accent2", "C0504D"},
      {"accent3", "9BBB59"}, {"accent4", "8064A2"}, {"accent5", "4BACC6"}, {"accent6", "F79646"},
      {"hlink", "0000FF"},   {"folHlink", "800080"}};
  for (const auto& [name, rgb] : scheme)
    colours += std::string("<a:") + name + "><a:srgbClr val=\"" + rgb + "\"/></a:" + name + ">";
  auto three = [](const std::string& one) { return one + one + one; };
  const std::string fill = "<a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill>";
  const std::string font = "<a:latin typeface=\"Liberation Sans\"/><a:ea typeface=\"\"/><a:cs typeface=\"\"/>";
  std::string theme = head +
                      "<a:theme xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" name=\"Praktika\">"
                      "<a:themeElements><a:clrScheme name=\"Praktika\"><a:dk1><a:srgbClr val=\"000000\"/></a:dk1>"
                      "<a:lt1><a:srgbClr val=\"FFFFFF\"/></a:lt1>" +
                      colours + "</a:clrScheme><a:fontScheme name=\"Praktika\"><a:majorFont>" + font +
                      "</a:majorFont><a:minorFont>" + font + "</a:minorFont></a:fontScheme><a:fmtScheme name=\"Praktika\">"
                      "<a:fillStyleLst>" + three(fill) + "</a:fillStyleLst><a:lnStyleLst>" +
                      three("<a:ln w=\"9525\">" + fill + "</a:ln>") + "</a:lnStyleLst><a:effectStyleLst>" +
                      three("<a:effectStyle><a:effectLst/></a:effectStyle>") + "</a:effectStyleLst><a:bgFillStyleLst>" +
                      three(fill) + "</a:bgFillStyleLst></a:fmtScheme></a:themeElements></a:theme>";

  parts.insert(parts.begin(), {"[Content_Types].xml", types});
  parts.push_back({"_rels/.rels", rels({{"officeDocument", "ppt/presentation.xml"}})});
  parts.push_back({"ppt/presentation.xml",
                   head + "<p:presentation " + kPresentationNs +
                       "><p:sldMasterIdLst><p:sldMasterId id=\"2147483648\" r:id=\"rId1\"/></p:sldMasterIdLst>"
                       "<p:sldIdLst>" + slide_ids +
                       "</p:sldIdLst><p:sldSz cx=\"9144000\" cy=\"6858000\" type=\"screen4x3\"/>"
                       "<p:notesSz cx=\"6858000\" cy=\"9144000\"/></p:presentation>"});
  parts.push_back({"ppt/_rels/presentation.xml.rels", rels(presentation_rels)});
  parts.push_back({"ppt/slideMasters/slideMaster1.xml",
                   head + "<p:sldMaster " + kPresentationNs +
                       "><p:cSld><p:bg><p:bgRef idx=\"1001\"><a:schemeClr val=\"bg1\"/></p:bgRef></p:bg><p:spTree>" +
                       empty_tree +
                       "</p:spTree></p:cSld><p:clrMap bg1=\"lt1\" tx1=\"dk1\" bg2=\"lt2\" tx2=\"dk2\" accent1=\"accent1\" "
                       "accent2=\"accent2\" accent3=\"accent3\" accent4=\"accent4\" accent5=\"accent5\" "
                       "accent6=\"accent6\" hlink=\"hlink\" folHlink=\"folHlink\"/><p:sldLayoutIdLst>"
                       "<p:sldLayoutId id=\"2147483649\" r:id=\"rId1\"/></p:sldLayoutIdLst></p:sldMaster>"});
  parts.push_back({"ppt/slideMasters/_rels/slideMaster1.xml.rels",
                   rels({{"slideLayout", "../slideLayouts/slideLayout1.xml"}, {"theme", "../theme/theme1.xml"}})});
  parts.push_back({"ppt/slideLayouts/slideLayout1.xml",
                   head + "<p:sldLayout " + kPresentationNs +
                       " type=\"blank\" preserve=\"1\"><p:cSld name=\"Blank\"><p:spTree>" + empty_tree +
                       "</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>"});
  parts.push_back({"ppt/slideLayouts/_rels/slideLayout1.xml.rels", rels({{"slideMaster", "../slideMasters/slideMaster1.xml"}})});
  parts.push_back({"ppt/theme/theme1.xml", theme});
  write_zip(out, parts);
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
