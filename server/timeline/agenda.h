// An event's agenda: every date, limit, form field and fee of one event, loaded from agenda/<id>.json
// and validated once at start-up. An Agenda is a plain immutable value after loading; any thread may
// read it. The loader never throws and never crashes, whatever the bytes (it is fuzzed).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/time.h"
#include "common/words.h"

namespace praktika::timeline {

// The stage ids the server knows; an agenda lists any subset of them, in any order.
inline constexpr std::string_view kStageIds[] = {"intake", "review", "gallery", "flashmob", "sections", "awards"};

struct Stage {
  std::string id;
  std::string title;
  std::string description;
  TimePoint opens;   // open when opens <= now < closes
  TimePoint closes;
};

// Top-level parts of an agenda that belong to one stage module each. The loader checks only that
// each is an object; the owning module reads it strictly with reader::read_part() at start-up.
inline constexpr std::string_view kModuleParts[] = {"review",       "gallery",     "flashmob", "section_day",
                                                    "certificates", "proceedings", "contest",  "mail",
                                                    "order",        "reminders"};

// A named instant that is not a stage window: "decision_notice_by", "flashmob_feed_starts", ...
struct Milestone {
  std::string id;
  std::string title;
  TimePoint at;
  // The organiser is warned this many days before `at` while work for it is left (server/reminders).
  std::optional<int> warn_days_before;
};

// One entry of a closed list: payment forms, practice types, creative-work kinds, choice options.
struct Choice {
  std::string id;
  std::string title;
  std::string description;
};

// A value the organiser must still fill in is marked in the data: "placeholder": true marks every
// value of its object, a list of keys only those. Such a value is never shown to the public
// (public_json leaves it out), start-up warns about it, and the organiser's desk lists it.
struct Contact {
  std::string name;
  std::string phone;
  std::string email;
  std::vector<std::string> placeholder;  // keys of this contact still to be filled in

  bool is_placeholder(std::string_view key) const;
  // «attestovan38@mail.ru, тел. 8 (3952) 00-00-00»: the real values only; empty when none.
  std::string reach() const;
};

// An organiser of the event and, when the agenda gives one, how participants reach them.
struct Organiser {
  std::string id;
  std::string title;
  std::string description;
  Contact contact;
};

struct Section {
  int number = 0;  // 1..n, unique
  std::string title;
  std::string description;
  Contact contact;
  std::string room_url;  // external video room
};

struct Session {
  std::string id;  // "welcome", "sections", "results"
  std::string title;
  TimePoint starts;
  TimePoint ends;
  std::string stage;  // the stage it belongs to, or empty
  std::string room_url;
  std::string moderator;
  std::string access_by;  // who connects people and provides access
};

// An external place the server links to (video room, flashmob site, gallery platform).
struct Venue {
  std::string id;
  std::string title;
  std::string url;
};

// The payment contract's text (fees.contract_document): every sentence is data with {placeholders}
// the intake fills ({number}, {date}, {event}, {organiser}, {payer}, {count}, {count_practices}, {per_practice},
// {amount}, {amount_words}, {currency}, {payment_purpose}, {numbers}; {n}, {title}, {section} in
// practice_line). Labels name the organiser's requisites (keys of fees.contract) and the payer's
// rows (fields of the registration form), in the order printed.
struct ContractLabel {
  std::string key;
  std::string label;
};
struct ContractDocument {
  std::string title;
  std::string place;
  std::map<std::string, std::string> preamble;     // by payment form id
  std::map<std::string, std::string> payer_field;  // by payment form id: the registration field naming the payer
  std::vector<std::string> clauses;
  std::string practices_heading;
  std::string practice_line;
  std::string total;
  std::string purpose;
  std::string requisites_heading;
  std::vector<ContractLabel> requisites;
  std::string payer_heading;
  std::vector<ContractLabel> payer_rows;
  std::vector<std::string> signatures;
  std::string currency_short;               // "руб."
  std::vector<std::string> currency_words;  // "рубль", "рубля", "рублей": for 1, 2–4, 5+
  // The submitted thing after a count in the clauses ({count_practices}: "1 практику",
  // "2 практики", "5 практик"): for 1, 2–4, 5+.
  std::vector<std::string> counted;
};

struct Fees {
  std::string currency;               // "RUB"
  std::int64_t per_practice = 0;      // in whole currency units
  std::vector<Choice> payment_forms;  // "legal_entity", "individual"
  std::map<std::string, std::string> contract;  // requisites shown on the contract
  // fees.contract still holds the template's values ("placeholder": true): no contract is issued.
  bool contract_placeholder = false;
  std::optional<ContractDocument> contract_document;  // without it the contract route answers not_found
  std::string payment_proof;          // how the scan of the payment document reaches the organiser
};

// Formatting rules for a text document (clause 6.5), as data for the document checker.
struct DocumentFormat {
  std::string font;
  double font_size_pt = 0;
  double line_spacing = 0;
  std::string alignment;  // "justify"
  bool bold_headings = false;
  double margin_left_cm = 0;
  double margin_top_cm = 0;
  double margin_bottom_cm = 0;
  double margin_right_cm = 0;
  double first_line_indent_cm = 0;
  double caption_font_size_pt = 0;
  double caption_line_spacing = 0;
  std::string reference_pattern;  // a regular expression (ECMAScript) for an in-text reference
  std::string reference_example;  // "[25, c. 7]"
  std::string language;           // "ru"
};

// One kind of file accepted for a purpose; a file fits the purpose when it fits one of its kinds.
struct FileKind {
  std::string id;  // "video", "presentation", "document", ...
  std::string title;
  std::vector<std::string> extensions;  // lower case, without the dot
  std::int64_t min_bytes = 0;
  std::optional<std::int64_t> max_bytes;
  std::optional<int> max_duration_seconds;
  std::optional<int> max_slides;
};

struct FilePurpose {
  std::string id;  // "document", "photo", "flashmob", "presentation", "payment"
  std::string title;
  std::vector<FileKind> kinds;
  bool archives_allowed = false;
  // Uploads for this purpose may begin while one of these stages is open (an upload begun in
  // time may finish later). Empty: whenever the event's intake is open.
  std::vector<std::string> accepted_during;
  // How long after the last of those stages closes an upload begun in time may still be finished
  // (a slow connection, a laptop closed overnight). Absent: until it is finished.
  std::optional<int> finish_within_hours;
  // New files of this purpose are taken until this instant even after those stages close, when
  // the regulations give materials a later deadline than applications (clause 5.5: files until
  // 29 June, applications until 28 June). Absent: only while a stage is open.
  std::optional<TimePoint> accepted_until;
  std::optional<int> max_files;  // absent: any number
  std::optional<DocumentFormat> formatting;
  std::vector<Choice> work_kinds;  // flashmob: the kinds of creative work shown
  // A practice is submitted only with at least one complete file of this purpose attached to it
  // (upload metadata "practice"): a rule any event may set, e.g. the contest's subscription proof.
  bool required_at_submission = false;

  const FileKind* find_kind_for_extension(std::string_view extension) const;  // case-insensitive
};

// A field is required when `required`, or when `required_if` holds: the practice has run for more
// than `running_years_gt` years, counted from the year entered in `year_field` (a dotted field path).
struct RequiredIf {
  std::string year_field;
  int running_years_gt = 0;
};

// A field that applies only when another top-level field holds one of `values` ("the payer's INN
// when the payment form is legal_entity"); otherwise it is neither asked, required nor kept.
struct ShownIf {
  std::string field;
  std::vector<nlohmann::json> values;
};

// Field types: text, textarea, phone, email, url, year, integer, choice, consent, inn (10 or 12
// digits with their check digits), kpp (9 characters), object, list.
struct FormField {
  int number = 0;  // the item's number in the original form, or 0
  std::string id;
  std::string label;
  std::string hint;
  std::string type;
  bool required = false;
  std::optional<RequiredIf> required_if;
  std::optional<ShownIf> shown_if;
  std::vector<FormField> fields;  // object: its fields; list of objects: each item's fields
  std::string item_type;          // list of scalars: the items' type
  std::optional<int> min_items;
  std::optional<int> max_items;
  std::vector<Choice> options;  // choice: a closed list here...
  std::string options_from;     // ...or one of the agenda's lists: "sections", "payment_forms", "practice_types"
  std::optional<int> max_length;
  // A files purpose: the field may be answered by text, by files of that purpose attached to the
  // practice naming the field (upload metadata "field"), or both; a required field holds with either.
  std::string attachments;
};

struct RegistrationForm {
  std::string title;
  std::string per;  // "author": one form per author and per co-author
  std::vector<FormField> fields;
};

// A practice of `type` must have run at least `min_running_years` by the current year, counted from
// the year in `year_field` (Appendix 3: «устоявшаяся» — не менее двух лет).
struct TypeRule {
  std::string type;
  int min_running_years = 0;
  std::string year_field;  // a dotted path to a year field of the practice form
};

struct PracticeForm {
  std::vector<Choice> types;  // "innovative", "pilot", "established"
  std::vector<TypeRule> type_rules;
  std::vector<FormField> fields;
};

struct Agenda {
  std::string id;  // [a-z0-9-]+, the {id} of /api/events/{id}/...
  std::string kind;  // "conference", "contest"
  std::string title;
  // The title as texts need it after «лауреат», «участник» (genitive) and «в», «о» (prepositional),
  // for an event whose title is a whole phrase («Третий Всероссийский отраслевой конкурс …»);
  // the title itself where the agenda gives none.
  std::string title_genitive;
  std::string title_prepositional;
  std::string subtitle;
  std::string forum;
  std::string forum_genitive;  // «в рамках {forum_genitive}»: the forum's name after a preposition asking the genitive
  std::vector<Organiser> organisers;
  std::string time_zone;  // "Asia/Irkutsk", for people; instants carry their own offsets
  int utc_offset_minutes = 0;  // the offset the server formats this event's instants in
  std::vector<Stage> stages;
  std::vector<Milestone> milestones;
  std::vector<Section> sections;
  std::vector<Session> timetable;
  std::vector<Venue> venues;
  std::optional<Fees> fees;
  std::map<std::string, FilePurpose> files;  // by purpose id
  std::optional<RegistrationForm> registration;
  std::optional<PracticeForm> practice;
  Noun words;  // practice.words: how messages name a practice of this event
  std::map<std::string, nlohmann::json> modules;  // by kModuleParts key; only those present

  nlohmann::json raw;  // the whole document as loaded
  nlohmann::ordered_json ordered;  // the same with its keys in the file's order, for public_json
  std::string source;  // the file it came from

  const Stage* find_stage(std::string_view id) const;
  const Milestone* find_milestone(std::string_view id) const;
  const Section* find_section(int number) const;
  const Session* find_session(std::string_view id) const;
  const FilePurpose* find_files(std::string_view purpose) const;
};

// How a participant reaches the organiser, for messages that send them there: the first
// organiser's real contact (email, phone), or empty when the agenda gives none.
std::string organiser_contact(const Agenda& agenda);

// A value of the agenda still to be filled in: where it is, what it is, which values.
struct Placeholder {
  std::string path;                 // JSON Pointer: "/fees/contract"
  std::string title;                // «Реквизиты организатора для договора»
  std::vector<std::string> fields;  // labels of the values to fill in: «ИНН», «Телефон»
};
std::vector<Placeholder> placeholders(const Agenda& agenda);

// The field at a dotted path ("postal_address.region") through object fields, or nullptr.
const FormField* find_field(const std::vector<FormField>& fields, std::string_view dotted_path);

struct AgendaError {
  std::string file;
  std::string json_path;  // a JSON Pointer, "/stages/2/closes"; empty for the whole document
  std::string problem;    // English
  std::string describe() const;  // "agenda/x.json: /stages/2/closes: ..."
};

// What the browser may see: everything except the top-level "private" object.
// The agenda as GET /api/events/{id} serves it, keys in the file's order: the pages list an
// object's entries (the review's decisions, the file purposes) as the organiser wrote them.
nlohmann::ordered_json public_json(const Agenda& agenda);

// Reports the first problem found, walking the document in order. Never throws.
std::variant<Agenda, AgendaError> parse_agenda(std::string_view text, const std::string& file_label);
std::variant<Agenda, AgendaError> load_agenda(const std::filesystem::path& file);

// Loads every *.json of a folder except schema.json, in name order; event ids must be unique.
std::variant<std::vector<Agenda>, AgendaError> load_agendas(const std::filesystem::path& folder);

// The nesting limit the loader enforces before handing text to the JSON parser.
inline constexpr int kMaxAgendaDepth = 64;

}  // namespace praktika::timeline
