// Hostile input against the real binary: path traversal in every route that serves a file or takes a
// name from the path, file names with control characters, bidi overrides and absurd lengths, JSON
// too large or too deep, Office files that are zip bombs or play XML entity tricks, markup in text
// fields, pages without a Content-Security-Policy, a session cookie sent from another site's page.
// (A WebSocket message over the limit is in websocket_test, login throttling in accounts_test.)
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>

#include "support/bytes.h"
#include "support/docx_builder.h"
#include "support/media_fixtures.h"
#include "support/scenario.h"
#include "support/server_process.h"

namespace praktika::test {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;
namespace docx = praktika::documents::testing;
namespace files = praktika::media::testing;

std::string text(const docx::Bytes& bytes) { return {bytes.begin(), bytes.end()}; }

bool has_control(const std::string& s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

class Hostile : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string output;
    ASSERT_TRUE(create_organiser(data_.path(), &output)) << output;
    auto started = ServerProcess::start({.data_dir = data_.path(), .clock = kDuringIntake});
    ASSERT_TRUE(started) << started.status().message();
    server_ = std::move(*started);
  }
  int port() const { return server_->port(); }
  std::unique_ptr<HttpClient> person(const std::string& email) {
    auto http = std::make_unique<HttpClient>(port());
    auto r = http->post("/api/auth/register", {{"email", email}, {"password", kPassword}, {"full_name", email}});
    EXPECT_EQ(r.status, 201) << r.body;
    return http;
  }
  // A complete upload of `bytes` for `purpose`, named `name` in its metadata; its id.
  std::string upload(HttpClient& http, const std::string& purpose, const std::string& name, const std::string& bytes) {
    auto created = http.request("POST", kEventApi + "/uploads?purpose=" + purpose, "",
                                {{"Tus-Resumable", "1.0.0"},
                                 {"Upload-Length", std::to_string(bytes.size())},
                                 {"Upload-Metadata", "filename " + base64(name)}});
    EXPECT_EQ(created.status, 201) << created.body;
    if (created.status != 201) return "";
    auto done = http.request("PATCH", created.headers["location"], bytes,
                             {{"Tus-Resumable", "1.0.0"},
                              {"Content-Type", "application/offset+octet-stream"},
                              {"Upload-Offset", "0"}});
    EXPECT_EQ(done.status, 204) << done.body;
    return created.json()["id"].get<std::string>();
  }
  bool alive() { return HttpClient(port()).get("/api/health").status == 200; }

  TempDir data_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(Hostile, NoRouteServesAFileOutsideItsFolder) {
  auto anna = person("anna@dom.ru");
  std::string own = upload(*anna, "payment", "scan.jpg", docx::jpeg(4000));
  ASSERT_FALSE(own.empty());
  // Plain, percent-encoded, double-encoded, backslashed and NUL-terminated climbs out of every
  // folder a route reads from: the web root, the stored files, section materials, flashmob media.
  const std::vector<std::string> climbs = {
      "..", "%2e%2e", "..%2f..%2fpraktika.sqlite3", "..%2F..%2F..%2F..%2Fetc%2Fpasswd", "%252e%252e%252fetc%252fpasswd",
      "..%5c..%5cetc%5cpasswd", "....//....//etc//passwd", own + "%00.jpg", own + "%2f..%2f..%2fpraktika.sqlite3"};
  std::vector<std::string> targets = {"/../../../../etc/passwd", "/assets/../../../../etc/passwd",
                                      "/index.html%00.js", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd"};
  for (const auto& c : climbs) {
    targets.push_back("/" + c);
    targets.push_back("/assets/" + c);
    targets.push_back("/api/uploads/" + c + "/file");
    targets.push_back("/api/uploads/" + c);
    targets.push_back(kEventApi + "/sections/1/materials/" + c);
    targets.push_back(kEventApi + "/flashmob/items/" + c + "/media");
    targets.push_back("/api/events/" + c + "/timeline");
    targets.push_back("/events/" + c + "/flashmob/widget");
  }
  const std::string passwd = [] {
    std::ifstream in("/etc/passwd");
    std::string first;
    std::getline(in, first);
    return first;
  }();
  People people(port());
  HttpClient& organiser = people.organiser();
  for (const auto& target : targets) {
    for (HttpClient* who : {anna.get(), &organiser}) {
      auto r = who->get(target);
      EXPECT_NE(r.status, 0) << target;
      if (r.status == 200) {
        // Only the single page itself may come back for a client-side route.
        EXPECT_NE(r.headers["content-type"].find("text/html"), std::string::npos) << target;
      }
      EXPECT_EQ(r.body.find("SQLite format"), std::string::npos) << target;
      EXPECT_TRUE(passwd.empty() || r.body.find(passwd) == std::string::npos) << target;
    }
  }
  // The file itself is still there for its owner.
  EXPECT_EQ(anna->get("/api/uploads/" + own + "/file").status, 200);
  EXPECT_TRUE(alive());
}

TEST_F(Hostile, FileNamesWithControlCharactersAndBidiOverridesAreStoredAndShownSafely) {
  auto anna = person("anna@dom.ru");
  // An ANSI escape, CR LF trying to inject a header, a right-to-left override hiding ".exe", NUL.
  const std::string evil = std::string("scan\x1b[31m\r\nSet-Cookie: praktika_session=stolen\r\n") +
                           "\xE2\x80\xAEgpj.exe" + std::string(1, '\0') + "\"<img src=x onerror=alert(1)>.jpg";
  std::string id = upload(*anna, "payment", evil, docx::jpeg(4000));
  ASSERT_FALSE(id.empty());
  auto info = anna->get("/api/uploads/" + id);
  ASSERT_EQ(info.status, 200);
  EXPECT_NE(info.headers["content-type"].find("application/json"), std::string::npos);
  EXPECT_FALSE(has_control(info.body)) << "raw control bytes in JSON";
  auto name = info.json()["file_name"];
  ASSERT_TRUE(name.is_string());
  // Control characters and the bidi override are dropped from the name; the rest is kept as text.
  EXPECT_FALSE(has_control(name.get<std::string>()));
  EXPECT_EQ(name.get<std::string>().find("\xE2\x80\xAE"), std::string::npos) << "a bidi override in the name";
  EXPECT_NE(name.get<std::string>().find("gpj.exe"), std::string::npos);
  auto file = anna->get("/api/uploads/" + id + "/file");
  ASSERT_EQ(file.status, 200);
  EXPECT_EQ(file.headers.count("set-cookie"), 0u) << "a header was injected through the name";
  const std::string disposition = file.headers["content-disposition"];
  EXPECT_FALSE(has_control(disposition));
  // The only quotes are the two around the ASCII fallback; none comes from the name.
  EXPECT_EQ(std::count(disposition.begin(), disposition.end(), '"'), 2) << disposition;
  EXPECT_EQ(disposition.find('<'), std::string::npos);
  EXPECT_EQ(disposition.find("%E2%80%AE"), std::string::npos) << disposition;
  EXPECT_NE(disposition.find("filename*=UTF-8''"), std::string::npos) << disposition;

  auto create = [&](const std::string& metadata) {
    return anna->request("POST", kEventApi + "/uploads?purpose=payment", "",
                         {{"Tus-Resumable", "1.0.0"}, {"Upload-Length", "4000"}, {"Upload-Metadata", metadata}});
  };
  // A name too long for the metadata header, or not UTF-8 at all, is refused before anything is stored.
  auto too_long = create("filename " + base64(std::string(5000, 'a') + ".jpg"));
  EXPECT_EQ(too_long.status, 400);
  EXPECT_EQ(too_long.error_code(), "upload_metadata");
  auto not_text = create("filename " + base64("\xff\xfe\xc0\xaf.jpg"));
  EXPECT_EQ(not_text.status, 400) << not_text.body;
  EXPECT_EQ(not_text.error_code(), "upload_metadata");
  // A long name (1,400 bytes of Cyrillic) is cut to 255 bytes without splitting a character.
  std::string long_name;
  for (int i = 0; i < 700; ++i) long_name += "ф";
  long_name += ".jpg";
  auto long_one = create("filename " + base64(long_name));
  ASSERT_EQ(long_one.status, 201) << long_one.body;
  auto kept = anna->get(long_one.headers["location"]);
  ASSERT_EQ(kept.status, 200) << kept.body;
  std::string kept_name = kept.json()["file_name"];
  EXPECT_LE(kept_name.size(), 255u);
  EXPECT_EQ(long_name.rfind(kept_name, 0), 0u) << "a prefix of the name";
  EXPECT_EQ(kept_name.size() % 2, 0u) << "no half of a two-byte letter";
  EXPECT_TRUE(alive());
}

TEST_F(Hostile, OversizedAndDeeplyNestedJsonIsRefusedAndTheServerGoesOn) {
  auto anna = person("anna@dom.ru");
  const std::string url = kEventApi + "/registration";
  auto huge = anna->request("PUT", url, "{\"answers\":{\"author\":\"" + std::string(8 << 20, 'a') + "\"}}");
  EXPECT_EQ(huge.status, 413) << huge.body.substr(0, 200);
  for (std::size_t depth : {33u, 1000u, 200000u}) {
    std::string deep = "{\"answers\":" + std::string(depth, '[') + std::string(depth, ']') + "}";
    auto r = anna->request("PUT", url, deep);
    EXPECT_EQ(r.status, 400) << depth;
    EXPECT_EQ(r.error_code(), "invalid_json") << depth;
  }
  auto objects = std::string();
  for (int i = 0; i < 100000; ++i) objects += "{\"a\":";
  objects += "1" + std::string(100000, '}');
  EXPECT_EQ(anna->request("PUT", url, objects).error_code(), "invalid_json");
  // Broken UTF-8 and escapes for lone surrogates are text the server either refuses or stores safely.
  auto odd = anna->request("PUT", url, std::string("{\"answers\":{\"author\":\"\xff\xfe\\ud800\"}}"));
  EXPECT_NE(odd.status, 0);
  EXPECT_NE(odd.status, 500) << odd.body;

  // Over the WebSocket: deep nesting is an error reply, not a crash; the connection stays.
  auto ws = WsClient::connect(port());
  ASSERT_TRUE(ws);
  ws->send_raw(std::string(10000, '[') + std::string(10000, ']'));  // under the message limit
  auto after = ws->call({{"op", "ping"}});
  EXPECT_EQ(after["ok"], true) << after.dump();
  EXPECT_TRUE(alive());
}

TEST_F(Hostile, ZipBombsAndEntityTricksInOfficeFilesAreRefusedQuickly) {
  HttpClient http(port());
  const std::string document = kEventApi + "/check/document?name=practice.docx";
  auto started = std::chrono::steady_clock::now();
  // 1 GiB of zeros in a few megabytes; and the same with sizes that lie in the central directory.
  auto bomb = docx::make_zip({{"[Content_Types].xml", "<Types/>"}, {"word/document.xml", "", 1ull << 30}});
  auto r = http.request("POST", document, text(bomb), {{"Content-Type", "application/octet-stream"}});
  EXPECT_EQ(r.status, 413) << r.body;
  // Billion laughs, and an external entity that names a local file.
  std::string laughs = "<?xml version=\"1.0\"?><!DOCTYPE w:document [<!ENTITY l0 \"lol\">";
  for (int i = 1; i <= 9; ++i) {
    laughs += "<!ENTITY l" + std::to_string(i) + " \"";
    for (int j = 0; j < 10; ++j) laughs += "&l" + std::to_string(i - 1) + ";";
    laughs += "\">";
  }
  laughs += "]><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p>"
            "<w:r><w:t>&l9;</w:t></w:r></w:p></w:body></w:document>";
  auto laughing = docx::Docx::compliant();
  laughing.document_override = laughs;
  auto lol = http.request("POST", document, text(laughing.bytes()), {{"Content-Type", "application/octet-stream"}});
  EXPECT_TRUE(lol.status == 200 || lol.status == 422) << lol.status << " " << lol.body.substr(0, 300);
  EXPECT_EQ(lol.body.find("lollollol"), std::string::npos);
  auto external = docx::Docx::compliant();
  external.document_override =
      "<?xml version=\"1.0\"?><!DOCTYPE w:document [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
      "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p>"
      "<w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>";
  auto ext = http.request("POST", document, text(external.bytes()), {{"Content-Type", "application/octet-stream"}});
  EXPECT_NE(ext.status, 0);
  EXPECT_NE(ext.status, 500) << ext.body;
  EXPECT_EQ(ext.body.find("root:"), std::string::npos);

  // A presentation whose slide list inflates to 1 GiB.
  files::TempDir work;
  files::write_zip_bomb_pptx(work.path() / "bomb.pptx", 1ull << 30);
  std::ifstream in(work.path() / "bomb.pptx", std::ios::binary);
  std::stringstream pptx;
  pptx << in.rdbuf();
  auto slides = http.request("POST", kEventApi + "/check/media?purpose=flashmob&name=show.pptx", pptx.str(),
                             {{"Content-Type", "application/octet-stream"}});
  ASSERT_EQ(slides.status, 200) << slides.body;
  EXPECT_EQ(slides.json()["ok"], false) << slides.body;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(20));
  EXPECT_TRUE(alive());
}

TEST_F(Hostile, MarkupInTextFieldsComesBackAsJsonTextAndTheWebAppNeverInjectsHtml) {
  auto anna = person("anna@dom.ru");
  const std::string script = "<script>alert(1)</script><img src=x onerror=alert(2)>";
  auto created = anna->post(kEventApi + "/practices",
                            {{"section", 1}, {"type", "pilot"}, {"answers", {{"name", script}, {"values", script}}}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_NE(created.headers["content-type"].find("application/json"), std::string::npos);
  EXPECT_EQ(created.headers["x-content-type-options"], "nosniff");
  EXPECT_EQ(created.json()["answers"]["name"], script) << "stored as text, unchanged";
  auto me = anna->request("PUT", kEventApi + "/registration",
                          json{{"answers", registration_answers(script, "anna@dom.ru", script, 1)}}.dump());
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_NE(me.headers["content-type"].find("application/json"), std::string::npos);

  // The front end renders every such string as text: Preact escapes children and attributes; the
  // raw-HTML doors must stay shut in every source file of the web app.
  const std::regex doors(R"(dangerouslySetInnerHTML|\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write)");
  int scanned = 0;
  for (const auto& entry : fs::recursive_directory_iterator(source_dir() / "web" / "src")) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path());
    std::stringstream s;
    s << in.rdbuf();
    ++scanned;
    EXPECT_FALSE(std::regex_search(s.str(), doors)) << entry.path();
  }
  EXPECT_GT(scanned, 5);
}

TEST_F(Hostile, EveryPageResponseCarriesAContentSecurityPolicy) {
  const std::vector<std::string> pages = {"/", "/index.html", "/events/irkutsk-2020", "/events/irkutsk-2020/gallery",
                                          "/events/irkutsk-2020/flashmob/widget", "/no/such/page.png",
                                          "/%ff%fe", "/api/no-such-route", "/api/health"};
  HttpClient http(port());
  for (const auto& page : pages) {
    auto r = http.get(page);
    ASSERT_NE(r.status, 0) << page;
    const std::string csp = r.headers["content-security-policy"];
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << page << ": " << csp;
    EXPECT_NE(csp.find("object-src 'none'"), std::string::npos) << page;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << page;
    EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos) << page;
    EXPECT_NE(csp.find("frame-ancestors"), std::string::npos) << page;
    EXPECT_EQ(r.headers["x-content-type-options"], "nosniff") << page;
  }
  // Transport-level refusals (a request the parser cannot read) are answered with a policy too.
  auto bad = http.request("GET", "/", "", {{"Content-Length", "x"}});
  if (bad.status != 0 && bad.headers.count("content-type") && bad.headers["content-type"].find("html") != std::string::npos)
    EXPECT_FALSE(bad.headers["content-security-policy"].empty());
}

TEST_F(Hostile, ASessionCookieSentFromAnotherSitesPageChangesNothing) {
  auto anna = person("anna@dom.ru");
  auto created = anna->post(kEventApi + "/practices", {{"section", 1}, {"type", "pilot"}, {"answers", {{"name", "Моя"}}}});
  ASSERT_EQ(created.status, 201);
  const std::string practice = kEventApi + "/practices/" + std::to_string(created.json()["id"].get<int>());
  std::string scan = upload(*anna, "payment", "scan.jpg", docx::jpeg(4000));
  ASSERT_FALSE(scan.empty());
  auto pending = anna->request("POST", kEventApi + "/uploads?purpose=payment", "",
                               {{"Tus-Resumable", "1.0.0"}, {"Upload-Length", "4000"},
                                {"Upload-Metadata", "filename " + base64("next.jpg")}});
  ASSERT_EQ(pending.status, 201);
  const std::string pending_url = pending.headers["location"];
  const std::map<std::string, std::string> evil = {{"Origin", "https://evil.example"}};
  // Appending to an upload from another site is refused before a byte of the body is written.
  auto append = anna->request("PATCH", pending_url, std::string(1000, 'x'),
                              {{"Origin", "https://evil.example"},
                               {"Tus-Resumable", "1.0.0"},
                               {"Content-Type", "application/offset+octet-stream"},
                               {"Upload-Offset", "0"}});
  EXPECT_EQ(append.status, 403) << append.body;
  EXPECT_EQ(append.error_code(), "bad_origin");
  EXPECT_EQ(anna->request("HEAD", pending_url, "", {{"Tus-Resumable", "1.0.0"}}).headers["upload-offset"], "0");
  struct Attempt {
    std::string method, target, body;
  };
  const std::vector<Attempt> attempts = {
      {"PATCH", practice, json{{"answers", {{"name", "Чужая"}}}}.dump()},
      {"DELETE", practice, ""},
      {"POST", practice + "/submit", "{}"},
      {"PUT", kEventApi + "/registration", json{{"answers", registration_answers("X", "anna@dom.ru", "Y", 1)}}.dump()},
      {"DELETE", "/api/uploads/" + scan, ""},
      {"POST", "/api/auth/logout", "{}"},
      {"POST", kEventApi + "/uploads?purpose=payment", ""},
  };
  for (const auto& a : attempts) {
    auto r = anna->request(a.method, a.target, a.body, evil);
    EXPECT_EQ(r.status, 403) << a.method << " " << a.target << ": " << r.body;
    EXPECT_EQ(r.error_code(), "bad_origin") << a.method << " " << a.target;
  }
  // Nothing changed: the practice, the file and the session are as they were.
  EXPECT_EQ(anna->get(practice).json()["answers"]["name"], "Моя");
  EXPECT_EQ(anna->get("/api/uploads/" + scan).status, 200);
  EXPECT_EQ(anna->get("/api/me").status, 200);
  EXPECT_EQ(anna->get(kEventApi + "/registration").body.find("\"author\":\"X\""), std::string::npos);
  // A lookalike of our own origin is another site too.
  auto lookalike = anna->request("PATCH", practice, json{{"answers", {{"name", "Чужая"}}}}.dump(),
                                 {{"Origin", "http://127.0.0.1:" + std::to_string(port()) + ".evil.example"}});
  EXPECT_EQ(lookalike.status, 403);
  // The WebSocket upgrade with the session cookie from another site's page is refused too.
  int status = 0;
  auto ws = WsClient::connect(port(), {.cookie = anna->cookie_header(), .origin = "https://evil.example"}, &status);
  EXPECT_FALSE(ws);
  EXPECT_EQ(status, 403);
  auto own = WsClient::connect(port(), {.cookie = anna->cookie_header(),
                                        .origin = "http://127.0.0.1:" + std::to_string(port())});
  EXPECT_TRUE(own);
}

TEST_F(Hostile, ASessionCookieOnAStateChangeThatNamesNoPageChangesNothing) {
  auto anna = person("anna@dom.ru");
  auto created = anna->post(kEventApi + "/practices", {{"section", 1}, {"type", "pilot"}, {"answers", {{"name", "Моя"}}}});
  ASSERT_EQ(created.status, 201);
  const std::string practice = kEventApi + "/practices/" + std::to_string(created.json()["id"].get<int>());
  const std::string site = "http://127.0.0.1:" + std::to_string(port());
  const std::string change = json{{"answers", {{"name", "Чужая"}}}}.dump();
  // Neither Origin nor Referer, and no Content-Type either: nothing says which page sent it.
  const std::map<std::string, std::string> unnamed = {{"Origin", ""}, {"Content-Type", ""}};
  auto patched = anna->request("PATCH", practice, change, unnamed);
  EXPECT_EQ(patched.status, 403) << patched.body;
  EXPECT_EQ(patched.error_code(), "bad_origin");
  EXPECT_EQ(anna->request("DELETE", practice, "", unnamed).status, 403);
  EXPECT_EQ(anna->request("POST", "/api/auth/logout", "", unnamed).status, 403);
  // A Referer of another site, or one that only looks like ours, names no page of ours either.
  for (const std::string& referer :
       std::vector<std::string>{"https://evil.example/page", site + ".evil.example/", "http://127.0.0.1@evil.example/"}) {
    auto r = anna->request("PATCH", practice, change, {{"Origin", ""}, {"Referer", referer}});
    EXPECT_EQ(r.status, 403) << referer;
  }
  EXPECT_EQ(anna->get(practice).json()["answers"]["name"], "Моя");
  EXPECT_EQ(anna->get("/api/me").status, 200);

  // A browser that leaves Origin out still sends Referer to its own site (Referrer-Policy: same-origin).
  auto by_referer = anna->request("PATCH", practice, change,
                                  {{"Origin", ""}, {"Content-Type", ""}, {"Referer", site + "/events/irkutsk-2020"}});
  EXPECT_EQ(by_referer.status, 200) << by_referer.body;
  EXPECT_EQ(anna->get(practice).json()["answers"]["name"], "Чужая");
  // Without the session cookie nothing is at stake: signing up needs no page named.
  HttpClient stranger(port());
  auto signed_up = stranger.request(
      "POST", "/api/auth/register",
      json{{"email", "boris@dom.ru"}, {"password", kPassword}, {"full_name", "Борис"}}.dump(), {{"Origin", ""}});
  EXPECT_EQ(signed_up.status, 201) << signed_up.body;
}

TEST_F(Hostile, AJsonBodyIsReadToItsEndNotToItsFirstNulByte) {
  auto anna = person("anna@dom.ru");
  const std::string url = kEventApi + "/registration";
  const std::string valid = json{{"answers", registration_answers("Анна", "anna@dom.ru", "Школа", 1)}}.dump();
  const std::string before = anna->get(url).body;
  for (const std::string& tail : {std::string("\0garbage", 8), std::string(1, '\0'), std::string("\0{}", 3)}) {
    auto r = anna->request("PUT", url, valid + tail);
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.error_code(), "invalid_json");
  }
  EXPECT_EQ(anna->get(url).body, before) << "nothing was stored";
  EXPECT_EQ(anna->request("PUT", url, valid).status, 200) << "the part before the NUL is a valid body";
}

}  // namespace
}  // namespace praktika::test
