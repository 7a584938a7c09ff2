#include "media/media.h"

#include <gtest/gtest.h>

#include "support/media_fixtures.h"

namespace praktika::media {
namespace {

using testing::TempDir;

TEST(CountSlides, CountsTheSlideListOfAPptx) {
  TempDir dir;
  testing::write_pptx(dir / "ten.pptx", 10);
  testing::write_pptx(dir / "eleven.pptx", 11);
  auto ten = count_slides(dir / "ten.pptx");
  auto eleven = count_slides(dir / "eleven.pptx");
  ASSERT_TRUE(ten.ok()) << ten.status().code();
  ASSERT_TRUE(eleven.ok());
  EXPECT_EQ(*ten, 10);
  EXPECT_EQ(*eleven, 11);
}

TEST(CountSlides, CountsTheDrawPagesOfAnOdp) {
  TempDir dir;
  testing::write_odp(dir / "three.odp", 3);
  auto n = count_slides(dir / "three.odp");
  ASSERT_TRUE(n.ok()) << n.status().code();
  EXPECT_EQ(*n, 3);
}

TEST(CountSlides, CountsThePagesOfAPdf) {
  TempDir dir;
  testing::write_pdf(dir / "eleven.pdf", 11);
  testing::write_pdf(dir / "one.pdf", 1);
  auto eleven = count_slides(dir / "eleven.pdf");
  auto one = count_slides(dir / "one.pdf");
  ASSERT_TRUE(eleven.ok()) << eleven.status().code();
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(*eleven, 11);
  EXPECT_EQ(*one, 1);
}

TEST(CountSlides, MatchesElementsByLocalNameWhateverThePrefix) {
  TempDir dir;
  testing::write_zip(dir / "x.pptx",
                     {{"[Content_Types].xml", "<Types/>"},
                      {"ppt/presentation.xml",
                       "<pres:presentation xmlns:pres=\"http://schemas.openxmlformats.org/presentationml/2006/main\">"
                       "<pres:sldIdLst><pres:sldId id=\"256\"/><pres:sldId id=\"257\"/></pres:sldIdLst>"
                       "</pres:presentation>"}});
  auto n = count_slides(dir / "x.pptx");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 2);
}

TEST(CountSlides, DoesNotExpandEntitiesOfADoctype) {
  TempDir dir;
  std::string xml = "<?xml version=\"1.0\"?><!DOCTYPE p:presentation [<!ENTITY a \"aaaaaaaaaa\">"
                    "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
                    "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>"
                    "<p:presentation xmlns:p=\"p\"><p:sldIdLst><p:sldId id=\"256\"/></p:sldIdLst><x>&d;&d;&d;</x>"
                    "</p:presentation>";
  testing::write_zip(dir / "laughs.pptx", {{"[Content_Types].xml", "<Types/>"}, {"ppt/presentation.xml", xml}});
  auto n = count_slides(dir / "laughs.pptx");
  ASSERT_TRUE(n.ok()) << n.status().code();
  EXPECT_EQ(*n, 1);
}

TEST(CountSlides, RefusesAZipBombWithoutInflatingIt) {
  TempDir dir;
  testing::write_zip_bomb_pptx(dir / "bomb.pptx", 256ull << 20);
  ASSERT_LT(std::filesystem::file_size(dir / "bomb.pptx"), 2u << 20);
  auto n = count_slides(dir / "bomb.pptx");
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.status().code(), "zip_bomb");
}

TEST(CountSlides, RefusesAnOversizedPartBeforeReadingIt) {
  // 40 MB of incompressible-enough text: no zip bomb, just larger than any real presentation.xml.
  TempDir dir;
  std::string big = "<p:presentation xmlns:p=\"p\"><p:sldIdLst>";
  while (big.size() < (40u << 20)) big += "<p:sldId id=\"" + std::to_string(big.size()) + "\"/>";
  big += "</p:sldIdLst></p:presentation>";
  testing::write_zip(dir / "big.pptx", {{"[Content_Types].xml", "<Types/>"}, {"ppt/presentation.xml", big}});
  auto n = count_slides(dir / "big.pptx");
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.status().code(), "zip_too_large");
}

TEST(CountSlides, ReportsBrokenPresentations) {
  TempDir dir;
  testing::write_zip(dir / "nopres.pptx", {{"[Content_Types].xml", "<Types/>"}, {"ppt/presentation.xml", "<p:pres"}});
  auto bad_xml = count_slides(dir / "nopres.pptx");
  ASSERT_FALSE(bad_xml.ok());
  EXPECT_EQ(bad_xml.status().code(), "broken_presentation");

  testing::write_bytes(dir / "cut.pdf", "%PDF-1.4\n1 0 obj\n<< /Type /Catalog");
  auto bad_pdf = count_slides(dir / "cut.pdf");
  ASSERT_FALSE(bad_pdf.ok());
  EXPECT_EQ(bad_pdf.status().code(), "broken_presentation");
}

TEST(CountSlides, RefusesFilesThatAreNotPresentations) {
  TempDir dir;
  ASSERT_TRUE(testing::ffmpeg("-f lavfi -i testsrc=size=64x48 -frames:v 1", dir / "slide.jpg"));
  auto n = count_slides(dir / "slide.jpg");
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.status().code(), "not_a_presentation");
}

}  // namespace
}  // namespace praktika::media
