// The error codes a client can program against are the ones docs/protocol.md lists: every code
// the server gives is in its table, and every code in the table is one the server still gives.
// Read from the sources, where each code is written once in a Status factory or beside the HTTP
// status of an answer written before routing, so a new code fails here until it is documented.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

namespace praktika {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::map<std::string, std::string> server_sources() {
  std::map<std::string, std::string> out;
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(PRAKTIKA_SOURCE_DIR) / "server")) {
    const auto ext = entry.path().extension();
    if (ext == ".cpp" || ext == ".h") out[fs::relative(entry.path(), PRAKTIKA_SOURCE_DIR).string()] = read(entry.path());
  }
  return out;
}

// code -> where it is first given (file).
std::map<std::string, std::string> codes_in_sources() {
  static const std::regex constant(R"re(constexpr std::string_view (k\w+) = "([a-z0-9_]+)")re");
  static const std::regex factory(R"re(Status::(\w+)\(\s*(?:"([a-z0-9_]+)"|std::string\((k\w+)\))\s*,)re");
  static const std::regex early_answer(R"re(\b[45]\d\d,\s*"([a-z0-9_]+)",)re");
  const auto sources = server_sources();
  std::map<std::string, std::string> constants;
  for (const auto& [file, text] : sources)
    for (auto it = std::sregex_iterator(text.begin(), text.end(), constant); it != std::sregex_iterator(); ++it)
      constants[(*it)[1]] = (*it)[2];
  std::map<std::string, std::string> out;
  for (const auto& [file, text] : sources) {
    for (auto it = std::sregex_iterator(text.begin(), text.end(), factory); it != std::sregex_iterator(); ++it) {
      const auto& m = *it;
      std::string code = m[2].matched ? m[2].str() : "";
      if (m[3].matched && constants.count(m[3])) code = constants[m[3]];
      if (!code.empty()) out.emplace(code, file);
    }
    for (auto it = std::sregex_iterator(text.begin(), text.end(), early_answer); it != std::sregex_iterator(); ++it)
      out.emplace((*it)[1], file);
  }
  return out;
}

// The first column of the table under «### Every code» in docs/protocol.md.
std::set<std::string> codes_in_protocol() {
  const std::string doc = read(fs::path(PRAKTIKA_SOURCE_DIR) / "docs" / "protocol.md");
  const auto begin = doc.find("\n### Every code");
  if (begin == std::string::npos) return {};
  const auto end = doc.find("\n#", begin + 1);
  const std::string table = doc.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
  static const std::regex row(R"re(\n\| `([a-z0-9_]+)` \|)re");
  std::set<std::string> out;
  for (auto it = std::sregex_iterator(table.begin(), table.end(), row); it != std::sregex_iterator(); ++it)
    out.insert((*it)[1]);
  return out;
}

TEST(ErrorCodes, TheSourcesGiveManyCodes) {
  // A regular expression that stopped matching would make both lists empty and equal.
  EXPECT_GT(codes_in_sources().size(), 150u);
}

TEST(ErrorCodes, EveryCodeTheServerGivesIsInTheProtocol) {
  const auto documented = codes_in_protocol();
  for (const auto& [code, file] : codes_in_sources())
    EXPECT_TRUE(documented.count(code)) << "`" << code << "` (" << file << ") is missing from «### Every code» in docs/protocol.md";
}

TEST(ErrorCodes, EveryCodeInTheProtocolIsStillGiven) {
  const auto given = codes_in_sources();
  for (const auto& code : codes_in_protocol())
    EXPECT_TRUE(given.count(code)) << "`" << code << "` is in docs/protocol.md but no longer in the server";
}

}  // namespace
}  // namespace praktika
