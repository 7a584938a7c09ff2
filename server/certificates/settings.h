// The agenda's "certificates" and "proceedings" parts (agenda/schema.json documents them): the
// document templates, the rules that choose one per person, the texts of the proceedings. Read
// strictly at start-up; pure, any thread.
#pragma once

#include <map>
#include <string>
#include <variant>
#include <vector>

#include "pdf/pdf.h"
#include "timeline/agenda.h"

namespace praktika::certificates {

// One piece of a document: a paragraph of text with {placeholders}, or the verification QR code.
struct Block {
  std::string text;  // empty for a QR block
  bool qr = false;
  double qr_size_mm = 30;
  double size_pt = 14;
  bool bold = false;
  bool italic = false;
  pdf::Align align = pdf::Align::centre;
  double space_before_mm = 0;
  double space_after_mm = 2;
};

struct Template {
  std::string id;
  std::string title;      // "Сертификат участника", also {template_title}
  std::string file_name;  // "Сертификат {number}.pdf"
  bool landscape = false;
  std::string font = "DejaVu Serif";
  double margin_mm = 15;
  std::vector<Block> blocks;
};

// The first rule that fits a person chooses the template. A rule fits when the person has one
// of `roles` (any when empty) and one of their practices has an outcome in `outcomes` (any
// when empty; "none" stands for a practice without an outcome).
struct Rule {
  std::string template_id;
  std::vector<std::string> roles;  // "author" | "attendee"
  std::vector<std::string> outcomes;
};

struct Settings {
  bool enabled = false;  // the part is present
  std::string site_url;  // "https://praktika.example.org": links in the documents and letters
  int attendance_min_minutes = 15;
  int workers = 2;
  std::string mail_template = "certificate";  // a template of the agenda's mail part
  // Named values a template may use: each is the first non-empty of its sources
  // ("user.full_name", "user.email", "registration.<field>", "practice.<field path>").
  std::map<std::string, std::vector<std::string>> values;
  // The line each practice or attended section adds to {took_part}, by the practice's outcome
  // ("present", "gallery", "none", …) or "attendee"; "practice" when no outcome's line is given.
  std::map<std::string, std::string> took_part;
  // How the verify page names a person's part: "author", "attendee" → «автор практики», ….
  std::map<std::string, std::string> roles;
  std::vector<std::string> months;  // 12 month names as in a date ("января", …)
  std::string date_format = "{day} {month} {year} г.";
  std::vector<Template> templates;
  std::vector<Rule> rules;

  const Template* find_template(const std::string& id) const;
};

struct ProceedingsSettings {
  bool enabled = false;
  std::string title;            // "Сборник материалов …"
  std::vector<std::string> title_lines;  // further lines of the title page ({event_title}, {forum}, …)
  std::string contents_title = "Содержание";
  std::string section_heading = "Секция {section}. {section_title}";
  std::string file_name = "Сборник материалов.pdf";
  std::vector<std::string> outcomes = {"present", "gallery"};
  std::string mail_template = "proceedings";
  std::string font = "DejaVu Serif";
};

// The organiser's order on the results (conference clause 3.1: «распорядительный документ по
// результатам … на основе заключения экспертной группы»): the admitted practices by section with
// their authors. Every text is the agenda's; {placeholders} as in the proceedings.
struct OrderSettings {
  bool enabled = false;
  std::vector<std::string> header_lines;  // above the title: the organiser's name, the place
  std::string title;                      // "ПРИКАЗ"
  std::string subject;                    // "Об итогах интернет-конференции «{event_title}»"
  std::vector<std::string> preamble;      // paragraphs before the list
  std::string section_heading = "Секция {section}. {section_title}";
  // One line per practice: {n}, {title}, {authors}, {institution}, {outcome} (the decision's title).
  std::string item = "{n}. «{title}» — {authors} ({institution})";
  std::string author = "{full_name}";  // one author in {authors}: {full_name}, {institution}
  std::string empty_section;           // shown under a section without admitted practices; empty: skipped
  std::vector<std::string> closing_lines;  // after the list: the signature
  std::string file_name = "Приказ об итогах.pdf";
  std::vector<std::string> outcomes = {"present", "gallery"};  // the decisions that admit a practice
  std::string font = "DejaVu Serif";
  // Where the names come from: the author's name and institution in their registration (the
  // account's name when the field is empty), the implementing organisation in the practice.
  std::string author_name_field;
  std::string author_institution_field = "institution";
  std::string institution_field = "organisation.name";
};

std::variant<Settings, timeline::AgendaError> read_settings(const timeline::Agenda& agenda);
std::variant<ProceedingsSettings, timeline::AgendaError> read_proceedings(const timeline::Agenda& agenda);
std::variant<OrderSettings, timeline::AgendaError> read_order(const timeline::Agenda& agenda);

}  // namespace praktika::certificates
