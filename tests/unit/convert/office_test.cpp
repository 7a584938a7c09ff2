#include "convert/office.h"

#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "convert/pdf_pages.h"
#include "support/server_process.h"

namespace praktika::convert {
namespace {

namespace fs = std::filesystem;

fs::path write_text(const fs::path& dir, const std::string& name, const std::string& text) {
  std::ofstream(dir / name) << text;
  return dir / name;
}

TEST(Office, ConvertsATextToPdfWhosePagesRenderToPng) {
  ASSERT_TRUE(office_available()) << "LibreOffice (soffice) is a test dependency: scripts/deps.sh --test";
  test::TempDir dir;
  auto input = write_text(dir.path(), "заметка.txt", "Семья и школа вместе.\n");
  auto pdf = convert_office(input, "pdf", dir.path() / "out");
  ASSERT_TRUE(pdf) << pdf.status().message();
  EXPECT_EQ(pdf->filename().string(), "заметка.pdf");
  auto pages = render_pdf_pages(*pdf, dir.path() / "pages", 400, 10, nullptr);
  ASSERT_TRUE(pages) << pages.status().message();
  EXPECT_EQ(*pages, 1);
  EXPECT_GT(fs::file_size(dir.path() / "pages" / "1.png"), 100u);
  // The private profile is gone with the conversion.
  for (const auto& entry : fs::directory_iterator(dir.path() / "out"))
    EXPECT_EQ(entry.path().filename().string().rfind("soffice-profile-", 0), std::string::npos) << entry.path();
}

TEST(Office, TwoConversionsAtOnceDoNotShareAProfile) {
  ASSERT_TRUE(office_available());
  test::TempDir dir;
  auto a = write_text(dir.path(), "a.txt", "Первый документ.\n");
  auto b = write_text(dir.path(), "b.txt", "Второй документ.\n");
  Result<fs::path> ra = Status::internal("x", "x"), rb = Status::internal("x", "x");
  std::thread first([&] { ra = convert_office(a, "docx", dir.path() / "out"); });
  std::thread second([&] { rb = convert_office(b, "docx", dir.path() / "out"); });
  first.join();
  second.join();
  ASSERT_TRUE(ra) << ra.status().message();
  ASSERT_TRUE(rb) << rb.status().message();
  EXPECT_TRUE(fs::exists(dir.path() / "out" / "a.docx"));
  EXPECT_TRUE(fs::exists(dir.path() / "out" / "b.docx"));
}

TEST(Office, AConversionPastItsDeadlineIsKilledAndLeavesNothing) {
  ASSERT_TRUE(office_available());
  test::TempDir dir;
  auto input = write_text(dir.path(), "slow.txt", "Текст.\n");
  OfficeOptions options;
  options.timeout = std::chrono::milliseconds(1);
  auto r = convert_office(input, "pdf", dir.path() / "out", options);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), "conversion_timeout");
  EXPECT_FALSE(fs::exists(dir.path() / "out" / "slow.pdf"));
}

TEST(Office, WithoutLibreOfficeTheAnswerSaysSo) {
  test::TempDir dir;
  OfficeOptions options;
  options.soffice = "no-such-office-here";
  EXPECT_FALSE(office_available(options));
  auto r = convert_office(write_text(dir.path(), "x.txt", "x"), "pdf", dir.path(), options);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), "converter_missing");
}

}  // namespace
}  // namespace praktika::convert
