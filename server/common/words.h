// How an event names the thing it receives (the conference: «практика», the contest: «заявка», a
// seminar: «доклад»), in the cases and with the gender the server's messages need. The agenda's
// practice.words fill it; an agenda without them keeps the conference's word. Pure; any thread.
#pragma once

#include <string>
#include <string_view>

namespace praktika {

enum class Gender { feminine, masculine, neuter };

struct Noun {
  std::string one = "практика";          // nominative: «Практика не найдена»
  std::string accusative = "практику";   // «назначен на эту практику»
  std::string genitive = "практики";     // «номер практики»
  std::string dative = "практике";       // «по этой практике»
  std::string many = "практики";         // nominative plural: «Практики»
  std::string dative_plural = "практикам";
  std::string genitive_plural = "практик";  // «Галерея практик»
  Gender gender = Gender::feminine;

  // The one of three words that agrees with the noun: agree("найдена", "найден", "найдено").
  std::string_view agree(std::string_view feminine, std::string_view masculine, std::string_view neuter) const {
    return gender == Gender::masculine ? masculine : gender == Gender::neuter ? neuter : feminine;
  }
};

// `text` with its first letter a capital («практика» → «Практика»); Cyrillic and Latin letters.
std::string capitalised(std::string_view text);

}  // namespace praktika
