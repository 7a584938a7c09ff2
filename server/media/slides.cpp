#include <memory>
#include <mutex>

#include <poppler-document.h>
#include <poppler-global.h>
#include <pugixml.hpp>

#include "media/media.h"
#include "media/zip_reader.h"

namespace praktika::media {
namespace {

Status broken() {
  return Status::unprocessable("broken_presentation", "Презентация повреждена: не удаётся посчитать слайды");
}

// Prefixes are the producer's choice ("p:" is only PowerPoint's habit), so elements are matched by
// their local name.
std::string_view local_name(const pugi::xml_node& node) {
  std::string_view name = node.name();
  const auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node child_named(const pugi::xml_node& parent, std::string_view local) {
  for (pugi::xml_node child : parent.children())
    if (child.type() == pugi::node_element && local_name(child) == local) return child;
  return {};
}

int count_children_named(const pugi::xml_node& parent, std::string_view local) {
  int n = 0;
  for (pugi::xml_node child : parent.children())
    if (child.type() == pugi::node_element && local_name(child) == local) ++n;
  return n;
}

// pugixml never expands DTD entities (only the five predefined ones and character references),
// so a "billion laughs" document parses to its literal text.
bool parse(const std::string& xml, pugi::xml_document& doc) {
  return static_cast<bool>(doc.load_buffer(xml.data(), xml.size(), pugi::parse_default));
}

Result<int> pptx_slides(const std::filesystem::path& path) {
  auto zip = detail::ZipReader::open(path);
  if (!zip) return zip.status();
  auto xml = zip->read("ppt/presentation.xml");
  if (!xml) return xml.status().code() == "not_found" ? broken() : xml.status();
  pugi::xml_document doc;
  if (!parse(*xml, doc)) return broken();
  const pugi::xml_node root = doc.document_element();
  if (local_name(root) != "presentation") return broken();
  return count_children_named(child_named(root, "sldIdLst"), "sldId");
}

Result<int> odp_slides(const std::filesystem::path& path) {
  auto zip = detail::ZipReader::open(path);
  if (!zip) return zip.status();
  auto xml = zip->read("content.xml");
  if (!xml) return xml.status().code() == "not_found" ? broken() : xml.status();
  pugi::xml_document doc;
  if (!parse(*xml, doc)) return broken();
  const pugi::xml_node presentation =
      child_named(child_named(doc.document_element(), "body"), "presentation");
  if (!presentation) return broken();
  return count_children_named(presentation, "page");
}

void quiet_poppler() {
  static std::once_flag once;
  std::call_once(once, [] { poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr); });
}

Result<int> pdf_pages(const std::filesystem::path& path) {
  quiet_poppler();
  // poppler reads the file through a stream as needed; it does not load it whole.
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(path.string()));
  if (!doc) return broken();
  if (doc->is_locked()) return Status::unprocessable("pdf_locked", "PDF защищён паролем");
  const int pages = doc->pages();
  if (pages < 0) return broken();
  return pages;
}

}  // namespace

Result<int> count_slides(const std::filesystem::path& path) {
  auto type = sniff(path);
  if (!type) return type.status();
  switch (*type) {
    case FileType::pptx: return pptx_slides(path);
    case FileType::odp: return odp_slides(path);
    case FileType::pdf: return pdf_pages(path);
    default:
      return Status::unsupported("not_a_presentation", "Слайды можно посчитать только в PPTX, ODP и PDF");
  }
}

}  // namespace praktika::media
