// Every error message the server can give a person is Russian a ministry would sign: no field or
// code names, no English. The messages are read from the sources, where each is written once as
// the literal after its code in a Status factory, so a new message is checked the day it is written.
#include <gtest/gtest.h>

#include "latin_words.h"

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace praktika {
namespace {

namespace fs = std::filesystem;

struct Message {
  std::string where;  // file:line
  std::string code;
  std::string text;   // the literal parts, concatenated
};

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The string literals at the start of `rest` (adjacent ones joined), up to the first thing that is
// not one: what follows a `+` is built at run time and is checked where it is made.
std::string leading_literals(const std::string& rest) {
  static const std::regex literal(R"(^\s*"((?:[^"\\]|\\.)*)\")");
  std::string out, tail = rest;
  std::smatch m;
  while (std::regex_search(tail, m, literal)) {
    out += m[1];
    tail = m.suffix();
  }
  return out;
}

std::vector<Message> messages() {
  static const std::regex factory(R"(Status::(\w+)\(\s*\"([a-z0-9_]+)\"\s*,)");
  std::vector<Message> out;
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(PRAKTIKA_SOURCE_DIR) / "server")) {
    const auto ext = entry.path().extension();
    if (ext != ".cpp" && ext != ".h") continue;
    const std::string text = read(entry.path());
    for (auto it = std::sregex_iterator(text.begin(), text.end(), factory); it != std::sregex_iterator(); ++it) {
      const auto& m = *it;
      const auto line = 1 + std::count(text.begin(), text.begin() + m.position(0), '\n');
      const std::string rest = text.substr(m.position(0) + m.length(0), 600);
      const std::string literal = leading_literals(rest);
      if (literal.empty()) continue;
      out.push_back({fs::relative(entry.path(), PRAKTIKA_SOURCE_DIR).string() + ":" + std::to_string(line), m[2], literal});
    }
  }
  return out;
}

TEST(RussianMessages, TheSourcesHoldManyMessagesToCheck) {
  // A regular expression that stopped matching would pass every message: make sure it reads them.
  EXPECT_GT(messages().size(), 300u);
}

TEST(RussianMessages, NoMessageNamesAFieldOrSpeaksEnglish) {
  for (const auto& m : messages()) {
    auto words = latin_words(m.text);
    if (words.empty()) continue;
    std::string list;
    for (const auto& w : words) list += (list.empty() ? "" : ", ") + w;
    ADD_FAILURE() << m.where << " (" << m.code << "): «" << m.text << "» has " << list;
  }
}

TEST(RussianMessages, EveryMessageIsASentenceForAPerson) {
  for (const auto& m : messages()) {
    EXPECT_FALSE(m.text.empty()) << m.where;
    EXPECT_NE(m.text.find_first_of("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"), std::string::npos)
        << m.where << " (" << m.code << "): «" << m.text << "»";
  }
}

}  // namespace
}  // namespace praktika
