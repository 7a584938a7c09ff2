// What a Russian message a person reads may hold in Latin letters, shared by the tests that read
// the messages from the sources and those that drive the server's checks with bad input.
#pragma once

#include <regex>
#include <set>
#include <string>
#include <vector>

namespace praktika {

// Latin words a Russian sentence may hold: names of formats, programs and protocols, written as
// their makers write them. Anything else in Latin letters is an identifier or English.
inline bool allowed(const std::string& word) {
  static const std::set<std::string> kNames = {
      "PDF", "ZIP", "JSON", "DOCX", "DOC", "PPTX", "ODP", "ODT", "JPEG", "PNG", "MP4", "CSV", "XLSX", "HTTP", "SMTP",
      "UTF", "Word", "LibreOffice", "PowerPoint", "Redis", "tus", "WebSocket", "API", "URL", "ID", "H", "AAC", "MB",
      "KB", "GB", "MOV", "WEBM", "TIFF", "HEIC", "SQLite", "PostgreSQL", "pg_dump", "pg_restore", "Excel", "OpenDocument", "Impress", "QR", "E-mail", "SRT", "WebVTT"};
  return kNames.count(word) > 0;
}

inline std::vector<std::string> latin_words(const std::string& text) {
  static const std::regex word(R"([A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z]+)*)");  // «E-mail» is one word
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), word); it != std::sregex_iterator(); ++it) {
    const auto at = static_cast<std::size_t>(it->position());
    const bool extension = at > 0 && text[at - 1] == '.';             // «(.docx)», as Word's dialog says it
    const bool scheme = text.compare(at + it->length(), 3, "://") == 0;  // «redis://хост:порт»
    if (!allowed(it->str()) && !extension && !scheme) out.push_back(it->str());
  }
  return out;
}

}  // namespace praktika
