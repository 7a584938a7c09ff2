// Russian search words: text split into words, lower-cased (ё read as е), reduced to their
// dictionary forms (lemmas) by the Russian Hunspell dictionary and then to Snowball stems, so
// that every inflected form of a word gives one search term. Snowball alone keeps the fleeting
// vowel («подросток» → «подросток» but «подростка» → «подростк»); the lemma brings both forms to
// «подросток» first. A word's terms are the stems of its lemmas and its own stem, so search finds
// at least what Snowball alone found: a word the dictionary does not know, every word when the
// dictionary is not installed, and the oblique forms the dictionary lists as words of their own
// («сна», «огня») keep their Snowball stem; for the nouns whose stem changes (сон/сна, мать/матери,
// время/времени) a small table of their forms adds the nominative's stem. A word with several lemmas («стали»: «сталь»,
// «стать») has several terms. The gallery stems both the text it indexes and the query with these
// functions. Any thread: each thread keeps its own Snowball stemmer (it is not thread-safe); the
// one dictionary, loaded on first use, is used under a mutex.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace praktika::gallery {

// Words longer than this (in bytes) are cut: no real word is, and it bounds the stemmer's work.
inline constexpr std::size_t kMaxWordBytes = 64;

// The Hunspell dictionary read (`<path>.aff` and `<path>.dic`); Debian's hunspell-ru installs it.
inline constexpr const char* kRussianDictionary = "/usr/share/hunspell/ru_RU";

// The search terms of each word of `text`, in order: one or more per word. A word is a run of
// letters (Latin, Cyrillic) and digits; anything else separates words, invalid UTF-8 too.
std::vector<std::vector<std::string>> word_terms(std::string_view text);

// word_terms() flattened, in order (a word's terms side by side).
std::vector<std::string> stems(std::string_view text);

// stems() joined by spaces: what the index stores.
std::string stemmed_text(std::string_view text);

// For PostgreSQL's `russian` text-search configuration, which stems words itself: each word of
// `text` lower-cased (ё as е) followed by its dictionary forms, unstemmed. PostgreSQL's Snowball is
// the same algorithm, so the stems it makes of these are the terms word_terms() makes.
std::vector<std::vector<std::string>> word_forms(std::string_view text);
// word_forms() joined by spaces: what the PostgreSQL index stores.
std::string forms_text(std::string_view text);

// Names how terms are made now ("lemma+paradigms+snowball" with the dictionary,
// "paradigms+snowball" without), so an
// index built another way is rebuilt.
std::string_view term_scheme();

}  // namespace praktika::gallery
