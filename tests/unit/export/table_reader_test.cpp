#include "export/table_reader.h"

#include <gtest/gtest.h>
#include <zip.h>

#include <filesystem>

#include "export/export.h"

namespace praktika::exporting {
namespace {

// A ZIP made in memory from (name, content) parts.
std::string zip_of(const std::vector<std::pair<std::string, std::string>>& parts) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* out = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_source_keep(out);
  zip_t* archive = zip_open_from_source(out, ZIP_TRUNCATE, &error);
  for (const auto& [name, content] : parts) {
    zip_source_t* s = zip_source_buffer(archive, content.data(), content.size(), 0);
    zip_file_add(archive, name.c_str(), s, ZIP_FL_OVERWRITE);
  }
  zip_close(archive);
  zip_source_open(out);
  zip_source_seek(out, 0, SEEK_END);
  zip_int64_t size = zip_source_tell(out);
  zip_source_seek(out, 0, SEEK_SET);
  std::string bytes(static_cast<size_t>(size), '\0');
  zip_source_read(out, bytes.data(), static_cast<zip_uint64_t>(size));
  zip_source_close(out);
  zip_source_free(out);
  return bytes;
}

const std::string kSheetStart =
    R"(<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)";
const std::string kSheetEnd = "</sheetData></worksheet>";

TEST(ReadCsv, SemicolonsQuotesAndABomAsARussianExcelSavesThem) {
  auto rows = read_csv("\xEF\xBB\xBFУчреждение;ИНН\r\n\"ГБУ «Центр; помощи»\";7701000001\r\n\"Он сказал \"\"да\"\"\";\r\n");
  ASSERT_TRUE(rows) << rows.status().message();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0], (std::vector<std::string>{"Учреждение", "ИНН"}));
  EXPECT_EQ((*rows)[1], (std::vector<std::string>{"ГБУ «Центр; помощи»", "7701000001"}));
  EXPECT_EQ((*rows)[2][0], "Он сказал \"да\"");
}

TEST(ReadCsv, CommasWhenTheFirstLineHasMoreOfThem) {
  auto rows = read_csv("a,b,c\n1,2,3\n");
  ASSERT_TRUE(rows);
  EXPECT_EQ((*rows)[1], (std::vector<std::string>{"1", "2", "3"}));
}

TEST(ReadCsv, Windows1251IsReadAsCyrillic) {
  // «Центр;Ёлка» in Windows-1251.
  auto rows = read_csv("\xD6\xE5\xED\xF2\xF0;\xA8\xEB\xEA\xE0\n");
  ASSERT_TRUE(rows);
  EXPECT_EQ((*rows)[0], (std::vector<std::string>{"Центр", "Ёлка"}));
}

TEST(ReadCsv, EmptyLinesAreLeftOut) {
  auto rows = read_csv("a;b\n\n;\n c ; d \n");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[1], (std::vector<std::string>{"c", "d"}));
}

TEST(ReadCsv, AnUnclosedQuoteNamesItsLine) {
  auto rows = read_csv("a;b\n1;\"open\n2;3\n");
  ASSERT_FALSE(rows);
  EXPECT_EQ(rows.status().code(), "invalid_csv");
  EXPECT_NE(rows.status().message().find("Строка 2"), std::string::npos) << rows.status().message();
}

TEST(ReadCsv, AQuoteInsideAValueIsRefused) {
  auto rows = read_csv("a;b\nЦентр \"Надежда\";1\n");
  ASSERT_FALSE(rows);
  EXPECT_EQ(rows.status().code(), "invalid_csv");
}

TEST(ReadCsv, BinaryBytesAreRefused) {
  auto rows = read_csv(std::string("PK\x03\x04\0\0\x01", 7));
  ASSERT_FALSE(rows);
  EXPECT_EQ(rows.status().code(), "invalid_csv");
}

TEST(ReadCsv, TooManyRowsAreRefused) {
  std::string text;
  for (size_t i = 0; i <= kMaxTableRows; ++i) text += "x;1\n";
  auto rows = read_csv(text);
  ASSERT_FALSE(rows);
  EXPECT_EQ(rows.status().code(), "table_too_large");
  EXPECT_EQ(rows.status().http_status(), 413);
}

TEST(ReadXlsx, ATableWrittenByTheExportReadsBack) {
  Table table;
  table.title = "Итоги";
  table.columns = {"Учреждение", "ИНН", "Год"};
  table.rows.push_back({"ОГБУСО «Центр»", "3808000002", 2022});
  table.rows.push_back({"МБУ «Семья»", "", 2023});
  auto xlsx = to_xlsx(table, std::filesystem::temp_directory_path());
  ASSERT_TRUE(xlsx) << xlsx.status().message();
  auto rows = read_xlsx(*xlsx);
  ASSERT_TRUE(rows) << rows.status().message();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0], (std::vector<std::string>{"Учреждение", "ИНН", "Год"}));
  EXPECT_EQ((*rows)[1], (std::vector<std::string>{"ОГБУСО «Центр»", "3808000002", "2022"}));
  EXPECT_EQ((*rows)[2][0], "МБУ «Семья»");
  EXPECT_EQ((*rows)[2][2], "2023");
}

TEST(ReadXlsx, InlineStringsRichRunsGapsAndNumbersInExponentForm) {
  std::string sheet = kSheetStart +
                      R"(<row r="1"><c r="A1" t="inlineStr"><is><t>Центр</t></is></c><c r="C1"><v>7.701000001E9</v></c></row>)"
                      R"(<row r="2"><c r="B2" t="s"><v>0</v></c></row>)" +
                      kSheetEnd;
  std::string strings = R"(<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><r><t>Семья</t></r><r><t> и дети</t></r></si></sst>)";
  auto rows = read_xlsx(zip_of({{"xl/worksheets/sheet1.xml", sheet}, {"xl/sharedStrings.xml", strings}}));
  ASSERT_TRUE(rows) << rows.status().message();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0], (std::vector<std::string>{"Центр", "", "7701000001"}));
  EXPECT_EQ((*rows)[1], (std::vector<std::string>{"", "Семья и дети"}));
}

TEST(ReadXlsx, BytesThatAreNoZipAreNotXlsx) {
  auto rows = read_xlsx("Учреждение;ИНН\n");
  ASSERT_FALSE(rows);
  EXPECT_EQ(rows.status().code(), "not_xlsx");
  EXPECT_EQ(rows.status().http_status(), 422);
}

TEST(ReadXlsx, AZipWithoutASheetIsDamaged) {
  auto rows = read_xlsx(zip_of({{"hello.txt", "hello"}}));
  ASSERT_FALSE(rows);
  EXPECT_EQ(rows.status().code(), "damaged_xlsx");
}

TEST(ReadXlsx, ACutZipIsDamaged) {
  std::string zip = zip_of({{"xl/worksheets/sheet1.xml", kSheetStart + kSheetEnd}});
  auto rows = read_xlsx(zip.substr(0, zip.size() / 2));
  ASSERT_FALSE(rows);
  EXPECT_EQ(rows.status().code(), "damaged_xlsx");
}

TEST(ReadXlsx, ASheetThatInflatesPastItsCapIsRefusedAsTooLarge) {
  // 40 MB of one character: a few kilobytes compressed, more than a sheet may inflate to.
  std::string sheet = kSheetStart + std::string(40u << 20, ' ') + kSheetEnd;
  std::string zip = zip_of({{"xl/worksheets/sheet1.xml", sheet}});
  ASSERT_LT(zip.size(), 1u << 20);
  auto rows = read_xlsx(zip);
  ASSERT_FALSE(rows);
  EXPECT_EQ(rows.status().code(), "table_too_large");
}

TEST(ReadXlsx, ASharedStringIndexOutOfRangeIsDamaged) {
  std::string sheet = kSheetStart + R"(<row r="1"><c r="A1" t="s"><v>7</v></c></row>)" + kSheetEnd;
  auto rows = read_xlsx(zip_of({{"xl/worksheets/sheet1.xml", sheet}}));
  ASSERT_FALSE(rows);
  EXPECT_EQ(rows.status().code(), "damaged_xlsx");
}

TEST(ReadTable, DetectsXlsxByItsZipSignature) {
  auto csv = read_table("a;b\n", TableFormat::detect);
  ASSERT_TRUE(csv);
  auto xlsx = read_table("PK\x03\x04garbage", TableFormat::detect);
  ASSERT_FALSE(xlsx);
  EXPECT_EQ(xlsx.status().code(), "damaged_xlsx");
}

}  // namespace
}  // namespace praktika::exporting
