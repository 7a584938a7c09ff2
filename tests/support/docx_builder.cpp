#include "support/docx_builder.h"

#include <cstring>
#include <random>
#include <stdexcept>

#include <zip.h>

namespace praktika::documents::testing {
namespace {

constexpr const char* kW = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

struct Zeros {
  std::uint64_t size = 0;
  std::uint64_t pos = 0;
};

zip_int64_t zeros_source(void* user, void* data, zip_uint64_t len, zip_source_cmd_t cmd) {
  auto* z = static_cast<Zeros*>(user);
  switch (cmd) {
    case ZIP_SOURCE_OPEN:
      z->pos = 0;
      return 0;
    case ZIP_SOURCE_READ: {
      const zip_uint64_t n = std::min<zip_uint64_t>(len, z->size - z->pos);
      std::memset(data, 0, n);
      z->pos += n;
      return zip_int64_t(n);
    }
    case ZIP_SOURCE_CLOSE:
      return 0;
    case ZIP_SOURCE_STAT: {
      auto* st = static_cast<zip_stat_t*>(data);
      zip_stat_init(st);
      st->size = z->size;
      st->valid |= ZIP_STAT_SIZE;
      return sizeof(zip_stat_t);
    }
    case ZIP_SOURCE_ERROR: {
      auto* e = static_cast<int*>(data);
      e[0] = e[1] = 0;
      return 2 * sizeof(int);
    }
    case ZIP_SOURCE_FREE:
      delete z;
      return 0;
    case ZIP_SOURCE_SUPPORTS:
      return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
                                            ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
    default:
      return -1;
  }
}

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else out += c;  // '&' left alone so a test can write an entity reference on purpose
  }
  return out;
}

}  // namespace

const char* const kStyles = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:docDefaults>
 <w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="ru-RU"/></w:rPr></w:rPrDefault>
 <w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="360" w:lineRule="auto"/></w:pPr></w:pPrDefault>
</w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:firstLine="709"/><w:jc w:val="both"/></w:pPr></w:style>
<w:style w:type="character" w:default="1" w:styleId="a0"><w:name w:val="Default Paragraph Font"/></w:style>
<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/><w:next w:val="a"/><w:pPr><w:keepNext/><w:ind w:firstLine="0"/><w:jc w:val="center"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:bCs/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="a3"><w:name w:val="caption"/><w:basedOn w:val="a"/><w:pPr><w:spacing w:line="240" w:lineRule="auto"/><w:ind w:firstLine="0"/><w:jc w:val="center"/></w:pPr><w:rPr><w:sz w:val="24"/></w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="TableText"><w:name w:val="Table Text"/><w:basedOn w:val="a"/><w:pPr><w:spacing w:line="240" w:lineRule="auto"/><w:ind w:firstLine="0"/><w:jc w:val="left"/></w:pPr><w:rPr><w:sz w:val="24"/></w:rPr></w:style>
<w:style w:type="table" w:default="1" w:styleId="a1"><w:name w:val="Normal Table"/></w:style>
</w:styles>)";

Bytes make_zip(const std::vector<ZipFile>& files) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* out = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_t* archive = zip_open_from_source(out, ZIP_TRUNCATE, &error);
  if (archive == nullptr) throw std::runtime_error("zip_open_from_source");
  zip_source_keep(out);
  for (const auto& f : files) {
    zip_source_t* source = f.zeros > 0 ? zip_source_function(archive, zeros_source, new Zeros{f.zeros, 0})
                                       : zip_source_buffer(archive, f.data.data(), f.data.size(), 0);
    const zip_int64_t index = zip_file_add(archive, f.name.c_str(), source, ZIP_FL_ENC_UTF_8);
    if (index < 0) throw std::runtime_error("zip_file_add " + f.name);
    if (f.store) zip_set_file_compression(archive, zip_uint64_t(index), ZIP_CM_STORE, 0);
  }
  if (zip_close(archive) != 0) throw std::runtime_error("zip_close");
  Bytes bytes;
  zip_source_open(out);
  zip_source_seek(out, 0, SEEK_END);
  bytes.resize(std::size_t(zip_source_tell(out)));
  zip_source_seek(out, 0, SEEK_SET);
  zip_source_read(out, bytes.data(), bytes.size());
  zip_source_close(out);
  zip_source_free(out);
  zip_error_fini(&error);
  return bytes;
}

std::string para(const std::string& text, const std::string& ppr, const std::string& rpr) {
  std::string xml = "<w:p>";
  if (!ppr.empty()) xml += "<w:pPr>" + ppr + "</w:pPr>";
  xml += "<w:r>";
  if (!rpr.empty()) xml += "<w:rPr>" + rpr + "</w:rPr>";
  return xml + "<w:t xml:space=\"preserve\">" + escape(text) + "</w:t></w:r></w:p>";
}

std::string styled(const std::string& style, const std::string& text, const std::string& ppr, const std::string& rpr) {
  return para(text, "<w:pStyle w:val=\"" + style + "\"/>" + ppr, rpr);
}

std::string table(const std::vector<std::vector<std::string>>& rows, const std::string& cell_rpr) {
  std::string xml = "<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>";
  for (const auto& row : rows) {
    xml += "<w:tr>";
    for (const auto& cell : row) xml += "<w:tc>" + styled("TableText", cell, "", cell_rpr) + "</w:tc>";
    xml += "</w:tr>";
  }
  return xml + "</w:tbl>";
}

std::string figure(const std::string& relationship_id) {
  return R"(<w:p><w:pPr><w:ind w:firstLine="0"/><w:jc w:val="center"/></w:pPr><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="3600000" cy="2400000"/><wp:docPr id="1" name="Рисунок 1"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="1" name="photo.jpeg"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed=")" +
         relationship_id +
         R"("/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="3600000" cy="2400000"/></a:xfrm><a:prstGeom prst="rect"/></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>)";
}

std::string section(int left, int top, int bottom, int right) {
  return "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"" + std::to_string(top) + "\" w:right=\"" +
         std::to_string(right) + "\" w:bottom=\"" + std::to_string(bottom) + "\" w:left=\"" + std::to_string(left) +
         "\" w:header=\"708\" w:footer=\"708\" w:gutter=\"0\"/></w:sectPr>";
}

static std::string noise(std::size_t size, std::string head) {
  std::mt19937 random(7);
  head.reserve(size);
  while (head.size() < size) head += char(random() & 0xFF);
  head.resize(size);
  return head;
}

std::string jpeg(std::size_t size) { return noise(size, std::string("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00", 11)); }
std::string png(std::size_t size) { return noise(size, std::string("\x89PNG\r\n\x1A\n", 8)); }

Docx Docx::compliant() {
  Docx d;
  d.styles = kStyles;
  d.body = {
      styled("1", "1. Актуальность практики"),
      para("Практика опирается на исследования последних лет [25, c. 7] и на методические рекомендации "
           "[12, с.\xC2\xA0" "3–4], принятые в регионе."),
      para("Социальное сопровождение семей, находящихся в трудной жизненной ситуации, строится на "
           "межведомственном взаимодействии и индивидуальном плане работы с каждой семьёй."),
      styled("a3", "Таблица 1 – Охват семей по годам"),
      table({{"Год", "Число семей"}, {"2019", "42"}, {"2020", "57"}}),
      para("Как видно из таблицы 1, число семей, получивших помощь, растёт."),
      figure("rId2"),
      styled("a3", "Рисунок 1 – Занятие в клубе молодой семьи"),
      para("Итоги работы обсуждаются на ежегодном семинаре специалистов учреждения."),
  };
  d.sect = section(1701, 1134, 1134, 851);
  d.media = {{"image1.jpeg", jpeg(1'200'000)}};
  return d;
}

std::string Docx::document_xml() const {
  if (!document_override.empty()) return document_override;
  std::string xml = std::string(R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)") + "\n<w:document xmlns:w=\"" +
                    kW +
                    R"(" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><w:body>)";
  for (const auto& b : body) xml += b;
  return xml + sect + "</w:body></w:document>";
}

Bytes Docx::bytes() const {
  std::string types = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="jpeg" ContentType="image/jpeg"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/></Types>)";
  std::string root_rels = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>)";
  std::string rels = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)";
  if (!styles.empty()) {
    rels += R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>)";
  }
  if (!theme.empty()) {
    rels += R"(<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme" Target="theme/theme1.xml"/>)";
  }
  for (std::size_t i = 0; i < media.size(); ++i) {
    rels += "<Relationship Id=\"rId" + std::to_string(i + 2) +
            R"(" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/)" +
            media[i].first + "\"/>";
  }
  rels += "</Relationships>";

  std::vector<ZipFile> files = {{"[Content_Types].xml", types}, {"_rels/.rels", root_rels},
                                {"word/document.xml", document_xml()}, {"word/_rels/document.xml.rels", rels}};
  if (!styles.empty()) files.push_back({"word/styles.xml", styles});
  if (!theme.empty()) files.push_back({"word/theme/theme1.xml", theme});
  for (const auto& [name, data] : media) files.push_back({"word/media/" + name, data, 0, true});
  return make_zip(files);
}

}  // namespace praktika::documents::testing
