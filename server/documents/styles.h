// Internal to praktika_documents: WordprocessingML properties and their inheritance, read from
// word/styles.xml (and the theme's fonts). Effective properties = document defaults → the style's
// basedOn chain (oldest first, at most kMaxStyleChain deep, cycles cut) → direct formatting.
// Not thread-safe; one check owns one StyleSheet.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <pugixml.hpp>

namespace praktika::documents::detail {

inline constexpr int kMaxStyleChain = 16;

// Namespace prefixes are the writer's choice; matching on local names accepts any of them.
std::string_view local_name(std::string_view qualified);
pugi::xml_node child(pugi::xml_node node, std::string_view local);
pugi::xml_attribute attr(pugi::xml_node node, std::string_view local);
std::optional<int> twips(std::string_view value);        // "709", "-120", "1.25cm", "14pt"
std::optional<int> half_points(std::string_view value);  // "28", "14pt"
bool on_off(pugi::xml_node toggle);                       // <w:b/>, <w:b w:val="0"/>, ...

// Each field is set only when some level said so; overlay() lets a later level win, field by field.
struct RunProps {
  std::optional<std::string> ascii, h_ansi, ascii_theme, h_ansi_theme;
  std::optional<int> size_half_points;
  std::optional<bool> bold;

  void overlay(const RunProps& later);
};

struct ParaProps {
  std::optional<int> line;                // 240ths of a line (auto) or twips (exact, atLeast)
  std::optional<std::string> line_rule;   // "auto" when absent
  std::optional<std::string> alignment;   // w:jc
  std::optional<int> first_line;          // twips
  std::optional<int> hanging;             // twips; wins over first_line
  std::optional<int> outline_level;       // 0..8 heading levels, 9 body text
  std::optional<bool> numbered;           // w:numPr with a non-zero numId

  void overlay(const ParaProps& later);
};

RunProps parse_run_props(pugi::xml_node rpr);
ParaProps parse_para_props(pugi::xml_node ppr);

class StyleSheet {
 public:
  // Both documents may be empty (the parts are optional in a .docx).
  void load(pugi::xml_node styles_root, pugi::xml_node theme_root);

  struct Resolved {
    ParaProps para;
    RunProps run;
    bool heading = false;  // a "heading N" / «Заголовок N» / Title style somewhere in the chain
    bool caption = false;  // "caption" / «Название объекта» somewhere in the chain
  };
  // Defaults → paragraph style chain; an empty or unknown id means the default paragraph style.
  const Resolved& paragraph_style(std::string_view style_id);
  // The run properties a character style adds (its chain only, no defaults).
  const RunProps& character_style(std::string_view style_id);
  // The font used for text of the given kind, after the theme; Word's built-in default when unset.
  std::string font_for(const RunProps& props, bool ascii_text) const;

 private:
  struct Style {
    std::string type, name, based_on;
    ParaProps para;
    RunProps run;
  };
  template <typename Fn>
  void walk_chain(std::string_view id, Fn&& fn) const;

  std::map<std::string, Style, std::less<>> styles_;
  std::string default_paragraph_style_;
  std::string default_character_style_;
  ParaProps default_para_;
  RunProps default_run_;
  std::string major_font_, minor_font_;
  std::map<std::string, Resolved, std::less<>> paragraph_cache_;
  std::map<std::string, RunProps, std::less<>> character_cache_;
};

}  // namespace praktika::documents::detail
