// Each table has one owning module (server/store/migrations/owners.txt); SQL naming a table in a
// .cpp or .h outside the owner's folder fails here unless foreign_tables.txt lists that file and table
// with a reason. A listed reference that is gone fails too, so the list only shrinks.
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

const fs::path kRoot = PRAKTIKA_SOURCE_DIR;
const fs::path kMigrations = kRoot / "server" / "store" / "migrations";

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Lines without comments ('#' to the end), split on whitespace.
std::vector<std::vector<std::string>> table_lines(const fs::path& file) {
  std::vector<std::vector<std::string>> out;
  std::istringstream in(read_file(file));
  std::string line;
  while (std::getline(in, line)) {
    line = line.substr(0, line.find('#'));
    std::istringstream words(line);
    std::vector<std::string> row;
    for (std::string w; words >> w;) row.push_back(w);
    if (!row.empty()) out.push_back(std::move(row));
  }
  return out;
}

std::map<std::string, std::string> owners() {
  std::map<std::string, std::string> out;
  for (const auto& row : table_lines(kMigrations / "owners.txt"))
    if (row.size() == 2) out[row[0]] = row[1];
  return out;
}

// "server/x/y.cpp table" pairs; the reason follows after '#' and is required.
std::set<std::pair<std::string, std::string>> allowed() {
  std::set<std::pair<std::string, std::string>> out;
  std::istringstream in(read_file(kMigrations / "foreign_tables.txt"));
  std::string line;
  while (std::getline(in, line)) {
    auto hash = line.find('#');
    std::istringstream words(line.substr(0, hash));
    std::string file, table;
    if (!(words >> file >> table)) continue;
    EXPECT_TRUE(hash != std::string::npos && line.find_first_not_of(" #", hash) != std::string::npos)
        << "foreign_tables.txt: give a reason for " << file << " " << table;
    out.insert({file, table});
  }
  return out;
}

// The SQL text of a C++ file: its string literals, adjacent ones joined as the compiler joins
// them, separate ones on lines of their own. Comments and character literals are skipped.
std::string string_literals(const std::string& code) {
  std::string out;
  std::size_t i = 0;
  bool adjacent = false;
  while (i < code.size()) {
    char c = code[i];
    if (c == '/' && i + 1 < code.size() && code[i + 1] == '/') {
      i = code.find('\n', i);
      if (i == std::string::npos) break;
    } else if (c == '/' && i + 1 < code.size() && code[i + 1] == '*') {
      i = code.find("*/", i + 2);
      if (i == std::string::npos) break;
      i += 2;
    } else if (c == '\'' && i > 0 && std::isdigit(static_cast<unsigned char>(code[i - 1]))) {
      ++i;  // a digit separator (1'000)
    } else if (c == '\'') {
      for (++i; i < code.size() && code[i] != '\''; ++i)
        if (code[i] == '\\') ++i;
      ++i;
      adjacent = false;
    } else if (c == '"') {
      if (!adjacent) out += '\n';
      for (++i; i < code.size() && code[i] != '"'; ++i) {
        if (code[i] == '\\') ++i;
        out += code[i];
      }
      ++i;
      adjacent = true;
    } else {
      if (!std::isspace(static_cast<unsigned char>(c))) adjacent = false;
      ++i;
    }
  }
  return out;
}

std::string module_of(const fs::path& relative) {  // server/<module>/… → <module>
  auto it = relative.begin();
  ++it;
  auto next = it;
  return ++next == relative.end() ? std::string() : it->string();
}

TEST(TableOwners, EveryTableAMigrationCreatesHasAnOwner) {
  const auto map = owners();
  const std::regex create(R"(CREATE\s+(?:VIRTUAL\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+))");
  for (const auto& entry : fs::directory_iterator(kMigrations)) {
    if (entry.path().extension() != ".sql") continue;
    const std::string sql = read_file(entry.path());
    for (std::sregex_iterator m(sql.begin(), sql.end(), create), end; m != end; ++m)
      EXPECT_TRUE(map.count((*m)[1])) << entry.path().filename() << " creates " << (*m)[1]
                                      << ", which owners.txt gives no module";
  }
}

TEST(TableOwners, OnlyTheOwningModuleNamesATableInSql) {
  const auto map = owners();
  const auto allow = allowed();
  std::set<std::pair<std::string, std::string>> seen;
  const std::regex use(R"(\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+(\w+))");
  for (const auto& entry : fs::recursive_directory_iterator(kRoot / "server")) {
    // Headers too: a module's SQL fragments may live in one (intake/practice_row.h).
    if (entry.path().extension() != ".cpp" && entry.path().extension() != ".h") continue;
    const fs::path relative = fs::relative(entry.path(), kRoot);
    const std::string module = module_of(relative);
    const std::string sql = string_literals(read_file(entry.path()));
    for (std::sregex_iterator m(sql.begin(), sql.end(), use), end; m != end; ++m) {
      auto owner = map.find((*m)[1]);
      if (owner == map.end() || owner->second == module) continue;
      std::pair<std::string, std::string> ref{relative.string(), owner->first};
      if (!seen.insert(ref).second) continue;
      EXPECT_TRUE(allow.count(ref)) << relative.string() << " names " << owner->first << " (owned by "
                                    << owner->second << ") in SQL: call the owner's functions instead";
    }
  }
  for (const auto& ref : allow)
    EXPECT_TRUE(seen.count(ref)) << "foreign_tables.txt lists " << ref.first << " " << ref.second
                                 << ", which no longer names it: remove the line";
}

}  // namespace
