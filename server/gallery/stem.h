// Russian search words: text split into words, lower-cased (ё read as е) and reduced to their
// Snowball stems, so that every inflected form of a word gives one search term. The gallery stems
// both the text it indexes and the query with this one function. Pure; any thread (each thread
// keeps its own stemmer, because a Snowball stemmer is not thread-safe).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace praktika::gallery {

// Words longer than this (in bytes) are cut: no real word is, and it bounds the stemmer's work.
inline constexpr std::size_t kMaxWordBytes = 64;

// The stems of the words of `text`, in order. A word is a run of letters (Latin, Cyrillic) and
// digits; anything else separates words. Invalid UTF-8 separates words too.
std::vector<std::string> stems(std::string_view text);

// stems() joined by spaces: what the index stores.
std::string stemmed_text(std::string_view text);

}  // namespace praktika::gallery
