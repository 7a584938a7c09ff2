#include "pdf/pdf.h"

#include <gtest/gtest.h>
#include <poppler-document.h>
#include <poppler-page.h>

#include <filesystem>

namespace praktika::pdf {
namespace {

std::unique_ptr<poppler::document> read(const std::string& bytes) {
  std::vector<char> data(bytes.begin(), bytes.end());
  return std::unique_ptr<poppler::document>(poppler::document::load_from_data(&data));
}

std::string page_text(poppler::document& doc, int index) {
  std::unique_ptr<poppler::page> page(doc.create_page(index));
  auto bytes = page->text().to_utf8();
  return std::string(bytes.begin(), bytes.end());
}

std::string without_spaces(std::string s) {
  std::erase_if(s, [](char c) { return c == ' ' || c == '\n' || c == '\r'; });
  return s;
}

TEST(Typesetter, CyrillicTextReadsBackFromTheDocument) {
  std::string bytes;
  auto doc = Typesetter::to_memory(&bytes, {});
  ASSERT_TRUE(doc.ok());
  Style title;
  title.size_pt = 16;
  title.bold = true;
  title.align = Align::centre;
  (*doc)->paragraph("Сертификат участника", title);
  (*doc)->paragraph("Ёлкина Анна Петровна, «Центр помощи детям»", {});
  ASSERT_TRUE((*doc)->finish().is_ok());
  ASSERT_EQ(bytes.rfind("%PDF-", 0), 0u);
  auto pdf = read(bytes);
  ASSERT_TRUE(pdf);
  EXPECT_EQ(pdf->pages(), 1);
  std::string text = page_text(*pdf, 0);
  EXPECT_NE(text.find("Сертификат участника"), std::string::npos) << text;
  EXPECT_NE(text.find("Ёлкина Анна Петровна"), std::string::npos) << text;
}

TEST(Typesetter, ALongParagraphContinuesOnTheNextPagesAndPagesAreNumbered) {
  std::string bytes;
  auto doc = Typesetter::to_memory(&bytes, {});
  ASSERT_TRUE(doc.ok());
  std::string text;
  for (int i = 0; i < 400; ++i) text += "Слово" + std::to_string(i) + " ";
  Style body;
  body.align = Align::justify;
  body.first_line_indent_mm = 12.5;
  (*doc)->paragraph(text, body);
  (*doc)->paragraph("Последняя строка", body);
  int pages = (*doc)->page();
  ASSERT_TRUE((*doc)->finish().is_ok());
  auto pdf = read(bytes);
  ASSERT_TRUE(pdf);
  EXPECT_GE(pdf->pages(), 2);
  EXPECT_EQ(pdf->pages(), pages);
  std::string all;
  for (int i = 0; i < pdf->pages(); ++i) {
    // Each page ends with its number in the bottom margin.
    std::string page = without_spaces(page_text(*pdf, i));
    std::erase(page, '\f');
    std::string number = std::to_string(i + 1);
    ASSERT_TRUE(page.ends_with(number)) << "page " << i + 1 << " ends " << page.substr(page.size() - 20);
    all += page.substr(0, page.size() - number.size()) + " ";
  }
  // Every word once, in order, across the page breaks: no line lost or printed twice.
  std::string compact = without_spaces(all);
  size_t at = 0;
  for (int i = 0; i < 400; ++i) {
    auto found = compact.find("Слово" + std::to_string(i) + "Слово", at);
    if (i == 399) found = compact.find("Слово399", at);
    ASSERT_NE(found, std::string::npos) << "word " << i << " in " << compact.substr(at > 40 ? at - 40 : 0, 200);
    at = found + 1;
  }
  EXPECT_NE(compact.find("Последняястрока"), std::string::npos);
}

TEST(Typesetter, RowsAndAQrCodeMakeAValidFileWrittenOnlyWhenFinished) {
  auto dir = std::filesystem::temp_directory_path() / ("praktika-pdf-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto file = dir / "contract.pdf";
  {
    auto doc = Typesetter::to_file(file, {});
    ASSERT_TRUE(doc.ok());
    (*doc)->rows({{"Получатель", "ОГАУ «Учебно-методический центр»"}, {"ИНН", "3808000000"}}, {});
    EXPECT_TRUE((*doc)->qr_code("https://praktika.example/verify/AB12-CD34", 30, Align::right).is_ok());
    EXPECT_FALSE((*doc)->qr_code(std::string(4000, 'x'), 30, Align::left).is_ok());
    EXPECT_FALSE(std::filesystem::exists(file));
    ASSERT_TRUE((*doc)->finish().is_ok());
  }
  ASSERT_TRUE(std::filesystem::exists(file));
  std::unique_ptr<poppler::document> pdf(poppler::document::load_from_file(file.string()));
  ASSERT_TRUE(pdf);
  std::string text = page_text(*pdf, 0);
  EXPECT_NE(text.find("3808000000"), std::string::npos) << text;
  EXPECT_NE(text.find("Учебно-методический"), std::string::npos) << text;
  std::filesystem::remove_all(dir);
}

TEST(Typesetter, AnAbandonedDocumentLeavesNoFile) {
  auto dir = std::filesystem::temp_directory_path() / ("praktika-pdf-x-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    auto doc = Typesetter::to_file(dir / "never.pdf", {});
    ASSERT_TRUE(doc.ok());
    (*doc)->paragraph("Черновик", {});
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace praktika::pdf
