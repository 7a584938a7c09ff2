#include "certificates/typeset.h"

#include <algorithm>

#include "mail/template.h"
#include "pdf/pdf.h"

namespace praktika::certificates {
namespace {

using nlohmann::json;

std::string scalar(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<std::int64_t>());
  if (v.is_number()) return v.dump();
  if (v.is_boolean()) return v.get<bool>() ? "да" : "нет";
  return {};
}

std::string option_title(const timeline::FormField& field, const std::string& value) {
  for (const auto& o : field.options)
    if (o.id == value) return o.title;
  return value;
}

// A field's answer as paragraphs: a scalar is one; an object gives "label: value" lines; a list
// numbers its items.
std::vector<std::string> field_text(const timeline::FormField& field, const json& value) {
  std::vector<std::string> out;
  if (value.is_null()) return out;
  if (field.type == "object" && value.is_object()) {
    for (const auto& sub : field.fields) {
      auto it = value.find(sub.id);
      if (it == value.end()) continue;
      auto lines = field_text(sub, *it);
      if (lines.empty()) continue;
      std::string joined;
      for (const auto& l : lines) joined += (joined.empty() ? "" : "; ") + l;
      out.push_back(sub.label + ": " + joined);
    }
    return out;
  }
  if (field.type == "list" && value.is_array()) {
    int n = 0;
    for (const auto& item : value) {
      ++n;
      std::string text;
      if (item.is_object()) {
        for (const auto& sub : field.fields) {
          auto it = item.find(sub.id);
          if (it == item.end()) continue;
          auto lines = field_text(sub, *it);
          for (const auto& l : lines) text += (text.empty() ? "" : "; ") + sub.label + ": " + l;
        }
      } else {
        text = scalar(item);
      }
      if (!text.empty()) out.push_back(std::to_string(n) + ") " + text);
    }
    return out;
  }
  std::string s = field.type == "choice" ? option_title(field, scalar(value)) : scalar(value);
  if (!s.empty()) out.push_back(s);
  return out;
}

pdf::Style style_of(const std::string& font, double size, bool bold, pdf::Align align, double after = 4) {
  pdf::Style s;
  s.font = font;
  s.size_pt = size;
  s.bold = bold;
  s.align = align;
  s.space_after_pt = after;
  return s;
}

// One pass over the whole proceedings. The table of contents shows `pages` (practice id -> page),
// "…" where unknown yet; its height does not depend on the numbers, so a second pass with the
// numbers of the first lays out every page the same.
// The values with a section's number and title ({section}, {section_title}), for its heading.
std::map<std::string, std::string> with_section(std::map<std::string, std::string> values,
                                                const timeline::Agenda& agenda, int number) {
  values["section"] = std::to_string(number);
  const auto* section = agenda.find_section(number);
  values["section_title"] = section ? section->title : "";
  return values;
}

Result<ProceedingsResult> one_pass(const timeline::Agenda& agenda, const ProceedingsSettings& settings,
                                   const std::map<std::string, std::string>& values,
                                   const std::vector<ProceedingsPractice>& practices,
                                   const std::map<std::int64_t, int>& pages, const std::filesystem::path* file) {
  pdf::PageSetup setup;  // A4 portrait, page numbers from the first page
  std::string memory;
  auto made = file ? pdf::Typesetter::to_file(*file, setup) : pdf::Typesetter::to_memory(&memory, setup);
  if (!made) return made.status();
  auto& doc = **made;
  const std::string& font = settings.font;

  doc.vertical_space(60);
  doc.paragraph(mail::fill(settings.title, values), style_of(font, 22, true, pdf::Align::centre, 18));
  for (const auto& line : settings.title_lines)
    doc.paragraph(mail::fill(line, values), style_of(font, 14, false, pdf::Align::centre, 8));

  doc.new_page();
  doc.paragraph(settings.contents_title, style_of(font, 16, true, pdf::Align::centre, 12));
  int current_section = -1;
  pdf::Style toc = style_of(font, 11, false, pdf::Align::left, 3);
  for (const auto& p : practices) {
    if (p.section != current_section) {
      current_section = p.section;
      auto v = with_section(values, agenda, p.section);
      auto heading = style_of(font, 12, true, pdf::Align::left, 4);
      heading.space_before_pt = 8;
      doc.paragraph(mail::fill(settings.section_heading, v), heading);
    }
    auto it = pages.find(p.id);
    std::string page = it == pages.end() ? "…" : std::to_string(it->second);
    std::string entry = p.title + (p.institution.empty() ? "" : " (" + p.institution + ")");
    doc.rows({{entry, page}}, toc, 155);
  }

  ProceedingsResult result;
  current_section = -1;
  for (const auto& p : practices) {
    doc.new_page();
    result.first_page[p.id] = doc.page();
    if (p.section != current_section) {
      current_section = p.section;
      doc.paragraph(mail::fill(settings.section_heading, with_section(values, agenda, p.section)),
                    style_of(font, 12, false, pdf::Align::centre, 10));
    }
    doc.paragraph(p.title, style_of(font, 16, true, pdf::Align::centre, 6));
    if (!p.institution.empty()) doc.paragraph(p.institution, style_of(font, 12, false, pdf::Align::centre, 2));
    if (!p.type_title.empty()) doc.paragraph(p.type_title, style_of(font, 11, false, pdf::Align::centre, 12));
    if (!agenda.practice) continue;
    for (const auto& field : agenda.practice->fields) {
      auto it = p.answers.find(field.id);
      if (it == p.answers.end()) continue;
      auto lines = field_text(field, *it);
      if (lines.empty()) continue;
      auto label = style_of(font, 12, true, pdf::Align::left, 3);
      label.space_before_pt = 6;
      doc.paragraph((field.number ? std::to_string(field.number) + ". " : "") + field.label, label);
      auto body = style_of(font, 12, false, pdf::Align::justify, 3);
      body.first_line_indent_mm = 12.5;
      for (const auto& line : lines) doc.paragraph(line, body);
    }
  }
  result.pages = doc.page();
  if (auto s = doc.finish(); !s) return s;
  return result;
}

}  // namespace

Status typeset_certificate(const Template& t, const std::map<std::string, std::string>& values,
                           const std::string& verify_url, const std::filesystem::path& file) {
  pdf::PageSetup setup;
  if (t.landscape) std::swap(setup.width_mm, setup.height_mm);
  setup.margin_left_mm = setup.margin_right_mm = setup.margin_top_mm = setup.margin_bottom_mm = t.margin_mm;
  setup.page_numbers = false;
  auto made = pdf::Typesetter::to_file(file, setup);
  if (!made) return made.status();
  auto& doc = **made;
  for (const auto& b : t.blocks) {
    if (b.space_before_mm > 0) doc.vertical_space(b.space_before_mm);
    if (b.qr) {
      if (auto s = doc.qr_code(verify_url, b.qr_size_mm, b.align); !s) return s;
    } else {
      pdf::Style style = style_of(t.font, b.size_pt, b.bold, b.align, 0);
      style.italic = b.italic;
      doc.paragraph(mail::fill(b.text, values), style);
    }
    if (b.space_after_mm > 0) doc.vertical_space(b.space_after_mm);
  }
  return doc.finish();
}

Result<std::string> typeset_order(const timeline::Agenda& agenda, const OrderSettings& settings,
                                  const std::map<std::string, std::string>& values,
                                  const std::vector<OrderPractice>& practices) {
  pdf::PageSetup setup;
  setup.margin_left_mm = 30;  // a bound document's margins
  setup.margin_right_mm = 15;
  std::string out;
  auto made = pdf::Typesetter::to_memory(&out, setup);
  if (!made) return made.status();
  auto& doc = **made;
  const std::string& font = settings.font;
  for (const auto& line : settings.header_lines)
    doc.paragraph(mail::fill(line, values), style_of(font, 12, false, pdf::Align::centre, 2));
  doc.vertical_space(8);
  doc.paragraph(mail::fill(settings.title, values), style_of(font, 16, true, pdf::Align::centre, 8));
  if (!settings.subject.empty())
    doc.paragraph(mail::fill(settings.subject, values), style_of(font, 13, true, pdf::Align::centre, 10));
  auto body = style_of(font, 13, false, pdf::Align::justify, 4);
  body.first_line_indent_mm = 12.5;
  for (const auto& line : settings.preamble) doc.paragraph(mail::fill(line, values), body);

  // The agenda's sections in their order; practices of a section the agenda lacks (or of an event
  // without sections) in one list without a heading.
  std::vector<int> order;
  for (const auto& s : agenda.sections) order.push_back(s.number);
  for (const auto& p : practices)
    if (std::find(order.begin(), order.end(), p.section) == order.end()) order.push_back(p.section);
  int n = 0;
  for (int number : order) {
    const auto* section = agenda.find_section(number);
    bool any = std::any_of(practices.begin(), practices.end(), [&](const OrderPractice& p) { return p.section == number; });
    if (!any && settings.empty_section.empty()) continue;
    if (section) {
      auto v = with_section(values, agenda, number);
      auto heading = style_of(font, 13, true, pdf::Align::left, 4);
      heading.space_before_pt = 10;
      doc.paragraph(mail::fill(settings.section_heading, v), heading);
    }
    if (!any) doc.paragraph(mail::fill(settings.empty_section, values), style_of(font, 13, false, pdf::Align::left, 3));
    for (const auto& p : practices) {
      if (p.section != number) continue;
      std::string authors;
      for (const auto& a : p.authors)
        authors += (authors.empty() ? "" : ", ") +
                   mail::fill(settings.author, {{"full_name", a.full_name}, {"institution", a.institution}});
      std::map<std::string, std::string> v = values;
      v["n"] = std::to_string(++n);
      v["title"] = p.title;
      v["authors"] = authors;
      v["institution"] = p.institution;
      v["outcome"] = p.outcome;
      doc.paragraph(mail::fill(settings.item, v), style_of(font, 13, false, pdf::Align::justify, 4));
    }
  }
  doc.vertical_space(10);
  for (const auto& line : settings.closing_lines)
    doc.paragraph(mail::fill(line, values), style_of(font, 13, false, pdf::Align::left, 4));
  if (auto s = doc.finish(); !s) return s;
  return out;
}

Result<ProceedingsResult> typeset_proceedings(const timeline::Agenda& agenda, const ProceedingsSettings& settings,
                                              const std::map<std::string, std::string>& values,
                                              const std::vector<ProceedingsPractice>& practices,
                                              const std::filesystem::path& file) {
  auto first = one_pass(agenda, settings, values, practices, {}, nullptr);
  if (!first) return first.status();
  auto second = one_pass(agenda, settings, values, practices, first->first_page, &file);
  if (!second) return second.status();
  // Both passes lay out the same lines; should a page number ever be wider than "…" and push a
  // contents line over, the numbers printed would be off, so that is reported, not hidden.
  if (second->first_page != first->first_page)
    return Status::internal("proceedings_layout", "Оглавление сборника не сошлось со страницами.");
  return second;
}

}  // namespace praktika::certificates
