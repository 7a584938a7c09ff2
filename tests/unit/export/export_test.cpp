#include "export/export.h"

#include <gtest/gtest.h>
#include <pugixml.hpp>
#include <unistd.h>
#include <zip.h>

#include <filesystem>
#include <map>

namespace praktika::exporting {
namespace {

// The XLSX read back as a spreadsheet program would: a zip of XML parts.
std::string part(const std::string& xlsx, const char* name) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* src = zip_source_buffer_create(xlsx.data(), xlsx.size(), 0, &error);
  if (!src) return {};
  zip_t* archive = zip_open_from_source(src, ZIP_RDONLY, &error);
  if (!archive) {
    zip_source_free(src);
    return {};
  }
  std::string out;
  zip_stat_t st;
  if (zip_stat(archive, name, 0, &st) == 0) {
    if (zip_file_t* f = zip_fopen(archive, name, 0)) {
      out.resize(st.size);
      if (zip_fread(f, out.data(), st.size) != static_cast<zip_int64_t>(st.size)) out.clear();
      zip_fclose(f);
    }
  }
  zip_close(archive);
  return out;
}

struct SheetCell {
  std::string type;  // "s" (shared string), "inlineStr", "n" (number: no t attribute)
  std::string value;
};

// Cells by reference ("A1", "B2"), shared strings resolved.
std::map<std::string, SheetCell> cells(const std::string& xlsx) {
  std::vector<std::string> shared;
  pugi::xml_document sst;
  std::string sst_xml = part(xlsx, "xl/sharedStrings.xml");
  if (!sst_xml.empty() && sst.load_buffer(sst_xml.data(), sst_xml.size()))
    for (auto si : sst.child("sst").children("si")) shared.push_back(si.child("t").text().get());
  std::map<std::string, SheetCell> out;
  pugi::xml_document sheet;
  std::string sheet_xml = part(xlsx, "xl/worksheets/sheet1.xml");
  if (!sheet.load_buffer(sheet_xml.data(), sheet_xml.size())) return out;
  for (auto row : sheet.child("worksheet").child("sheetData").children("row"))
    for (auto c : row.children("c")) {
      std::string t = c.attribute("t").value();
      SheetCell cell{t.empty() ? "n" : t, c.child("v").text().get()};
      if (t == "s") cell.value = shared.at(std::stoul(cell.value));
      if (t == "inlineStr") cell.value = c.child("is").child("t").text().get();
      out[c.attribute("r").value()] = cell;
    }
  return out;
}

Table sample() {
  return Table{"Практики: секция 1/2",
               {"№", "Название практики", "Сумма"},
               {{std::int64_t{1}, "«Семья — дому» для детей", 2000},
                {std::int64_t{2}, "=HYPERLINK(\"x\")", 4000.5},
                {std::int64_t{3}, std::string("строка\x01 с управляющим символом"), Cell()}}};
}

TEST(Csv, StartsWithABomAndQuotesEveryCellWithSemicolons) {
  std::string csv = to_csv(sample());
  ASSERT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_EQ(csv.substr(3, csv.find("\r\n") - 3), "\"№\";\"Название практики\";\"Сумма\"");
  EXPECT_NE(csv.find("\"1\";\"«Семья — дому» для детей\";\"2000\"\r\n"), std::string::npos);
}

TEST(Csv, DefusesFormulasButNotNegativeNumbers) {
  Table t{"t", {"a", "b"}, {{"-1+2", -5}, {"a \"quoted\" word", "@cmd"}}};
  std::string csv = to_csv(t);
  EXPECT_NE(csv.find("\"'-1+2\";\"-5\""), std::string::npos) << csv;
  EXPECT_NE(csv.find("\"a \"\"quoted\"\" word\";\"'@cmd\""), std::string::npos) << csv;
  EXPECT_NE(to_csv(sample()).find("\"'=HYPERLINK(\"\"x\"\")\""), std::string::npos);
}

TEST(Csv, LeavesPhoneNumbersWithoutTheApostrophe) {
  Table t{"t", {"a", "b", "c"}, {{"+7 (3952) 20-30-40", "+7(3952)=1+2", "-1-2-3-4-5"}}};
  std::string csv = to_csv(t);
  EXPECT_NE(csv.find("\"+7 (3952) 20-30-40\";\"'+7(3952)=1+2\";\"'-1-2-3-4-5\""), std::string::npos) << csv;
}

TEST(Csv, DefusesAPlusWithTooFewDigitsForAPhone) {
  EXPECT_FALSE(looks_like_phone("+1+2"));
  EXPECT_FALSE(looks_like_phone("+7 (3952) 20-30-40 доб."));
  EXPECT_TRUE(looks_like_phone("8 (3952) 20-30-40"));
}

TEST(Export, WritesAnInstantAsDayMonthYearAndTime) {
  EXPECT_EQ(date_time_text("2026-12-04T10:04:00+08:00"), "04.12.2026 10:04");
  EXPECT_EQ(date_time_text("2026-12-04T10:04:59.123Z"), "04.12.2026 10:04");
  EXPECT_EQ(date_time_text(""), "");
  EXPECT_EQ(date_time_text("вчера"), "вчера");
}

TEST(Xlsx, WritesAPhoneNumberAsTextWithoutAnApostrophe) {
  Table t{"t", {"Телефон"}, {{"+7 (3952) 20-30-40"}}};
  auto xlsx = to_xlsx(t, std::filesystem::temp_directory_path());
  ASSERT_TRUE(xlsx.ok()) << xlsx.status().message();
  auto c = cells(*xlsx);
  EXPECT_EQ(c["A2"].value, "+7 (3952) 20-30-40");
  EXPECT_NE(c["A2"].type, "n");
}

TEST(Xlsx, ReadsBackWithCyrillicTextAndTypedNumbers) {
  auto xlsx = to_xlsx(sample(), std::filesystem::temp_directory_path());
  ASSERT_TRUE(xlsx.ok()) << xlsx.status().message();
  ASSERT_EQ(xlsx->substr(0, 2), "PK");
  auto c = cells(*xlsx);
  EXPECT_EQ(c["A1"].value, "№");
  EXPECT_EQ(c["B1"].value, "Название практики");
  EXPECT_EQ(c["B2"].value, "«Семья — дому» для детей");
  EXPECT_EQ(c["A2"].type, "n");
  EXPECT_EQ(c["C2"].type, "n");
  EXPECT_EQ(c["C2"].value, "2000");
  EXPECT_EQ(c["C3"].value, "4000.5");
  // Written as text, never as a formula.
  EXPECT_NE(c["B3"].type, "n");
  EXPECT_EQ(c["B3"].value, "=HYPERLINK(\"x\")");
  // A control character would make the XML unreadable: dropped.
  EXPECT_EQ(c["B4"].value, "строка с управляющим символом");
  EXPECT_EQ(c.count("C4"), 0u);
  // The sheet's name keeps its Cyrillic and loses the characters Excel forbids.
  EXPECT_NE(part(*xlsx, "xl/workbook.xml").find("name=\"Практики_ секция 1_2\""), std::string::npos);
}

TEST(Xlsx, LeavesNoTemporaryFileBehind) {
  auto dir = std::filesystem::temp_directory_path() / ("export-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  ASSERT_TRUE(to_xlsx(sample(), dir).ok());
  EXPECT_TRUE(std::filesystem::is_empty(dir));
  std::filesystem::remove_all(dir);
}

TEST(Xlsx, AnUnwritableFolderIsAnErrorValue) {
  auto r = to_xlsx(sample(), "/nonexistent/folder");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), "export_failed");
}

TEST(Format, ReadsTheQueryParameter) {
  EXPECT_EQ(*format_from_query(std::nullopt), Format::json);
  EXPECT_EQ(*format_from_query(std::string("csv")), Format::csv);
  EXPECT_EQ(*format_from_query(std::string("xlsx")), Format::xlsx);
  EXPECT_EQ(format_from_query(std::string("pdf")).status().code(), "invalid_format");
}

TEST(Download, NamesTheFileAndItsType) {
  auto r = download(sample(), Format::xlsx, "practices-irkutsk-2020");
  ASSERT_TRUE(r.ok());
  bool named = false;
  for (auto& [k, v] : r->headers)
    if (k == "Content-Disposition") named = v == "attachment; filename=\"practices-irkutsk-2020.xlsx\"; filename*=UTF-8''practices-irkutsk-2020.xlsx";
  EXPECT_TRUE(named);
}

}  // namespace
}  // namespace praktika::exporting
