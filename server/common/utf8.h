// UTF-8 checks for text that comes from outside as raw bytes (tus metadata is base64 of anything;
// JSON bodies are checked by the JSON parser already), and the one cleaner of text people type.
// Pure functions, any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace praktika {

// Well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view text);

// The number of characters (code points) in well-formed `text`: what a limit like «не длиннее 500
// символов» counts.
std::size_t utf8_length(std::string_view text);

// The longest prefix of well-formed `text` that is at most `max_bytes` long and does not cut a
// character in two: where to truncate.
std::size_t utf8_prefix_length(std::string_view text, std::size_t max_bytes);

// Whether a text may hold line breaks: a name or a title is one line, a description or a comment many.
enum class TextLines { one, many };

// Text typed by a person, as it is stored and shown everywhere: the cleaner every module applies
// where a client's text enters (account names, form fields, comments, questions, titles, file
// names). Removed: NUL and the other C0 controls, DEL, the C1 controls (U+0080–U+009F), and the
// bidirectional controls U+202A–U+202E, U+2066–U+2069, U+200E, U+200F and U+061C, which only
// serve to show text in another order than it was typed ("gpj.exe" as "exe.jpg", a name reversed
// on a certificate). In `many`, tab and line feed stay (so CR LF becomes LF) and U+2028/U+2029
// become a line feed; in `one`, a run of tabs, CRs, LFs and U+2028/U+2029 becomes one space.
// White space at both ends is trimmed. Bytes that are not UTF-8 pass through as they are (the
// JSON parser or is_valid_utf8 refuses them before).
std::string clean_text(std::string_view text, TextLines lines);

// An extended header parameter value (RFC 8187, after RFC 2231), the part after UTF-8'' in
// `filename*=UTF-8''…` of an HTTP or a MIME header: attr-chars stay, every other byte is %XX.
std::string percent_encode_ext_value(std::string_view text);

}  // namespace praktika
