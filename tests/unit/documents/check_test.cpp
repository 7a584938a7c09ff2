#include "documents/check.h"

#include <sys/resource.h>

#include <filesystem>
#include <fstream>
#include <random>

#include <gtest/gtest.h>

#include "support/docx_builder.h"

namespace praktika::documents {
namespace {

using namespace testing;  // the builder; gtest's names are spelled out

const std::string kAgenda = std::string(PRAKTIKA_SOURCE_DIR) + "/agenda/irkutsk-2020.json";

// The rules come from the shipped agenda, as the server will use them.
const timeline::Agenda& agenda() {
  static const timeline::Agenda loaded = [] {
    auto r = timeline::load_agenda(kAgenda);
    if (auto* e = std::get_if<timeline::AgendaError>(&r)) throw std::runtime_error(e->describe());
    return std::get<timeline::Agenda>(std::move(r));
  }();
  return loaded;
}
const timeline::DocumentFormat& rules() { return *agenda().find_files("document")->formatting; }

CheckResult check_ok(const Bytes& bytes, const timeline::DocumentFormat& format = rules()) {
  auto r = check_document(bytes, format);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.status().code() + ": " + r.status().message());
  return r.ok() ? *r : CheckResult{};
}

std::vector<std::string> rules_of(const CheckResult& r) {
  std::vector<std::string> out;
  for (const auto& f : r.findings) out.push_back(f.rule);
  return out;
}

std::string dump(const CheckResult& r) { return r.to_json().dump(1); }

CheckResult with_body(std::size_t index, std::string xml) {
  Docx d = Docx::compliant();
  d.body[index] = std::move(xml);
  return check_ok(d.bytes());
}

CheckResult without_body(std::size_t index) {
  Docx d = Docx::compliant();
  d.body.erase(d.body.begin() + std::ptrdiff_t(index));
  return check_ok(d.bytes());
}

const std::string kText = "Социальное сопровождение семей строится на межведомственном взаимодействии.";

long max_rss_kb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

std::filesystem::path temp_dir() {
  auto dir = std::filesystem::temp_directory_path() /
             ("documents_test_" + std::to_string(::getpid()) + "_" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::create_directories(dir);
  return dir;
}

void write(const std::filesystem::path& file, const Bytes& bytes) {
  std::ofstream(file, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

// ---- the compliant document ----------------------------------------------------------------------

TEST(DocumentCheck, CompliantDocumentHasNoFindings) {
  auto r = check_ok(Docx::compliant().bytes());
  EXPECT_TRUE(r.ok) << dump(r);
  EXPECT_TRUE(r.findings.empty()) << dump(r);
  EXPECT_EQ(r.kind, "docx");
  EXPECT_EQ(r.paragraphs, 8u);
  EXPECT_EQ(r.tables, 1u);
  EXPECT_EQ(r.images, 1u);
}

TEST(DocumentCheck, JsonHasOkAndFindingsWithFourFields) {
  auto r = with_body(kBody, para(kText, "", R"(<w:rFonts w:ascii="Arial" w:hAnsi="Arial"/>)"));
  const auto j = r.to_json();
  EXPECT_EQ(j["ok"], false);
  ASSERT_EQ(j["findings"].size(), 1u);
  const auto& f = j["findings"][0];
  EXPECT_EQ(f.size(), 4u);
  EXPECT_EQ(f["rule"], "font");
  EXPECT_EQ(f["where"], "абзац 3 («Социальное сопровождение семей строится…»)");
  EXPECT_EQ(f["found"], "Arial");
  EXPECT_EQ(f["expected"], "Times New Roman");
}

// ---- one rule broken at a time -------------------------------------------------------------------

TEST(DocumentCheck, ArialBodyGivesFont) {
  auto r = with_body(kBody, para(kText, "", R"(<w:rFonts w:ascii="Arial" w:hAnsi="Arial"/>)"));
  EXPECT_EQ(rules_of(r), std::vector<std::string>{"font"}) << dump(r);
}

TEST(DocumentCheck, TwelvePointBodyGivesFontSize) {
  auto r = with_body(kBody, para(kText, "", R"(<w:sz w:val="24"/>)"));
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"font_size"}) << dump(r);
  EXPECT_EQ(r.findings[0].found, "12 пт");
  EXPECT_EQ(r.findings[0].expected, "14 пт");
}

TEST(DocumentCheck, SingleSpacedBodyGivesLineSpacing) {
  auto r = with_body(kBody, para(kText, R"(<w:spacing w:line="240" w:lineRule="auto"/>)"));
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"line_spacing"}) << dump(r);
  EXPECT_EQ(r.findings[0].found, "одинарный");
  EXPECT_EQ(r.findings[0].expected, "1,5");
}

TEST(DocumentCheck, ExactLineSpacingIsNotOneAndAHalf) {
  auto r = with_body(kBody, para(kText, R"(<w:spacing w:line="420" w:lineRule="exact"/>)"));
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"line_spacing"}) << dump(r);
  EXPECT_EQ(r.findings[0].found, "точно 21 пт");
}

TEST(DocumentCheck, LeftAlignedBodyGivesAlignment) {
  auto r = with_body(kBody, para(kText, R"(<w:jc w:val="left"/>)"));
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"alignment"}) << dump(r);
  EXPECT_EQ(r.findings[0].found, "по левому краю");
  EXPECT_EQ(r.findings[0].expected, "по ширине");
}

TEST(DocumentCheck, TwoCentimetreLeftMarginGivesMargins) {
  Docx d = Docx::compliant();
  d.sect = section(1134, 1134, 1134, 851);
  auto r = check_ok(d.bytes());
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"margins"}) << dump(r);
  EXPECT_EQ(r.findings[0].where, "поля страницы");
  EXPECT_EQ(r.findings[0].found, "левое 2 см");
  EXPECT_EQ(r.findings[0].expected, "левое 3 см");
}

TEST(DocumentCheck, EverySectionsMarginsAreChecked) {
  Docx d = Docx::compliant();
  // A section break inside the text: the first section has a 2.5 cm top margin.
  d.body[kAfterTable] = para(kText, section(1701, 1418, 1134, 851));
  auto r = check_ok(d.bytes());
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"margins"}) << dump(r);
  EXPECT_EQ(r.findings[0].where, "поля страницы, раздел 1");
  EXPECT_EQ(r.findings[0].found, "верхнее 2,5 см");
}

TEST(DocumentCheck, MissingFirstLineIndentGivesFirstLineIndent) {
  auto r = with_body(kBody, para(kText, R"(<w:ind w:firstLine="0"/>)"));
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"first_line_indent"}) << dump(r);
  EXPECT_EQ(r.findings[0].found, "нет отступа");
  EXPECT_EQ(r.findings[0].expected, "1,25 см");
}

TEST(DocumentCheck, IndentWithinToleranceIsAccepted) {
  auto r = with_body(kBody, para(kText, R"(<w:ind w:firstLine="720"/>)"));  // 1.27 cm, Word's "0.5 inch"
  EXPECT_TRUE(r.ok) << dump(r);
}

TEST(DocumentCheck, TableWithoutCaptionGivesCaption) {
  auto r = without_body(kTableCaption);
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"caption"}) << dump(r);
  EXPECT_EQ(r.findings[0].where, "таблица 1");
}

TEST(DocumentCheck, TableCaptionBelowTheTableIsAccepted) {
  Docx d = Docx::compliant();
  std::swap(d.body[kTableCaption], d.body[kTable]);
  auto r = check_ok(d.bytes());
  EXPECT_TRUE(r.ok) << dump(r);
}

TEST(DocumentCheck, FigureWithoutCaptionGivesCaption) {
  auto r = without_body(kFigureCaption);
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"caption"}) << dump(r);
  EXPECT_EQ(r.findings[0].where, "рисунок 1, абзац 6");
}

TEST(DocumentCheck, FigureCaptionAboveTheFigureIsNotAccepted) {
  Docx d = Docx::compliant();
  std::swap(d.body[kFigure], d.body[kFigureCaption]);
  auto r = check_ok(d.bytes());
  EXPECT_EQ(rules_of(r), std::vector<std::string>{"caption"}) << dump(r);
}

TEST(DocumentCheck, FourteenPointCaptionGivesCaption) {
  auto r = with_body(kTableCaption, styled("a3", "Таблица 1 – Охват семей по годам", "", R"(<w:sz w:val="28"/>)"));
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"caption"}) << dump(r);
  EXPECT_EQ(r.findings[0].found, "14 пт");
  EXPECT_EQ(r.findings[0].expected, "12 пт, интервал одинарный");
}

TEST(DocumentCheck, CaptionIsRecognisedByItsWordsWithoutTheStyle) {
  // «Таблица 1» in a Normal paragraph is still the table's caption, and so is held to 12 pt single.
  auto r = with_body(kTableCaption, para("Таблица 1 – Охват семей по годам"));
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"caption"}) << dump(r);
  EXPECT_EQ(r.findings[0].found, "14 пт; интервал 1,5");
}

TEST(DocumentCheck, FourteenPointTableTextGivesFontSizeWithRows) {
  Docx d = Docx::compliant();
  d.body[kTable] = table({{"Год", "Число семей"}, {"2019", "42"}, {"2020", "57"}}, R"(<w:sz w:val="28"/>)");
  auto r = check_ok(d.bytes());
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"font_size"}) << dump(r);
  EXPECT_EQ(r.findings[0].where, "таблица 1, строки 1, 2, 3");
  EXPECT_EQ(r.findings[0].expected, "12 пт (текст таблицы)");
}

TEST(DocumentCheck, LatinPageAbbreviationGivesReferences) {
  auto r = with_body(kCitations, para("Это показано в исследовании [25, p. 7] и подтверждено практикой."));
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"references"}) << dump(r);
  EXPECT_EQ(r.findings[0].found, "[25, p. 7]");
  EXPECT_EQ(r.findings[0].expected, "ссылка в форме [25, с. 7]");
}

TEST(DocumentCheck, CitationWithoutCommaGivesReferences) {
  auto r = with_body(kCitations, para("Это показано в исследовании [25 с.7], а также [3, c. 12–14]."));
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"references"}) << dump(r);
  EXPECT_EQ(r.findings[0].found, "[25 с.7]");
}

TEST(DocumentCheck, CitationSplitAcrossRunsIsReadWhole) {
  auto r = with_body(kCitations, R"(<w:p><w:r><w:t xml:space="preserve">Как сказано [25,</w:t></w:r><w:r><w:t xml:space="preserve"> </w:t></w:r><w:r><w:t>c. 7].</w:t></w:r></w:p>)");
  EXPECT_TRUE(r.ok) << dump(r);
}

TEST(DocumentCheck, DocumentWithoutReferencesIsFine) {
  auto r = with_body(kCitations, para(kText));
  EXPECT_TRUE(r.ok) << dump(r);
}

// Pictures inside the document are figures: the clause's JPEG 1–5 MB rule is for the photographs sent
// beside it. A chart or a photo Word compressed is no finding; its caption is.
TEST(DocumentCheck, PngChartInsideTheDocumentIsNoFinding) {
  Docx d = Docx::compliant();
  d.media = {{"image1.png", png(40'000)}};
  auto r = check_ok(d.bytes());
  EXPECT_TRUE(r.ok) << dump(r);
  EXPECT_EQ(r.images, 1u);
}

TEST(DocumentCheck, SmallJpegInsideTheDocumentIsNoFinding) {
  Docx d = Docx::compliant();
  d.media = {{"image1.jpeg", jpeg(20'000)}};
  auto r = check_ok(d.bytes());
  EXPECT_TRUE(r.ok) << dump(r);
}

TEST(DocumentCheck, HeadingNotBoldGivesBoldHeadings) {
  auto r = with_body(kHeading, styled("1", "1. Актуальность практики", "", R"(<w:b w:val="0"/>)"));
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"bold_headings"}) << dump(r);
  EXPECT_EQ(r.findings[0].where, "абзац 1 («1. Актуальность практики»)");
}

TEST(DocumentCheck, ShortBoldLineIsAHeading) {
  // Left-aligned, no indent, 16 pt: a heading made by hand, not a body paragraph.
  auto r = with_body(kBody, para("Цель практики", R"(<w:ind w:firstLine="0"/><w:jc w:val="left"/>)",
                                 R"(<w:b/><w:sz w:val="32"/>)"));
  EXPECT_TRUE(r.ok) << dump(r);
}

TEST(DocumentCheck, CentredTitleIsAHeading) {
  // The practice's name opening the document: centred, 16 pt, single-spaced, not bold.
  Docx d = Docx::compliant();
  d.body.insert(d.body.begin(), para("Социальное сопровождение семей группы риска",
                                     R"(<w:spacing w:line="240" w:lineRule="auto"/><w:ind w:firstLine="0"/><w:jc w:val="center"/>)",
                                     R"(<w:sz w:val="32"/>)"));
  auto r = check_ok(d.bytes());
  EXPECT_TRUE(r.ok) << dump(r);
}

TEST(DocumentCheck, CentredReferenceListTitleIsAHeading) {
  auto r = with_body(kLast, para("Список литературы", R"(<w:ind w:firstLine="0"/><w:jc w:val="center"/>)"));
  EXPECT_TRUE(r.ok) << dump(r);
}

TEST(DocumentCheck, LongCentredSentenceIsBodyText) {
  auto r = with_body(kBody, para(kText + " " + kText + " " + kText, R"(<w:jc w:val="center"/>)"));
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"alignment"}) << dump(r);
  EXPECT_EQ(r.findings[0].found, "по центру");
}

TEST(DocumentCheck, HeadingByOutlineLevelIsAHeading) {
  // No heading style, but an outline level: bold and centred, it is a heading and not body text.
  auto r = with_body(kHeading, para("Введение", R"(<w:outlineLvl w:val="0"/><w:ind w:firstLine="0"/><w:jc w:val="center"/>)",
                                    "<w:b/>"));
  EXPECT_TRUE(r.ok) << dump(r);
}

// ---- styles -----------------------------------------------------------------------------------------

TEST(DocumentCheck, PropertiesInheritedThroughBasedOnAreApplied) {
  Docx d = Docx::compliant();
  // Defaults say Arial 11 single left; "Body" gets TNR 14, 1.5, justified, 1.25 through "Base".
  d.styles = R"(<?xml version="1.0" encoding="UTF-8"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial"/><w:sz w:val="22"/></w:rPr></w:rPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Base"><w:name w:val="Base"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:line="360"/></w:pPr><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"/><w:sz w:val="28"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Body"><w:name w:val="Body"/><w:basedOn w:val="Base"/><w:pPr><w:ind w:firstLine="709"/><w:jc w:val="both"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Loop1"><w:name w:val="Loop1"/><w:basedOn w:val="Loop2"/></w:style>
<w:style w:type="paragraph" w:styleId="Loop2"><w:name w:val="Loop2"/><w:basedOn w:val="Loop1"/></w:style>
</w:styles>)";
  d.body = {styled("Body", kText), styled("Body", "Второй абзац тоже наследует оформление от стиля.")};
  d.media.clear();
  auto r = check_ok(d.bytes());
  EXPECT_TRUE(r.ok) << dump(r);

  // The same text in the default style shows what the defaults would have given.
  d.body = {para(kText), styled("Loop1", kText)};
  r = check_ok(d.bytes());
  EXPECT_EQ(rules_of(r), (std::vector<std::string>{"font", "font_size", "line_spacing", "alignment", "first_line_indent"}))
      << dump(r);
  for (const auto& f : r.findings) EXPECT_EQ(f.where, "абзацы 1–2") << dump(r);
}

TEST(DocumentCheck, ThemeFontIsResolvedThroughTheTheme) {
  Docx d = Docx::compliant();
  const std::string from = R"(<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"/>)";
  d.styles.replace(d.styles.find(from), from.size(), R"(<w:rFonts w:asciiTheme="minorHAnsi" w:hAnsiTheme="minorHAnsi"/>)");
  d.theme = R"(<?xml version="1.0" encoding="UTF-8"?><a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office"><a:themeElements><a:fontScheme name="Office"><a:majorFont><a:latin typeface="Calibri Light"/></a:majorFont><a:minorFont><a:latin typeface="Calibri"/></a:minorFont></a:fontScheme></a:themeElements></a:theme>)";
  auto r = check_ok(d.bytes());
  ASSERT_FALSE(r.findings.empty());
  for (const auto& f : r.findings) {
    EXPECT_EQ(f.rule, "font");
    EXPECT_EQ(f.found, "Calibri");
  }
  // An explicit font on the paragraph's run wins over the theme.
  d.body = {para(kText, "", R"(<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"/>)")};
  d.media.clear();
  EXPECT_TRUE(check_ok(d.bytes()).ok);
}

TEST(DocumentCheck, RulesAreTheAgendasData) {
  timeline::DocumentFormat arial = rules();
  arial.font = "Arial";
  Docx d = Docx::compliant();
  d.body = {para(kText, "", R"(<w:rFonts w:ascii="Arial" w:hAnsi="Arial"/>)")};
  d.media.clear();
  EXPECT_TRUE(check_ok(d.bytes(), arial).ok);
  EXPECT_EQ(rules_of(check_ok(d.bytes())), std::vector<std::string>{"font"});
}

// ---- what the bytes are -----------------------------------------------------------------------------

TEST(DocumentCheck, WordNinetySevenDocumentGivesFormat) {
  Bytes doc = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
  doc.resize(4096, 0);
  auto r = check_ok(doc);
  EXPECT_EQ(r.kind, "doc");
  EXPECT_FALSE(r.ok);
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"format"});
  EXPECT_NE(r.findings[0].expected.find(".docx"), std::string::npos);
}

TEST(DocumentCheck, ZipWithoutWordDocumentGivesArchive) {
  auto inner = Docx::compliant().bytes();
  auto zip = make_zip({{"практика.docx", std::string(inner.begin(), inner.end())}, {"readme.txt", "описание"}});
  auto r = check_ok(zip);
  EXPECT_EQ(r.kind, "other");
  EXPECT_EQ(rules_of(r), std::vector<std::string>{"archive"});
}

TEST(DocumentCheck, RandomBytesNamedDocxAreUnsupported) {
  std::mt19937 random(1);
  Bytes noise(10000);
  for (auto& b : noise) b = static_cast<unsigned char>(random());
  auto file = temp_dir() / "practice.docx";
  write(file, noise);
  auto r = check_document_file(file, rules());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().http_status(), 415);
  EXPECT_EQ(r.status().code(), "unsupported_document");
  std::filesystem::remove_all(file.parent_path());
}

TEST(DocumentCheck, JpegNamedDocxIsUnsupported) {
  const std::string photo = jpeg(5000);
  auto r = check_document(Bytes(photo.begin(), photo.end()), rules());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), "unsupported_document");
}

TEST(DocumentCheck, DocxNamedDocIsCheckedAsDocx) {
  auto file = temp_dir() / "practice.doc";
  write(file, Docx::compliant().bytes());
  auto r = check_document_file(file, rules());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->kind, "docx");
  EXPECT_TRUE(r->ok) << dump(*r);
  std::filesystem::remove_all(file.parent_path());
}

TEST(DocumentCheck, MissingFileIsNotFound) {
  auto r = check_document_file("/nonexistent/practice.docx", rules());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), "document_not_found");
}

TEST(DocumentCheck, EmptyInputIsUnsupported) {
  auto r = check_document(Bytes{}, rules());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), "unsupported_document");
}

TEST(DocumentCheck, TruncatedZipIsDamaged) {
  auto bytes = Docx::compliant().bytes();
  bytes.resize(bytes.size() / 2);
  auto r = check_document(bytes, rules());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), "damaged_document");
  EXPECT_EQ(r.status().http_status(), 422);
}

TEST(DocumentCheck, BrokenXmlIsDamaged) {
  Docx d = Docx::compliant();
  d.document_override = "<w:document><w:body><w:p>";
  auto r = check_document(d.bytes(), rules());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), "damaged_document");
}

// ---- hostile input ----------------------------------------------------------------------------------

TEST(DocumentCheck, ZipBombIsRefusedAsTooLarge) {
  // 200 MB of zeros as word/document.xml: about 200 KB compressed, refused by its declared size.
  auto bomb = make_zip({{"[Content_Types].xml", "<Types/>"}, {"word/document.xml", "", 200ull << 20}});
  ASSERT_LT(bomb.size(), 1u << 20);
  const long before = max_rss_kb();
  auto r = check_document(bomb, rules());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), "too_large");
  EXPECT_EQ(r.status().http_status(), 413);
  EXPECT_LT(max_rss_kb() - before, 100 * 1024);
}

// Sets the uncompressed size the archive declares for `name`, in its local and central headers.
void lie_about_size(Bytes& zip, const std::string& name, std::uint32_t size) {
  auto put = [&](std::size_t at) {
    for (int i = 0; i < 4; ++i) zip[at + std::size_t(i)] = static_cast<unsigned char>(size >> (8 * i));
  };
  for (std::size_t i = 0; i + 46 + name.size() <= zip.size(); ++i) {
    if (zip[i] != 'P' || zip[i + 1] != 'K') continue;
    if (zip[i + 2] == 3 && zip[i + 3] == 4 && std::equal(name.begin(), name.end(), zip.begin() + std::ptrdiff_t(i + 30))) {
      put(i + 22);
    }
    if (zip[i + 2] == 1 && zip[i + 3] == 2 && std::equal(name.begin(), name.end(), zip.begin() + std::ptrdiff_t(i + 46))) {
      put(i + 24);
    }
  }
}

TEST(DocumentCheck, ZipBombThatLiesAboutItsSizeIsStopped) {
  auto bomb = make_zip({{"word/document.xml", "", 200ull << 20}});
  lie_about_size(bomb, "word/document.xml", 1000);
  const long before = max_rss_kb();
  auto r = check_document(bomb, rules());
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().code() == "too_large" || r.status().code() == "damaged_document") << r.status().code();
  EXPECT_LT(max_rss_kb() - before, 100 * 1024);
}

TEST(DocumentCheck, BillionLaughsIsNotExpanded) {
  std::string dtd = "<!DOCTYPE w:document [<!ENTITY lol \"lol\">";
  for (int i = 1; i <= 9; ++i) {
    dtd += "<!ENTITY lol" + std::to_string(i) + " \"";
    for (int j = 0; j < 10; ++j) dtd += "&lol" + (i == 1 ? std::string() : std::to_string(i - 1)) + ";";
    dtd += "\">";
  }
  dtd += "]>";
  Docx d = Docx::compliant();
  d.body = {para("&lol9; смех", "", R"(<w:rFonts w:ascii="Arial" w:hAnsi="Arial"/>)")};
  d.media.clear();
  std::string xml = d.document_xml();
  xml.insert(xml.find("<w:document"), dtd);
  d.document_override = xml;
  const long before = max_rss_kb();
  auto r = check_ok(d.bytes());
  EXPECT_LT(max_rss_kb() - before, 50 * 1024);
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"font"}) << dump(r);
  // The reference is kept as literal text: nothing was expanded.
  EXPECT_EQ(r.findings[0].where, "абзац 1 («&lol9; смех»)");
}

TEST(DocumentCheck, DeeplyNestedXmlDoesNotCrash) {
  std::string xml = R"(<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>)";
  constexpr int kDepth = 200000;
  for (int i = 0; i < kDepth; ++i) xml += "<w:sdt><w:sdtContent>";
  xml += R"(<w:p><w:r><w:t>Глубоко</w:t></w:r></w:p>)";
  for (int i = 0; i < kDepth; ++i) xml += "</w:sdtContent></w:sdt>";
  xml += "</w:body></w:document>";
  Docx d = Docx::compliant();
  d.document_override = xml;
  auto r = check_document(d.bytes(), rules());
  ASSERT_TRUE(r.ok()) << r.status().code();
  EXPECT_EQ(r->paragraphs, 0u);  // too deep to be read as text: not a crash
}

TEST(DocumentCheck, FindingsPerRuleAreCapped) {
  Docx d = Docx::compliant();
  d.body.clear();
  for (int i = 0; i < 5000; ++i) d.body.push_back(para(kText, "", R"(<w:rFonts w:ascii="Arial" w:hAnsi="Arial"/>)"));
  d.media.clear();
  auto r = check_ok(d.bytes());
  EXPECT_EQ(r.paragraphs, 5000u);
  ASSERT_EQ(r.findings.size(), 1u) << dump(r);
  EXPECT_EQ(r.findings[0].rule, "font");
  EXPECT_EQ(r.findings[0].where, "абзацы 1–5000");
  EXPECT_EQ(r.findings[0].found, "Arial");
}

// ---- one finding per rule and per what was found -------------------------------------------------

std::string arial(const std::string& text = kText) {
  return para(text, "", R"(<w:rFonts w:ascii="Arial" w:hAnsi="Arial"/>)");
}

TEST(DocumentCheck, TwoWrongFontsGiveTwoFindings) {
  Docx d = Docx::compliant();
  d.body = {arial(), arial(), para(kText, "", R"(<w:rFonts w:ascii="Calibri" w:hAnsi="Calibri"/>)")};
  d.media.clear();
  auto r = check_ok(d.bytes());
  ASSERT_EQ(rules_of(r), (std::vector<std::string>{"font", "font"})) << dump(r);
  EXPECT_EQ(r.findings[0].found, "Arial");
  EXPECT_EQ(r.findings[0].where, "абзацы 1–2");
  EXPECT_EQ(r.findings[1].found, "Calibri");
  EXPECT_EQ(r.findings[1].where, "абзац 3 («Социальное сопровождение семей строится…»)");
}

TEST(DocumentCheck, ParagraphsInARowReadAsARange) {
  Docx d = Docx::compliant();
  d.body = {arial(), arial(), arial(), para(kText), arial(), para(kText), arial(), arial(), arial()};
  d.media.clear();
  auto r = check_ok(d.bytes());
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"font"}) << dump(r);
  EXPECT_EQ(r.findings[0].where, "абзацы 1–3, 5, 7–9");
}

TEST(DocumentCheck, TablesOfOneFindingAreJoinedBySemicolons) {
  Docx d = Docx::compliant();
  const std::string big = R"(<w:sz w:val="28"/>)";
  d.body = {styled("a3", "Таблица 1 – Охват семей по годам"), table({{"Год", "Число семей"}, {"2019", "42"}}, big),
            styled("a3", "Таблица 2 – Специалисты"), table({{"Психолог", "2"}}, big)};
  d.media.clear();
  auto r = check_ok(d.bytes());
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"font_size"}) << dump(r);
  EXPECT_EQ(r.findings[0].where, "таблица 1, строки 1, 2; таблица 2, строка 1");
}

TEST(DocumentCheck, OnlyAFewTablesAreNamedThenCounted) {
  Docx d = Docx::compliant();
  d.body.clear();
  for (int i = 1; i <= 5; ++i) {
    d.body.push_back(styled("a3", "Таблица " + std::to_string(i) + " – Охват семей"));
    d.body.push_back(table({{"2019", "42"}}, R"(<w:sz w:val="28"/>)"));
  }
  d.media.clear();
  auto r = check_ok(d.bytes());
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"font_size"}) << dump(r);
  EXPECT_EQ(r.findings[0].where, "таблица 1, строка 1; таблица 2, строка 1; таблица 3, строка 1 и ещё 2 места");
}

// Every other paragraph in Arial: `count` ranges of one paragraph each.
std::string where_for_scattered(int count) {
  Docx d = Docx::compliant();
  d.body.clear();
  for (int i = 0; i < count; ++i) {
    d.body.push_back(arial());
    d.body.push_back(para(kText));
  }
  d.media.clear();
  auto r = check_ok(d.bytes());
  EXPECT_EQ(rules_of(r), std::vector<std::string>{"font"}) << dump(r);
  return r.findings.empty() ? "" : r.findings[0].where;
}

TEST(DocumentCheck, PlacesBeyondTheListedAreCountedInRussian) {
  EXPECT_TRUE(where_for_scattered(21).starts_with("абзацы 1, 3, 5, "));
  EXPECT_TRUE(where_for_scattered(21).ends_with(", 37, 39 и ещё 1 место")) << where_for_scattered(21);
  EXPECT_TRUE(where_for_scattered(22).ends_with(" и ещё 2 места")) << where_for_scattered(22);
  EXPECT_TRUE(where_for_scattered(25).ends_with(" и ещё 5 мест")) << where_for_scattered(25);
}

TEST(DocumentCheck, DistinctFindingsPerRuleAreCapped) {
  Docx d = Docx::compliant();
  d.body.clear();
  const std::size_t fonts = kMaxFindingsPerRule + 5;
  for (std::size_t i = 0; i < fonts; ++i) {
    const std::string font = "Font" + std::to_string(i);
    d.body.push_back(para(kText, "", R"(<w:rFonts w:ascii=")" + font + R"(" w:hAnsi=")" + font + R"("/>)"));
  }
  d.media.clear();
  auto r = check_ok(d.bytes());
  ASSERT_EQ(r.findings.size(), kMaxFindingsPerRule + 1) << dump(r);
  for (const auto& f : r.findings) EXPECT_EQ(f.rule, "font");
  EXPECT_EQ(r.findings.back().where, "ещё 5 мест в документе");
  EXPECT_EQ(r.findings.back().expected, "Times New Roman");
}

TEST(DocumentCheck, ArbitraryBytesNeverCrash) {
  // A small taste of the fuzzing to come: corrupt a real .docx byte by byte.
  const Bytes good = [] {
    Docx d = Docx::compliant();
    d.media = {{"image1.jpeg", jpeg(2000)}};
    return d.bytes();
  }();
  std::mt19937 random(42);
  for (int round = 0; round < 300; ++round) {
    Bytes bytes = good;
    for (int k = 0; k < 8; ++k) bytes[random() % bytes.size()] = static_cast<unsigned char>(random());
    auto r = check_document(bytes, rules());
    if (!r.ok()) {
      EXPECT_NE(r.status().http_status(), 500) << r.status().code();
    }
  }
}

}  // namespace
}  // namespace praktika::documents
