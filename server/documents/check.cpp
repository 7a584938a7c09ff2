#include "documents/check.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <tuple>

#include <pugixml.hpp>

#include "common/plural.h"
#include "common/utf8.h"
#include "documents/styles.h"
#include "documents/zip_reader.h"

namespace praktika::documents {
namespace {

using detail::attr;
using detail::child;
using detail::local_name;
using detail::ParaProps;
using detail::RunProps;
using detail::StyleSheet;
using detail::ZipReader;

constexpr int kMaxNesting = 32;  // for every recursive walk over the XML tree
constexpr double kTwipsPerCm = 1440 / 2.54;
constexpr double kCmTolerance = 0.05;
constexpr std::size_t kMaxCitationBytes = 200;
constexpr std::size_t kSnippetChars = 40;
constexpr std::size_t kMaxHeadingChars = 150;

// ---- Russian wording -------------------------------------------------------------------------------

std::string number(double v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  std::replace(s.begin(), s.end(), '.', ',');
  return s == "-0" ? "0" : s;
}

std::string cm_text(double cm) { return number(cm) + " см"; }
std::string pt_text(int half_points) { return number(half_points / 2.0) + " пт"; }

std::string spacing_text(int line, std::string_view rule) {
  if (rule == "exact") return "точно " + number(line / 20.0) + " пт";
  if (rule == "atLeast") return "минимум " + number(line / 20.0) + " пт";
  const double multiple = line / 240.0;
  if (std::fabs(multiple - 1) < 0.01) return "одинарный";
  return number(multiple);
}

std::string expected_spacing_text(double multiple) {
  return std::fabs(multiple - 1) < 0.01 ? "одинарный" : number(multiple);
}

std::string alignment_text(std::string_view jc) {
  if (jc == "both" || jc == "justify") return "по ширине";
  if (jc == "distribute") return "по ширине с растяжкой";
  if (jc == "left" || jc == "start") return "по левому краю";
  if (jc == "right" || jc == "end") return "по правому краю";
  if (jc == "center") return "по центру";
  return std::string(jc);
}

bool alignment_matches(std::string_view jc, std::string_view wanted) {
  if (wanted == "justify") return jc == "both" || jc == "distribute" || jc == "justify";
  if (wanted == "left") return jc == "left" || jc == "start";
  if (wanted == "right") return jc == "right" || jc == "end";
  return jc == wanted;
}

std::string join(const std::vector<std::string>& items, std::string_view separator = ", ") {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out += separator;
    out += s;
  }
  return out;
}

bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

// The start of a paragraph's text, at most kSnippetChars characters, so the author can find it.
std::string snippet(std::string_view text) {
  std::string s;
  std::size_t chars = 0;
  bool space = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !s.empty();
      continue;
    }
    const bool starts_char = (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    if (starts_char && chars + (space ? 1 : 0) >= kSnippetChars) {
      while (!s.empty() && s.back() == ' ') s.pop_back();
      return s + "…";
    }
    if (space) {
      s += ' ';
      ++chars;
      space = false;
    }
    s += c;
    if (starts_char) ++chars;
  }
  return s;
}

std::string paragraph_where(std::size_t number_in_text, std::string_view text) {
  std::string where = "абзац " + std::to_string(number_in_text);
  if (auto s = snippet(text); !s.empty()) where += " («" + s + "»)";
  return where;
}

// «Рисунок 1 – …», «Таблица 2. …», «Рис. 3»: a caption by its words even without the Caption style.
bool caption_words(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  for (std::string_view word : {"Рисунок", "Рис.", "Таблица", "Табл.", "Схема", "Диаграмма"}) {
    if (!text.starts_with(word)) continue;
    std::string_view rest = text.substr(word.size());
    for (;;) {
      if (rest.starts_with(" ")) rest.remove_prefix(1);
      else if (rest.starts_with("\xC2\xA0")) rest.remove_prefix(2);
      else break;
    }
    return !rest.empty() && rest.front() >= '0' && rest.front() <= '9';
  }
  return false;
}

std::string normalised_font(std::string_view font) {
  std::string out;
  for (char c : font) {
    if (c == ' ') continue;
    out += (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
  }
  return out;
}

// ---- findings --------------------------------------------------------------------------------------

// Where a finding is: a paragraph outside tables, numbered so that neighbours read as a range
// («абзацы 1–34»), or any other place (a table's rows, the margins, a figure), named in full.
struct Place {
  std::size_t paragraph = 0;  // 0: not a paragraph
  std::string where;          // how the place reads alone: «абзац 12 («Первые слова…»)», «таблица 2, строки 1, 3»
  std::string_view plural = "абзацы ";  // before the paragraph ranges when there are several
};

constexpr CountForms kPlaces = {"место", "места", "мест"};
// Bounds per finding, whatever the document: paragraph ranges, then other places; the rest is counted.
constexpr std::size_t kMaxRangesPerFinding = 20;
constexpr std::size_t kMaxOtherPlacesPerFinding = 3;

// One finding per rule and per distinct (found, expected), naming all its places: an author with 34
// paragraphs in Arial reads one line, not 34. At most kMaxFindingsPerRule of them per rule; the places
// of any further ones are counted into a last finding «ещё N мест в документе».
class Collector {
 public:
  void add(const std::string& rule, const Place& place, std::string found, std::string expected) {
    auto key = std::make_tuple(rule, found, expected);
    auto it = index_.find(key);
    if (it == index_.end()) {
      auto& per_rule = rules_[rule];
      if (per_rule.groups == 0 && per_rule.overflow == 0) order_.push_back(rule);
      if (per_rule.groups >= kMaxFindingsPerRule) {
        ++per_rule.overflow;
        per_rule.overflow_expected = std::move(expected);
        return;
      }
      ++per_rule.groups;
      it = index_.emplace(std::move(key), groups_.size()).first;
      groups_.push_back({rule, std::move(found), std::move(expected)});
    }
    groups_[it->second].add(place);
  }

  std::vector<Finding> finish() && {
    std::vector<Finding> out;
    for (const auto& rule : order_) {
      for (const auto& g : groups_) {
        if (g.rule == rule) out.push_back({g.rule, g.where(), g.found, g.expected});
      }
      const auto& per_rule = rules_[rule];
      if (per_rule.overflow > 0) {
        out.push_back({rule, "ещё " + with_count(std::int64_t(per_rule.overflow), kPlaces) + " в документе",
                       "другие отклонения по этому правилу", per_rule.overflow_expected});
      }
    }
    return out;
  }

 private:
  struct Group {
    std::string rule, found, expected;
    std::string first_paragraph;  // its where, for a group of one paragraph
    std::string_view plural;
    std::size_t paragraphs = 0;
    std::vector<std::pair<std::size_t, std::size_t>> ranges;  // first and last paragraph number
    std::vector<std::string> others;
    std::size_t hidden = 0;  // places beyond the stored ones

    void add(const Place& place) {
      if (place.paragraph == 0) {
        if (others.size() < kMaxOtherPlacesPerFinding) others.push_back(place.where);
        else ++hidden;
        return;
      }
      if (++paragraphs == 1) {
        first_paragraph = place.where;
        plural = place.plural;
      }
      if (!ranges.empty() && place.paragraph >= ranges.back().first && place.paragraph <= ranges.back().second + 1) {
        ranges.back().second = std::max(ranges.back().second, place.paragraph);
      } else if (ranges.size() < kMaxRangesPerFinding) {
        ranges.emplace_back(place.paragraph, place.paragraph);
      } else {
        ++hidden;
      }
    }

    std::string where() const {
      std::vector<std::string> parts;
      if (paragraphs == 1) {
        parts.push_back(first_paragraph);
      } else if (!ranges.empty()) {
        std::string list;
        for (const auto& [first, last] : ranges) {
          if (!list.empty()) list += ", ";
          list += std::to_string(first);
          if (last > first) list += "–" + std::to_string(last);
        }
        parts.push_back(std::string(plural) + list);
      }
      parts.insert(parts.end(), others.begin(), others.end());
      std::string out = join(parts, "; ");
      if (hidden > 0) out += (out.empty() ? "ещё " : " и ещё ") + with_count(std::int64_t(hidden), kPlaces);
      return out;
    }
  };

  struct PerRule {
    std::size_t groups = 0;
    std::size_t overflow = 0;  // places of the findings beyond kMaxFindingsPerRule
    std::string overflow_expected;
  };

  std::vector<Group> groups_;
  std::map<std::tuple<std::string, std::string, std::string>, std::size_t> index_;
  std::vector<std::string> order_;
  std::map<std::string, PerRule> rules_;
};

// ---- the document model ----------------------------------------------------------------------------

struct Run {
  std::string text;
  RunProps props;
};

struct Paragraph {
  std::string text;
  std::vector<Run> runs;  // runs with visible text
  ParaProps props;        // effective
  bool heading = false;       // by its style or outline level
  bool hand_heading = false;  // by its look: see looks_like_heading()
  bool caption = false;
  bool numbered = false;
  std::size_t drawings = 0;

  bool empty() const { return drawings == 0 && blank(text); }
};

// Authors make headings by hand as often as with Word's styles: a short line without a full stop,
// in bold or centred (the practice's title, «Список литературы»). Such a line is not body text.
bool looks_like_heading(const Paragraph& p) {
  if (p.runs.empty()) return false;
  std::string_view text = p.text;
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  if (text.empty() || text.back() == '.' || utf8_length(text) > kMaxHeadingChars) return false;
  const bool bold = std::all_of(p.runs.begin(), p.runs.end(), [](const Run& r) { return r.props.bold.value_or(false); });
  return bold || p.props.alignment.value_or("left") == "center";
}

// A block of the body, kept to find captions next to tables and figures.
struct Block {
  bool table = false;
  bool empty = true;
  bool caption = false;
  bool own_caption = false;  // a figure paragraph whose own text is its caption
  std::size_t figure = 0;    // first figure number in the paragraph, 0 when none
  std::size_t number = 0;    // paragraph or table number
  std::string where;
};

class Checker {
 public:
  Checker(const timeline::DocumentFormat& rules, StyleSheet& styles) : rules_(rules), styles_(styles) {
    if (!rules.reference_pattern.empty()) {
      try {
        citation_ = std::regex(rules.reference_pattern, std::regex::ECMAScript);
        have_citation_ = true;
      } catch (const std::regex_error&) {
        have_citation_ = false;  // the agenda loader validates it; a bad pattern only disables the rule
      }
    }
  }

  void walk_body(pugi::xml_node body, int depth) {
    if (depth > kMaxNesting) return;
    for (pugi::xml_node c = body.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element) continue;
      const auto name = local_name(c.name());
      if (name == "p") {
        body_paragraph(c);
      } else if (name == "tbl") {
        body_table(c);
      } else if (name == "sdt") {
        walk_body(child(c, "sdtContent"), depth + 1);
      } else if (name == "customXml" || name == "ins" || name == "moveTo") {
        walk_body(c, depth + 1);
      } else if (name == "sectPr") {
        sections_.push_back(c);
      }
    }
  }

  void finish() {
    check_captions();
    check_margins();
  }

  std::size_t paragraphs() const { return paragraphs_; }
  std::size_t tables() const { return tables_; }
  std::size_t images() const { return figures_; }
  Collector& findings() { return findings_; }

 private:
  // ---- reading ----

  void collect_runs(pugi::xml_node node, Paragraph& p, const RunProps& base, int depth) {
    if (depth > kMaxNesting) return;
    for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element) continue;
      const auto name = local_name(c.name());
      if (name == "r") {
        read_run(c, p, base);
      } else if (name == "hyperlink" || name == "ins" || name == "smartTag" || name == "customXml" ||
                 name == "fldSimple" || name == "moveTo" || name == "dir" || name == "bdo") {
        collect_runs(c, p, base, depth + 1);
      } else if (name == "sdt") {
        collect_runs(child(c, "sdtContent"), p, base, depth + 1);
      } else if (name == "AlternateContent") {
        auto choice = child(c, "Choice");
        collect_runs(choice ? choice : child(c, "Fallback"), p, base, depth + 1);
      }
    }
  }

  void read_run(pugi::xml_node r, Paragraph& p, const RunProps& base) {
    auto rpr = child(r, "rPr");
    RunProps props = base;
    props.overlay(styles_.character_style(attr(child(rpr, "rStyle"), "val").value()));
    props.overlay(detail::parse_run_props(rpr));
    std::string text;
    for (pugi::xml_node c = r.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element) continue;
      const auto name = local_name(c.name());
      if (name == "t") {
        text += c.text().get();
      } else if (name == "tab") {
        text += '\t';
      } else if (name == "br" || name == "cr") {
        text += '\n';
      } else if (name == "noBreakHyphen") {
        text += '-';
      } else if (name == "drawing" || name == "pict" || name == "object") {
        ++p.drawings;
      } else if (name == "AlternateContent") {
        auto choice = child(c, "Choice");
        auto content = choice ? choice : child(c, "Fallback");
        for (pugi::xml_node d = content.first_child(); d; d = d.next_sibling()) {
          const auto dn = local_name(d.name());
          if (dn == "drawing" || dn == "pict" || dn == "object") {
            ++p.drawings;
          }
        }
      }
    }
    p.text += text;
    if (!blank(text)) p.runs.push_back({std::move(text), std::move(props)});
  }

  Paragraph read_paragraph(pugi::xml_node node) {
    Paragraph p;
    auto ppr = child(node, "pPr");
    const auto& style = styles_.paragraph_style(attr(child(ppr, "pStyle"), "val").value());
    p.props = style.para;
    p.props.overlay(detail::parse_para_props(ppr));
    collect_runs(node, p, style.run, 0);
    p.numbered = p.props.numbered.value_or(false);
    const bool outline_heading = p.props.outline_level && *p.props.outline_level >= 0 && *p.props.outline_level < 9;
    if (style.caption) {
      p.caption = true;
    } else if (style.heading || outline_heading) {
      p.heading = true;
    } else {
      p.caption = caption_words(p.text);
    }
    if (auto sect = child(ppr, "sectPr")) sections_.push_back(sect);
    return p;
  }

  // ---- paragraphs outside tables ----

  void body_paragraph(pugi::xml_node node) {
    Paragraph p = read_paragraph(node);
    Block block;
    block.empty = p.empty();
    if (block.empty) {
      blocks_.push_back(std::move(block));
      return;
    }
    block.number = ++paragraphs_;
    block.caption = p.caption;
    block.where = paragraph_where(block.number, p.text);
    if (p.drawings > 0) {
      block.figure = figures_ + 1;
      figures_ += p.drawings;
      block.own_caption = caption_words(p.text);
    }
    const Place where{block.number, block.where};
    // A heading made by hand is held to the font alone: it is bold already, or a centred line that
    // need not be (a title page's lines often are not).
    p.hand_heading = !p.heading && !p.caption && looks_like_heading(p);

    if (!p.runs.empty()) {
      check_fonts(p, where);
      if (p.heading) {
        check_bold(p, where);
      } else if (p.caption) {
        check_caption_format(p, where);
      } else if (!p.hand_heading) {
        check_size(p, "font_size", std::lround(rules_.font_size_pt * 2), where, "");
        check_spacing(p, "line_spacing", rules_.line_spacing, where, "");
        if (p.drawings == 0) {
          check_alignment(p, where);
          if (!p.numbered) check_indent(p, where);
        }
      }
      check_references(p, where);
    }
    blocks_.push_back(std::move(block));
  }

  // Word draws ASCII text with w:ascii and everything else (Cyrillic too) with w:hAnsi: each font is
  // checked only for the text it draws.
  std::vector<std::string> wrong_fonts(const Paragraph& p) const {
    std::vector<std::string> wrong;
    if (rules_.font.empty()) return wrong;
    const std::string wanted = normalised_font(rules_.font);
    for (const auto& run : p.runs) {
      bool ascii = false, other = false;
      for (unsigned char c : run.text) {
        if (c >= 0x80) other = true;
        else if (c > ' ') ascii = true;
      }
      for (bool kind : {true, false}) {
        if (kind ? !ascii : !other) continue;
        std::string font = styles_.font_for(run.props, kind);
        if (normalised_font(font) != wanted && std::find(wrong.begin(), wrong.end(), font) == wrong.end()) {
          wrong.push_back(std::move(font));
        }
      }
    }
    return wrong;
  }

  void check_fonts(const Paragraph& p, const Place& where) {
    if (auto wrong = wrong_fonts(p); !wrong.empty()) findings_.add("font", where, join(wrong), rules_.font);
  }

  std::vector<std::string> wrong_sizes(const Paragraph& p, long wanted_half_points) {
    std::vector<std::string> wrong;
    for (const auto& run : p.runs) {
      const int size = run.props.size_half_points.value_or(20);  // Word's built-in 10 pt
      if (size != wanted_half_points) {
        std::string text = pt_text(size);
        if (std::find(wrong.begin(), wrong.end(), text) == wrong.end()) wrong.push_back(std::move(text));
      }
    }
    return wrong;
  }

  std::optional<std::string> wrong_spacing(const Paragraph& p, double wanted) {
    const int line = p.props.line.value_or(240);
    const std::string rule = p.props.line_rule.value_or("auto");
    if (rule == "auto" && std::fabs(line / 240.0 - wanted) <= 2.0 / 240) return std::nullopt;
    return spacing_text(line, rule);
  }

  void check_size(const Paragraph& p, const std::string& rule, long wanted, const Place& where,
                  const std::string& note) {
    if (wanted <= 0) return;
    auto wrong = wrong_sizes(p, wanted);
    if (!wrong.empty()) findings_.add(rule, where, join(wrong), pt_text(int(wanted)) + note);
  }

  void check_spacing(const Paragraph& p, const std::string& rule, double wanted, const Place& where,
                     const std::string& note) {
    if (wanted <= 0) return;
    if (auto wrong = wrong_spacing(p, wanted)) findings_.add(rule, where, *wrong, expected_spacing_text(wanted) + note);
  }

  void check_alignment(const Paragraph& p, const Place& where) {
    if (rules_.alignment.empty()) return;
    const std::string jc = p.props.alignment.value_or("left");
    if (!alignment_matches(jc, rules_.alignment)) {
      findings_.add("alignment", where, alignment_text(jc), alignment_text(rules_.alignment == "justify" ? "both" : rules_.alignment));
    }
  }

  void check_indent(const Paragraph& p, const Place& where) {
    const int hanging = p.props.hanging.value_or(0);
    const int first = hanging > 0 ? -hanging : p.props.first_line.value_or(0);
    const double cm = first / kTwipsPerCm;
    if (std::fabs(cm - rules_.first_line_indent_cm) <= kCmTolerance) return;
    std::string found = first == 0 ? "нет отступа" : first < 0 ? "выступ " + cm_text(-cm) : cm_text(cm);
    findings_.add("first_line_indent", where, found, cm_text(rules_.first_line_indent_cm));
  }

  void check_bold(const Paragraph& p, const Place& where) {
    if (!rules_.bold_headings) return;
    const bool all_bold = std::all_of(p.runs.begin(), p.runs.end(), [](const Run& r) { return r.props.bold.value_or(false); });
    if (!all_bold) findings_.add("bold_headings", where, "заголовок не полужирный", "полужирный заголовок");
  }

  void check_caption_format(const Paragraph& p, const Place& where) {
    std::vector<std::string> wrong;
    const long wanted_size = std::lround(rules_.caption_font_size_pt * 2);
    if (wanted_size > 0) {
      if (auto sizes = wrong_sizes(p, wanted_size); !sizes.empty()) wrong.push_back(join(sizes));
    }
    if (rules_.caption_line_spacing > 0) {
      if (auto spacing = wrong_spacing(p, rules_.caption_line_spacing)) wrong.push_back("интервал " + *spacing);
    }
    if (!wrong.empty()) findings_.add("caption", {where.paragraph, "подпись, " + where.where, "подписи, абзацы "}, join(wrong, "; "),
                                    caption_format_text());
  }

  std::string caption_format_text() const {
    return number(rules_.caption_font_size_pt) + " пт, интервал " + expected_spacing_text(rules_.caption_line_spacing);
  }

  // A bracket that holds a digit is taken for a citation; each must match the agenda's pattern. Word
  // likes non-breaking spaces inside citations («с.\u00A07»): they count as spaces.
  void check_references(const Paragraph& p, const Place& where) {
    if (!have_citation_) return;
    std::vector<std::string> wrong;
    const std::string& t = p.text;
    for (std::size_t open = t.find('['); open != std::string::npos; open = t.find('[', open + 1)) {
      const std::size_t close = t.find_first_of("[]", open + 1);
      if (close == std::string::npos) break;
      if (t[close] == '[') continue;
      if (close - open + 1 > kMaxCitationBytes) continue;
      std::string candidate = t.substr(open, close - open + 1);
      if (std::none_of(candidate.begin(), candidate.end(), [](char c) { return c >= '0' && c <= '9'; })) continue;
      std::string normal;
      for (std::size_t i = 0; i < candidate.size(); ++i) {
        if (candidate.compare(i, 2, "\xC2\xA0") == 0) {
          normal += ' ';
          ++i;
        } else if (candidate.compare(i, 3, "\xE2\x80\xAF") == 0 || candidate.compare(i, 3, "\xE2\x80\x89") == 0) {
          normal += ' ';
          i += 2;
        } else {
          normal += candidate[i];
        }
      }
      bool matches = false;
      try {
        matches = std::regex_match(normal, citation_);
      } catch (const std::regex_error&) {
        matches = true;  // a pattern too complex for the engine is not the author's fault
      }
      if (!matches && wrong.size() < 5) wrong.push_back(candidate);
    }
    if (!wrong.empty()) {
      const std::string example = rules_.reference_example.empty() ? "" : " " + rules_.reference_example;
      findings_.add("references", where, join(wrong), "ссылка в форме" + example);
    }
  }

  // ---- tables ----

  struct TableIssue {
    std::vector<std::size_t> rows;
    std::vector<std::string> found;
  };

  void body_table(pugi::xml_node table) {
    Block block;
    block.table = true;
    block.empty = false;
    block.number = ++tables_;
    block.where = "таблица " + std::to_string(block.number);
    std::map<std::string, TableIssue> issues;
    std::size_t row = 0;
    walk_table(table, issues, row, 0);
    for (const char* rule : {"font", "font_size", "line_spacing"}) {
      auto it = issues.find(rule);
      if (it == issues.end()) continue;
      const auto& rows = it->second.rows;
      std::string where = block.where + (rows.size() == 1 ? ", строка " : ", строки ");
      for (std::size_t i = 0; i < rows.size() && i < 10; ++i) where += (i ? ", " : "") + std::to_string(rows[i]);
      if (rows.size() > 10) where += " и другие";
      std::string expected;
      if (std::string_view(rule) == "font") expected = rules_.font;
      if (std::string_view(rule) == "font_size") expected = number(rules_.caption_font_size_pt) + " пт (текст таблицы)";
      if (std::string_view(rule) == "line_spacing") {
        expected = expected_spacing_text(rules_.caption_line_spacing) + " (текст таблицы)";
      }
      findings_.add(rule, {0, where}, join(it->second.found), expected);
    }
    blocks_.push_back(std::move(block));
  }

  void note(std::map<std::string, TableIssue>& issues, const std::string& rule, std::size_t row,
            const std::vector<std::string>& found) {
    auto& issue = issues[rule];
    if (issue.rows.empty() || issue.rows.back() != row) issue.rows.push_back(row);
    for (const auto& f : found) {
      if (std::find(issue.found.begin(), issue.found.end(), f) == issue.found.end() && issue.found.size() < 5) {
        issue.found.push_back(f);
      }
    }
  }

  // Rows are counted through nested tables and content controls, in document order; a nested table's
  // rows count as rows of the outer table, whose number the author sees.
  void walk_table(pugi::xml_node node, std::map<std::string, TableIssue>& issues, std::size_t& row, int depth) {
    if (depth > kMaxNesting) return;
    for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element) continue;
      const auto name = local_name(c.name());
      if (name == "tr") {
        ++row;
        walk_table(c, issues, row, depth + 1);
      } else if (name == "tc" || name == "tbl" || name == "customXml" || name == "sdtContent") {
        walk_table(c, issues, row, depth + 1);
      } else if (name == "sdt") {
        walk_table(child(c, "sdtContent"), issues, row, depth + 1);
      } else if (name == "p") {
        table_paragraph(c, issues, std::max<std::size_t>(row, 1));
      }
    }
  }

  void table_paragraph(pugi::xml_node node, std::map<std::string, TableIssue>& issues, std::size_t row) {
    Paragraph p = read_paragraph(node);
    figures_ += p.drawings;
    if (p.runs.empty()) return;
    if (auto wrong = wrong_fonts(p); !wrong.empty()) note(issues, "font", row, wrong);
    const long size = std::lround(rules_.caption_font_size_pt * 2);
    if (size > 0) {
      if (auto wrong = wrong_sizes(p, size); !wrong.empty()) note(issues, "font_size", row, wrong);
    }
    if (rules_.caption_line_spacing > 0) {
      if (auto wrong = wrong_spacing(p, rules_.caption_line_spacing)) note(issues, "line_spacing", row, {*wrong});
    }
    check_references(p, {0, "таблица " + std::to_string(tables_) + ", строка " + std::to_string(row)});
  }

  // ---- captions, margins ----

  // Clause 6.5 calls a table's caption its «заголовок» (a heading, above it by the Russian convention)
  // and a figure's a «подрисуночная подпись» (under it). A table's caption is accepted directly above or
  // below it; a figure's only directly below it, or in the figure's own paragraph. Empty paragraphs
  // between do not count as a gap.
  void check_captions() {
    auto neighbour = [&](std::size_t i, int step) -> const Block* {
      for (std::ptrdiff_t j = std::ptrdiff_t(i) + step; j >= 0 && j < std::ptrdiff_t(blocks_.size()); j += step) {
        if (!blocks_[std::size_t(j)].empty) return &blocks_[std::size_t(j)];
      }
      return nullptr;
    };
    auto is_caption = [](const Block* b) { return b != nullptr && !b->table && b->caption; };
    const std::string format = caption_format_text();
    for (std::size_t i = 0; i < blocks_.size(); ++i) {
      const Block& b = blocks_[i];
      if (b.table) {
        if (!is_caption(neighbour(i, -1)) && !is_caption(neighbour(i, +1))) {
          findings_.add("caption", {0, b.where}, "у таблицы нет подписи",
                        "подпись «Таблица N – название» над таблицей (" + format + ")");
        }
      } else if (b.figure > 0 && !b.own_caption && !is_caption(neighbour(i, +1))) {
        findings_.add("caption", {0, "рисунок " + std::to_string(b.figure) + ", " + b.where}, "под рисунком нет подписи",
                      "подпись «Рисунок N – название» под рисунком (" + format + ")");
      }
    }
  }

  void check_margins() {
    const bool margins_set = rules_.margin_left_cm > 0 || rules_.margin_right_cm > 0 || rules_.margin_top_cm > 0 ||
                             rules_.margin_bottom_cm > 0;
    if (!margins_set) return;
    const std::string expected = "левое " + cm_text(rules_.margin_left_cm) + ", верхнее " +
                                 cm_text(rules_.margin_top_cm) + ", нижнее " + cm_text(rules_.margin_bottom_cm) +
                                 ", правое " + cm_text(rules_.margin_right_cm);
    if (sections_.empty()) {
      findings_.add("margins", {0, "поля страницы"}, "поля в документе не заданы", expected);
      return;
    }
    for (std::size_t i = 0; i < sections_.size(); ++i) {
      const std::string where = sections_.size() == 1 ? "поля страницы" : "поля страницы, раздел " + std::to_string(i + 1);
      auto margins = child(sections_[i], "pgMar");
      if (!margins) {
        findings_.add("margins", {0, where}, "поля не заданы", expected);
        continue;
      }
      auto value = [&](const char* name) { return std::abs(detail::twips(attr(margins, name).value()).value_or(0)); };
      std::vector<std::string> found, wanted;
      auto compare = [&](const char* label, int twips, double want) {
        if (want <= 0) return;
        const double cm = twips / kTwipsPerCm;
        if (std::fabs(cm - want) <= kCmTolerance) return;
        found.push_back(std::string(label) + " " + cm_text(cm));
        wanted.push_back(std::string(label) + " " + cm_text(want));
      };
      compare("левое", value("left") + value("gutter"), rules_.margin_left_cm);
      compare("верхнее", value("top"), rules_.margin_top_cm);
      compare("нижнее", value("bottom"), rules_.margin_bottom_cm);
      compare("правое", value("right"), rules_.margin_right_cm);
      if (!found.empty()) findings_.add("margins", {0, where}, join(found), join(wanted));
    }
  }

  const timeline::DocumentFormat& rules_;
  StyleSheet& styles_;
  std::regex citation_;
  bool have_citation_ = false;
  Collector findings_;
  std::vector<Block> blocks_;
  std::vector<pugi::xml_node> sections_;
  std::size_t paragraphs_ = 0;
  std::size_t tables_ = 0;
  std::size_t figures_ = 0;
};

// ---- the package ------------------------------------------------------------------------------------

std::string resolve_target(const std::string& base_dir, std::string_view target) {
  std::string path = target.starts_with("/") ? std::string(target.substr(1)) : base_dir + std::string(target);
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string part = path.substr(start, end - start);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(std::move(part));
    }
    start = end + 1;
  }
  return join(parts, "/");
}

// Relationship id → package path, for the relationships whose type ends with `type_suffix` (all when empty).
std::map<std::string, std::string> relationships(pugi::xml_node root, const std::string& base_dir,
                                                 std::string_view type_suffix) {
  std::map<std::string, std::string> out;
  for (pugi::xml_node r = root.first_child(); r; r = r.next_sibling()) {
    if (local_name(r.name()) != "Relationship") continue;
    if (std::string_view(attr(r, "TargetMode").value()) == "External") continue;
    if (!std::string_view(attr(r, "Type").value()).ends_with(type_suffix)) continue;
    out.emplace(attr(r, "Id").value(), resolve_target(base_dir, attr(r, "Target").value()));
  }
  return out;
}

constexpr unsigned kParseOptions = pugi::parse_default | pugi::parse_ws_pcdata_single;

// Reads and parses an optional part: a missing part leaves `doc` empty, a broken one is a Status.
Status load_part(ZipReader& zip, const std::string& name, std::uint64_t cap, std::string& buffer,
                 pugi::xml_document& doc) {
  const auto* entry = zip.find(name);
  if (entry == nullptr) return Status::ok();
  auto bytes = zip.read(*entry, cap);
  if (!bytes.ok()) return bytes.status();
  buffer = std::move(*bytes);
  if (std::size_t(std::count(buffer.begin(), buffer.end(), '<') + std::count(buffer.begin(), buffer.end(), '=')) >
      kMaxMarkup) {
    return detail::too_large_status();
  }
  // No DTD processing: pugixml skips <!DOCTYPE> and expands only the five predefined entities and
  // character references, so entity bombs stay literal text.
  if (!doc.load_buffer_inplace(buffer.data(), buffer.size(), kParseOptions, pugi::encoding_auto)) {
    return detail::damaged_status();
  }
  return Status::ok();
}

Finding format_finding(std::string found) {
  return {"format", "файл", std::move(found),
          "документ Word в формате .docx: откройте файл в Word и сохраните его через «Файл → Сохранить как → "
          "Документ Word (*.docx)»"};
}

CheckResult single(std::string kind, Finding finding) {
  CheckResult r;
  r.ok = false;
  r.kind = std::move(kind);
  r.findings.push_back(std::move(finding));
  return r;
}

Result<CheckResult> check_zip(std::span<const unsigned char> bytes, const timeline::DocumentFormat& rules) {
  auto opened = ZipReader::open(bytes);
  if (!opened.ok()) return opened.status();
  ZipReader& zip = *opened;

  std::string main_part = "word/document.xml";
  {
    std::string buffer;
    pugi::xml_document rels;
    if (Status s = load_part(zip, "_rels/.rels", kMaxSidePartBytes, buffer, rels); !s.is_ok()) return s;
    auto office = relationships(rels.document_element(), "", "/officeDocument");
    if (!office.empty()) main_part = office.begin()->second;
  }
  if (zip.find(main_part) == nullptr) {
    return single("other", {"archive", "файл", "архив (ZIP) без документа Word внутри",
                            "документ Word (.docx) без архивации"});
  }
  const std::string doc_dir = main_part.rfind('/') == std::string::npos ? "" : main_part.substr(0, main_part.rfind('/') + 1);
  const std::string rels_name = doc_dir + "_rels/" + main_part.substr(doc_dir.size()) + ".rels";

  std::string rels_buffer, styles_buffer, theme_buffer, main_buffer;
  pugi::xml_document rels, styles, theme, document;
  if (Status s = load_part(zip, rels_name, kMaxSidePartBytes, rels_buffer, rels); !s.is_ok()) return s;
  auto part_of = [&](std::string_view type, const char* fallback) {
    auto found = relationships(rels.document_element(), doc_dir, type);
    return found.empty() ? doc_dir + fallback : found.begin()->second;
  };
  if (Status s = load_part(zip, part_of("/styles", "styles.xml"), kMaxSidePartBytes, styles_buffer, styles); !s.is_ok()) {
    return s;
  }
  if (Status s = load_part(zip, part_of("/theme", "theme/theme1.xml"), kMaxSidePartBytes, theme_buffer, theme);
      !s.is_ok()) {
    return s;
  }
  if (Status s = load_part(zip, main_part, kMaxMainPartBytes, main_buffer, document); !s.is_ok()) return s;
  auto body = child(document.document_element(), "body");
  if (!body) return detail::damaged_status();

  StyleSheet sheet;
  sheet.load(styles.document_element(), theme.document_element());
  Checker checker(rules, sheet);
  checker.walk_body(body, 0);
  checker.finish();

  CheckResult result;
  result.kind = "docx";
  result.findings = std::move(checker.findings()).finish();
  result.ok = result.findings.empty();
  result.paragraphs = checker.paragraphs();
  result.tables = checker.tables();
  result.images = checker.images();
  return result;
}

}  // namespace

nlohmann::json CheckResult::to_json() const {
  auto list = nlohmann::json::array();
  for (const auto& f : findings) {
    list.push_back({{"rule", f.rule}, {"where", f.where}, {"found", f.found}, {"expected", f.expected}});
  }
  return {{"ok", ok}, {"kind", kind}, {"findings", std::move(list)},
          {"paragraphs", paragraphs}, {"tables", tables}, {"images", images}};
}

Result<CheckResult> check_document(std::span<const unsigned char> bytes, const timeline::DocumentFormat& rules) {
  try {
    if (bytes.size() > kMaxDocumentBytes) return detail::too_large_status();
    auto starts = [&](std::string_view magic) {
      return bytes.size() >= magic.size() && std::equal(magic.begin(), magic.end(), bytes.begin(), [](char m, unsigned char b) {
               return static_cast<unsigned char>(m) == b;
             });
    };
    if (starts("PK\x03\x04") || starts("PK\x05\x06")) return check_zip(bytes, rules);
    if (starts("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) return single("doc", format_finding("документ Word 97–2003 (.doc)"));
    if (starts("{\\rtf")) return single("other", format_finding("документ RTF"));
    return Status::unsupported("unsupported_document",
                               "Файл не является документом Word (.docx). Сохраните файл в Word как "
                               "«Документ Word (*.docx)» и загрузите снова.");
  } catch (const std::bad_alloc&) {
    return detail::too_large_status();
  } catch (...) {
    return Status::internal("document_check_failed", "Не удалось проверить документ; попробуйте загрузить его ещё раз.");
  }
}

Result<CheckResult> check_document_file(const std::filesystem::path& file, const timeline::DocumentFormat& rules) {
  auto not_found = [] { return Status::not_found("document_not_found", "Файл документа не найден или не читается."); };
  try {
    std::error_code ec;
    const auto size = std::filesystem::file_size(file, ec);
    if (ec) return not_found();
    if (size > kMaxDocumentBytes) return detail::too_large_status();
    std::ifstream in(file, std::ios::binary);
    if (!in) return not_found();
    std::vector<unsigned char> bytes(size);
    in.read(reinterpret_cast<char*>(bytes.data()), std::streamsize(size));
    if (std::size_t(in.gcount()) != size) return not_found();
    return check_document(bytes, rules);
  } catch (const std::bad_alloc&) {
    return detail::too_large_status();
  } catch (...) {
    return Status::internal("document_check_failed", "Не удалось проверить документ; попробуйте загрузить его ещё раз.");
  }
}

}  // namespace praktika::documents
