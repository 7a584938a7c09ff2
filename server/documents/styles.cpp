#include "documents/styles.h"

#include <charconv>
#include <cmath>
#include <vector>

namespace praktika::documents::detail {
namespace {

std::string normalised(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == ' ') continue;
    out += (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
  }
  return out;
}

bool starts_with_any(std::string_view s, std::initializer_list<std::string_view> prefixes) {
  for (auto p : prefixes) {
    if (s.substr(0, p.size()) == p) return true;
  }
  return false;
}

bool heading_name(std::string_view raw) {
  const std::string n = normalised(raw);
  if (n == "title") return true;
  if (n.size() == 8 && n.starts_with("heading") && n[7] >= '1' && n[7] <= '9') return true;
  return starts_with_any(raw, {"Заголовок", "заголовок"});
}

bool caption_name(std::string_view raw) {
  return normalised(raw) == "caption" || starts_with_any(raw, {"Название объекта", "название объекта"});
}

// A number with an optional universal-measure unit, converted with `per_unit` (unit → target units).
std::optional<double> measure(std::string_view value, double per_pt, double per_plain) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  double number = 0;
  const char* begin = value.data();
  const char* end = value.data() + value.size();
  if (begin != end && *begin == '+') ++begin;
  auto [rest, ec] = std::from_chars(begin, end, number);
  if (ec != std::errc() || !std::isfinite(number)) return std::nullopt;
  const std::string_view unit(rest, std::size_t(end - rest));
  double factor = per_plain;
  if (unit.empty()) factor = per_plain;
  else if (unit == "pt") factor = per_pt;
  else if (unit == "cm") factor = per_pt * 72 / 2.54;
  else if (unit == "mm") factor = per_pt * 72 / 25.4;
  else if (unit == "in") factor = per_pt * 72;
  else if (unit == "pc" || unit == "pi") factor = per_pt * 12;
  else return std::nullopt;
  const double result = number * factor;
  if (std::fabs(result) > 1e9) return std::nullopt;
  return result;
}

}  // namespace

std::string_view local_name(std::string_view qualified) {
  const auto colon = qualified.find(':');
  return colon == std::string_view::npos ? qualified : qualified.substr(colon + 1);
}

pugi::xml_node child(pugi::xml_node node, std::string_view local) {
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && local_name(c.name()) == local) return c;
  }
  return {};
}

pugi::xml_attribute attr(pugi::xml_node node, std::string_view local) {
  for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute()) {
    if (local_name(a.name()) == local) return a;
  }
  return {};
}

std::optional<int> twips(std::string_view value) {
  auto v = measure(value, 20, 1);
  if (!v) return std::nullopt;
  return int(std::lround(*v));
}

std::optional<int> half_points(std::string_view value) {
  auto v = measure(value, 2, 1);
  if (!v) return std::nullopt;
  return int(std::lround(*v));
}

bool on_off(pugi::xml_node toggle) {
  auto val = attr(toggle, "val");
  if (!val) return true;
  const std::string_view v = val.value();
  return !(v == "0" || v == "false" || v == "off");
}

void RunProps::overlay(const RunProps& later) {
  // An explicit font at a later level replaces an inherited theme font (what Word shows), and the
  // other way round.
  if (later.ascii || later.ascii_theme) {
    ascii = later.ascii;
    ascii_theme = later.ascii_theme;
  }
  if (later.h_ansi || later.h_ansi_theme) {
    h_ansi = later.h_ansi;
    h_ansi_theme = later.h_ansi_theme;
  }
  if (later.size_half_points) size_half_points = later.size_half_points;
  if (later.bold) bold = later.bold;
}

void ParaProps::overlay(const ParaProps& later) {
  if (later.line) line = later.line;
  if (later.line_rule) line_rule = later.line_rule;
  if (later.alignment) alignment = later.alignment;
  if (later.first_line || later.hanging) {
    first_line = later.first_line;
    hanging = later.hanging;
  }
  if (later.outline_level) outline_level = later.outline_level;
  if (later.numbered) numbered = later.numbered;
}

RunProps parse_run_props(pugi::xml_node rpr) {
  RunProps p;
  if (!rpr) return p;
  for (pugi::xml_node c = rpr.first_child(); c; c = c.next_sibling()) {
    const auto name = local_name(c.name());
    if (name == "rFonts") {
      if (auto a = attr(c, "ascii")) p.ascii = a.value();
      if (auto a = attr(c, "hAnsi")) p.h_ansi = a.value();
      if (auto a = attr(c, "asciiTheme")) p.ascii_theme = a.value();
      if (auto a = attr(c, "hAnsiTheme")) p.h_ansi_theme = a.value();
    } else if (name == "sz") {
      if (auto a = attr(c, "val")) p.size_half_points = half_points(a.value());
    } else if (name == "b") {
      p.bold = on_off(c);
    }
  }
  return p;
}

ParaProps parse_para_props(pugi::xml_node ppr) {
  ParaProps p;
  if (!ppr) return p;
  for (pugi::xml_node c = ppr.first_child(); c; c = c.next_sibling()) {
    const auto name = local_name(c.name());
    if (name == "spacing") {
      if (auto a = attr(c, "line")) p.line = twips(a.value());
      if (auto a = attr(c, "lineRule")) p.line_rule = a.value();
    } else if (name == "jc") {
      if (auto a = attr(c, "val")) p.alignment = a.value();
    } else if (name == "ind") {
      if (auto a = attr(c, "firstLine")) p.first_line = twips(a.value());
      if (auto a = attr(c, "hanging")) p.hanging = twips(a.value());
      if (p.hanging && !p.first_line) p.first_line = 0;
      if (p.first_line && !p.hanging) p.hanging = 0;
    } else if (name == "outlineLvl") {
      if (auto a = attr(c, "val")) {
        int level = 9;
        const std::string_view v = a.value();
        std::from_chars(v.data(), v.data() + v.size(), level);
        p.outline_level = level;
      }
    } else if (name == "numPr") {
      auto id = child(c, "numId");
      p.numbered = id && std::string_view(attr(id, "val").value()) != "0";
    }
  }
  return p;
}

void StyleSheet::load(pugi::xml_node styles_root, pugi::xml_node theme_root) {
  if (auto defaults = child(styles_root, "docDefaults")) {
    default_run_ = parse_run_props(child(child(defaults, "rPrDefault"), "rPr"));
    default_para_ = parse_para_props(child(child(defaults, "pPrDefault"), "pPr"));
  }
  for (pugi::xml_node s = styles_root.first_child(); s; s = s.next_sibling()) {
    if (local_name(s.name()) != "style") continue;
    const std::string id = attr(s, "styleId").value();
    if (id.empty() || styles_.contains(id)) continue;
    Style style;
    style.type = attr(s, "type").value();
    style.name = attr(child(s, "name"), "val").value();
    style.based_on = attr(child(s, "basedOn"), "val").value();
    style.para = parse_para_props(child(s, "pPr"));
    style.run = parse_run_props(child(s, "rPr"));
    const std::string_view is_default = attr(s, "default").value();
    if (is_default == "1" || is_default == "true" || is_default == "on") {
      if (style.type == "paragraph" && default_paragraph_style_.empty()) default_paragraph_style_ = id;
      if (style.type == "character" && default_character_style_.empty()) default_character_style_ = id;
    }
    styles_.emplace(id, std::move(style));
  }
  auto font_scheme = child(child(theme_root, "themeElements"), "fontScheme");
  major_font_ = attr(child(child(font_scheme, "majorFont"), "latin"), "typeface").value();
  minor_font_ = attr(child(child(font_scheme, "minorFont"), "latin"), "typeface").value();
}

template <typename Fn>
void StyleSheet::walk_chain(std::string_view id, Fn&& fn) const {
  std::vector<const Style*> chain;
  std::vector<std::string_view> seen;
  for (int depth = 0; depth < kMaxStyleChain && !id.empty(); ++depth) {
    auto it = styles_.find(id);
    if (it == styles_.end()) break;
    bool cycle = false;
    for (auto s : seen) cycle = cycle || s == id;
    if (cycle) break;
    seen.push_back(id);
    chain.push_back(&it->second);
    id = it->second.based_on;
  }
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) fn(**it, seen[std::size_t(chain.rend() - it - 1)]);
}

const StyleSheet::Resolved& StyleSheet::paragraph_style(std::string_view style_id) {
  std::string id(style_id);
  if (id.empty() || !styles_.contains(id)) id = default_paragraph_style_;
  if (auto it = paragraph_cache_.find(id); it != paragraph_cache_.end()) return it->second;
  Resolved r;
  r.para = default_para_;
  r.run = default_run_;
  walk_chain(id, [&](const Style& s, std::string_view sid) {
    r.para.overlay(s.para);
    r.run.overlay(s.run);
    r.heading = r.heading || heading_name(s.name) || heading_name(sid);
    r.caption = r.caption || caption_name(s.name) || caption_name(sid);
  });
  if (r.para.outline_level && *r.para.outline_level >= 0 && *r.para.outline_level < 9) r.heading = true;
  return paragraph_cache_.emplace(id, std::move(r)).first->second;
}

const RunProps& StyleSheet::character_style(std::string_view style_id) {
  std::string id(style_id);
  if (id.empty() || !styles_.contains(id)) id = default_character_style_;
  if (auto it = character_cache_.find(id); it != character_cache_.end()) return it->second;
  RunProps r;
  walk_chain(id, [&](const Style& s, std::string_view) { r.overlay(s.run); });
  return character_cache_.emplace(id, std::move(r)).first->second;
}

std::string StyleSheet::font_for(const RunProps& props, bool ascii_text) const {
  const auto& theme = ascii_text ? props.ascii_theme : props.h_ansi_theme;
  const auto& font = ascii_text ? props.ascii : props.h_ansi;
  if (theme) {
    const std::string_view t = *theme;
    const std::string& resolved = t.starts_with("major") ? major_font_ : minor_font_;
    return resolved.empty() ? "шрифт темы (" + *theme + ")" : resolved;
  }
  if (font) return *font;
  // Word's own default when neither the document nor its styles name a font.
  return "Times New Roman";
}

}  // namespace praktika::documents::detail
