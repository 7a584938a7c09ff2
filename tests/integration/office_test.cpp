// LibreOffice on the server: a Word 97–2003 .doc is converted to .docx and checked by clause 6.5,
// and an admitted practice's document is previewed in the gallery as page images. The .doc and
// the .docx are made here: the .docx by the test's builder, the .doc from it by soffice.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "support/bytes.h"
#include "support/client.h"
#include "support/docx_builder.h"
#include "support/process.h"
#include "support/scenario.h"
#include "support/server_process.h"

namespace praktika::test {
namespace {

using nlohmann::json;
namespace docx = praktika::documents::testing;
namespace fs = std::filesystem;

const std::string kDuringGallery = "2020-07-06T12:00:00+08:00";

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write(const fs::path& p, const docx::Bytes& bytes) {
  std::ofstream out(p, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

// The .docx re-saved by LibreOffice as a Word 97–2003 .doc; empty when soffice failed.
std::string make_doc(const fs::path& dir, const docx::Docx& source) {
  write(dir / "source.docx", source.bytes());
  auto child = Process::spawn({.argv = {"soffice", "-env:UserInstallation=file://" + (dir / "profile").string(),
                                        "--headless", "--norestore", "--convert-to", "doc", "--outdir", dir.string(),
                                        (dir / "source.docx").string()},
                               .stdout_to = Output::null(),
                               .stderr_to = Output::null()});
  if (!child) return {};
  auto status = (*child)->wait(std::chrono::seconds(120));
  if (!status || status->code != 0) return {};
  return read(dir / "source.doc");
}

std::vector<std::string> rules(const json& verdict) {
  std::vector<std::string> out;
  for (const auto& f : verdict["findings"]) out.push_back(f["rule"]);
  return out;
}

class Office : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(std::system("command -v soffice >/dev/null"), 0)
        << "LibreOffice (soffice) is a test dependency: scripts/deps.sh --test installs it";
    ASSERT_TRUE(create_organiser(data_.path()));
  }
  void start(const std::string& clock) {
    server_.reset();
    auto started = ServerProcess::start({.data_dir = data_.path(), .clock = clock});
    ASSERT_TRUE(started) << started.status().message();
    server_ = std::move(*started);
    if (people_) people_->reconnect(server_->port());
    else people_ = std::make_unique<People>(server_->port());
  }

  TempDir data_, work_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<People> people_;
};

TEST_F(Office, AnOldWordFileIsConvertedToDocxAndCheckedByClause65) {
  auto arial = docx::Docx::compliant();
  arial.body[docx::kBody] = docx::para("Основной текст набран другим шрифтом.", "",
                                       "<w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\" w:cs=\"Arial\"/>");
  std::string doc = make_doc(work_.path(), arial);
  ASSERT_FALSE(doc.empty()) << "soffice could not make the .doc";
  ASSERT_EQ(doc.rfind("\xD0\xCF\x11\xE0", 0), 0u) << "not an OLE2 file";

  start(kDuringIntake);
  HttpClient anonymous(server_->port());
  auto r = anonymous.request("POST", kEventApi + "/check/document?name=old.doc", doc,
                             {{"Content-Type", "application/octet-stream"}});
  ASSERT_EQ(r.status, 200) << r.body;
  json verdict = r.json();
  EXPECT_EQ(verdict["converted_from"], "doc") << r.body;
  EXPECT_EQ(verdict["kind"], "docx") << r.body;
  auto found = rules(verdict);
  // Checked as a .docx: the wrong font is found; no request to re-save it.
  EXPECT_NE(std::find(found.begin(), found.end(), "font"), found.end()) << r.body;
  EXPECT_EQ(std::find(found.begin(), found.end(), "format"), found.end()) << r.body;
  // The scratch folders of the conversion are gone.
  for (const auto& entry : fs::recursive_directory_iterator(data_.path()))
    EXPECT_EQ(entry.path().filename().string().rfind("doc-convert-", 0), std::string::npos) << entry.path();
}

TEST_F(Office, AnAdmittedPracticesDocumentIsPreviewedAsPageImages) {
  // Enough text for several pages.
  auto long_text = docx::Docx::compliant();
  std::string sentence;
  for (int i = 0; i < 12; ++i) sentence += "Семья и школа вместе помогают ребёнку пройти трудный период. ";
  for (int i = 0; i < 40; ++i) long_text.body.insert(long_text.body.begin() + docx::kLast, docx::para(sentence));
  docx::Bytes bytes = long_text.bytes();
  std::string document(bytes.begin(), bytes.end());

  start(kDuringIntake);
  std::string upload;
  int id = submit_practice(*people_, {.author_email = "anna@dom.ru", .name = "Школа и семья", .document = document},
                           &upload);
  ASSERT_NE(id, 0);
  people_->person("stranger@dom.ru");

  start(kDuringReview);
  auto decided = people_->organiser().request("PUT", kEventApi + "/review/practices/" + std::to_string(id) + "/outcome",
                                              json{{"outcome", "gallery"}, {"reason", "Решение экспертов"}}.dump());
  ASSERT_EQ(decided.status, 200) << decided.body;

  start(kDuringGallery);
  people_->grant("boris@dom.ru", "expert", 1);  // a participant of the event, not the author
  auto& boris = people_->person("boris@dom.ru");
  auto page = boris.get(kEventApi + "/gallery/practices/" + std::to_string(id));
  ASSERT_EQ(page.status, 200) << page.body;
  std::string preview_url;
  json shown = page.json();
  for (const auto& f : shown["files"])
    if (f["purpose"] == "document") preview_url = f.value("preview", "");
  ASSERT_EQ(preview_url, kEventApi + "/gallery/practices/" + std::to_string(id) + "/files/" + upload + "/pages");

  auto preview = boris.get(preview_url);
  ASSERT_EQ(preview.status, 200) << preview.body;
  json pages = preview.json();
  int n = pages["pages"].get<int>();
  EXPECT_GE(n, 3) << preview.body;
  ASSERT_EQ(pages["urls"].size(), static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    auto png = boris.get(pages["urls"][i].get<std::string>());
    ASSERT_EQ(png.status, 200) << png.body;
    EXPECT_EQ(png.headers["content-type"], "image/png");
    ASSERT_GT(png.body.size(), 24u);
    EXPECT_EQ(png.body.substr(0, 8), "\x89PNG\r\n\x1a\n");
    // IHDR: the width the agenda's gallery part asks for (default 1000 px).
    unsigned width = (static_cast<unsigned char>(png.body[16]) << 24) | (static_cast<unsigned char>(png.body[17]) << 16) |
                 (static_cast<unsigned char>(png.body[18]) << 8) | static_cast<unsigned char>(png.body[19]);
    // poppler rounds the page's pixel size from the resolution: within a pixel or two.
    EXPECT_NEAR(static_cast<double>(width), pages["width"].get<double>(), 2.0);
  }
  EXPECT_EQ(boris.get(preview_url + "/" + std::to_string(n + 1)).error_code(), "page_not_found");
  // Made once, then read from beside the stored file.
  EXPECT_TRUE(fs::exists(data_.path() / "files" / (upload + ".preview") / "pages"));
  EXPECT_EQ(boris.get(preview_url).json()["pages"], n);

  // The same readers as the file itself.
  HttpClient anonymous(server_->port());
  EXPECT_EQ(anonymous.get(preview_url).status, 401);
  EXPECT_EQ(people_->person("stranger@dom.ru").get(preview_url).status, 403);
  EXPECT_EQ(people_->person("stranger@dom.ru").get(pages["urls"][0].get<std::string>()).status, 403);
  // Only a document of this practice.
  EXPECT_EQ(boris.get(kEventApi + "/gallery/practices/" + std::to_string(id) + "/files/nope/pages").error_code(),
            "file_not_found");
}

}  // namespace
}  // namespace praktika::test
