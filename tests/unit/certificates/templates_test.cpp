// Every document and letter an agenda can produce, rendered with realistic values: each certificate
// and diploma template, the proceedings and the order (PDFs read back with poppler), and each mail
// template with the values its module gives. The Russian forms a ministry reads are checked on the
// result: the genitive after «в рамках», no «конкурса … конкурс», no quotes inside quotes, nothing
// neuter said of a masculine institution, no «практ.», no Latin identifiers, no {placeholder} left,
// and no day that is not one of the agenda's.
#include <gtest/gtest.h>
#include <poppler-document.h>
#include <poppler-page.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <set>

#include "certificates/certificates.h"
#include "certificates/typeset.h"
#include "mail/template.h"
#include "reminders/settings.h"
#include "review/review.h"
#include "sections/sections.h"
#include "timeline/russian_date.h"

namespace praktika::certificates {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A masculine institution name: what «{institution} приняло участие» got wrong.
const std::string kInstitution = "Комплексный центр социального обслуживания населения г. Братска";
const std::string kPerson = "Иванова Мария Петровна";
const std::string kHead = "Петров Сергей Иванович";

struct Rendered {
  std::string what;  // "contest-2025 certificate diploma"
  std::string text;  // whitespace runs made one space
};

std::vector<timeline::Agenda> agendas() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(fs::path(PRAKTIKA_SOURCE_DIR) / "agenda"))
    if (entry.path().extension() == ".json" && entry.path().filename() != "schema.json") files.push_back(entry.path());
  files.push_back(fs::path(PRAKTIKA_SOURCE_DIR) / "tests/fixtures/agenda/seminar-2021.json");
  std::sort(files.begin(), files.end());
  std::vector<timeline::Agenda> out;
  for (const auto& file : files) out.push_back(std::get<timeline::Agenda>(timeline::load_agenda(file)));
  return out;
}

std::string one_spaced(const std::string& text) {
  static const std::regex space(R"(\s+)");
  return std::regex_replace(text, space, " ");
}

std::string pdf_text(const fs::path& file) {
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(file.string()));
  if (!doc) return "(not a PDF)";
  std::string out;
  for (int i = 0; i < doc->pages(); ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    auto bytes = page->text().to_utf8();
    out.append(bytes.begin(), bytes.end());
    out += "\n";
  }
  return out;
}

fs::path temp_pdf(const std::string& name) {
  return fs::temp_directory_path() / ("praktika-render-" + std::to_string(::getpid()) + "-" + name + ".pdf");
}

std::string section_title(const timeline::Agenda& agenda, int n) {
  const auto* s = agenda.find_section(n);
  return s ? s->title : std::string();
}

// The agenda's first section number, or 0 for an event without sections.
int first_section(const timeline::Agenda& agenda) { return agenda.sections.empty() ? 0 : agenda.sections.front().number; }

std::string issue_date(const Settings& s, const timeline::Agenda& agenda) {
  const timeline::Milestone* m = agenda.find_milestone("certificates_by");
  if (!m) m = agenda.find_milestone("diplomas_by");
  TimePoint at = m ? m->at : agenda.stages.back().closes;
  std::string iso = format_instant(at, agenda.utc_offset_minutes);
  return mail::fill(s.date_format, {{"day", std::to_string(std::stoi(iso.substr(8, 2)))},
                                    {"month", s.months[std::stoi(iso.substr(5, 2)) - 1]},
                                    {"year", iso.substr(0, 4)}});
}

void render_documents(const timeline::Agenda& agenda, std::vector<Rendered>& out) {
  auto settings = std::get<Settings>(read_settings(agenda));
  if (!settings.enabled) return;
  const int section = first_section(agenda);
  json values = json::object();
  for (const auto& [name, sources] : settings.values)
    values[name] = name == "full_name" ? kPerson : name == "head" ? kHead : name == "institution" ? kInstitution
                                                                                                   : "Специалист по социальной работе";
  for (const auto& t : settings.templates) {
    for (const auto& [outcome, line] : settings.took_part) {
      json took = json::array({mail::fill(line, {{"title", "Семейная гостиная"},
                                                 {"section", std::to_string(section)},
                                                 {"section_title", section_title(agenda, section)}})});
      json data = {{"values", values}, {"took_part", took}, {"template_title", t.title}};
      auto v = document_values(agenda, settings, data, "ABCD-EFGH-JKMN-PQRS", issue_date(settings, agenda));
      const auto file = temp_pdf(agenda.id + "-" + t.id);
      Status made = typeset_certificate(t, v, v["verify_url"], file);
      ASSERT_TRUE(made) << made.message();
      out.push_back({agenda.id + " document «" + t.id + "» (" + outcome + ")", one_spaced(pdf_text(file))});
      fs::remove(file);
      // Its letter, with the same values.
      auto part = std::get<mail::MailPart>(mail::read_mail_part(agenda));
      if (auto letter = part.templates.find(settings.mail_template); letter != part.templates.end())
        out.push_back({agenda.id + " letter «" + settings.mail_template + "» for «" + t.id + "»",
                       one_spaced(mail::fill(letter->second.subject, v) + "\n" + mail::fill(letter->second.body, v))});
    }
  }
}

std::vector<ProceedingsPractice> proceedings_practices(const timeline::Agenda& agenda) {
  std::vector<ProceedingsPractice> out;
  for (int i = 0; i < 2; ++i) {
    ProceedingsPractice p;
    p.id = i + 1;
    p.section = first_section(agenda);
    p.title = i == 0 ? "Семейная гостиная" : "Школа приёмных родителей";
    p.institution = kInstitution;
    p.answers = {{"name", p.title}, {"organisation", {{"name", kInstitution}}}};
    out.push_back(std::move(p));
  }
  return out;
}

void render_proceedings_and_order(const timeline::Agenda& agenda, std::vector<Rendered>& out) {
  auto proceedings = std::get<ProceedingsSettings>(read_proceedings(agenda));
  if (proceedings.enabled) {
    const auto file = temp_pdf(agenda.id + "-proceedings");
    auto made = typeset_proceedings(agenda, proceedings, title_values(agenda, 2), proceedings_practices(agenda), file);
    ASSERT_TRUE(made) << made.status().message();
    out.push_back({agenda.id + " proceedings", one_spaced(pdf_text(file))});
    fs::remove(file);
    auto part = std::get<mail::MailPart>(mail::read_mail_part(agenda));
    if (auto letter = part.templates.find(proceedings.mail_template); letter != part.templates.end()) {
      auto v = title_values(agenda, 2);
      v["full_name"] = kPerson;
      v["proceedings_url"] = "https://praktika.example.org/api/events/" + agenda.id + "/proceedings";
      v["cabinet_url"] = "https://praktika.example.org/events/" + agenda.id + "/cabinet";
      out.push_back({agenda.id + " letter «proceedings»",
                     one_spaced(mail::fill(letter->second.subject, v) + "\n" + mail::fill(letter->second.body, v))});
    }
  }
  auto order = std::get<OrderSettings>(read_order(agenda));
  if (order.enabled) {
    auto review = std::get<review::ReviewPart>(review::read_review_part(agenda));
    std::vector<OrderPractice> practices;
    for (const auto& outcome : order.outcomes)
      practices.push_back({first_section(agenda), "Семейная гостиная", kInstitution, review.outcome_titles[outcome],
                           {{kPerson, kInstitution}, {kHead, kInstitution}}});
    auto pdf = typeset_order(agenda, order, title_values(agenda, practices.size()), practices);
    ASSERT_TRUE(pdf) << pdf.status().message();
    const auto file = temp_pdf(agenda.id + "-order");
    std::ofstream(file, std::ios::binary) << *pdf;
    out.push_back({agenda.id + " order", one_spaced(pdf_text(file))});
    fs::remove(file);
  }
}

// Each mail template of the agenda with the values its module gives.
void render_letters(const timeline::Agenda& agenda, std::vector<Rendered>& out) {
  auto part = std::get<mail::MailPart>(mail::read_mail_part(agenda));
  auto review = std::get<review::ReviewPart>(review::read_review_part(agenda));
  auto sections = std::get<sections::Settings>(sections::read_settings(agenda));
  auto snippet = [&](const std::string& id) {
    auto it = part.snippets.find(id);
    return it == part.snippets.end() ? std::string() : it->second;
  };
  const int section = first_section(agenda);
  const std::map<std::string, std::string> titles = {{"event_title", agenda.title},
                                                     {"event_title_genitive", agenda.title_genitive},
                                                     {"event_title_prepositional", agenda.title_prepositional}};
  for (const auto& [id, letter] : part.templates) {
    if (id == "certificate" || id == "proceedings") continue;  // rendered beside their documents
    std::vector<std::map<std::string, std::string>> cases;
    if (id == "decision_notice") {
      // One letter per decision, as an institution with that one practice gets it.
      for (const auto& [outcome, title] : review.outcome_titles) {
        std::map<std::string, std::string> item = {{"title", "Семейная гостиная"},
                                                   {"section", std::to_string(section)},
                                                   {"section_title", section_title(agenda, section)},
                                                   {"outcome", title},
                                                   {"reason", "Описание не раскрывает результаты практики."}};
        std::string items = mail::fill(snippet("decision_item"), item);
        if (review.needs_reason(outcome)) items += mail::fill(snippet("decision_reason"), item);
        auto v = titles;
        v["institution"] = kInstitution;
        v["items"] = items + "\n";
        v["presenter_requirements"] = outcome == "present" ? sections::presenter_letter_block(agenda, sections) : "";
        cases.push_back(v);
      }
    } else if (id == "milestone_reminder") {
      for (const auto& m : agenda.milestones) {
        if (!m.warn_days_before) continue;
        auto v = titles;
        v["milestone"] = m.title;
        v["deadline"] = timeline::deadline_text(m.at, agenda.utc_offset_minutes);
        v["left"] = "— " + agenda.words.many + " без решения: 3\n";
        cases.push_back(v);
      }
    } else if (id == "announcement") {
      auto v = titles;
      v["title"] = "Срок приёма материалов продлён";
      v["text"] = "Организатор продлил приём материалов на три дня.";
      cases.push_back(v);
    } else if (id == "invitation") {
      auto v = titles;
      v["role"] = "эксперт" + mail::fill(snippet("invitation_section"),
                                         {{"section", std::to_string(section)}, {"section_title", section_title(agenda, section)}});
      v["email"] = "expert@umc.ru";
      v["site_url"] = "https://praktika.example.org";
      v["event_url"] = "https://praktika.example.org/events/" + agenda.id;
      cases.push_back(v);
    } else if (id.rfind("reminder_", 0) == 0) {
      // The participants' reminders (server/reminders/participants.cpp fills the same names).
      auto kinds = std::get<reminders::Settings>(reminders::read_settings(agenda));
      auto v = titles;
      v["full_name"] = kPerson;
      v["cabinet_url"] = "https://praktika.example.org/events/" + agenda.id + "/cabinet";
      v["items"] = mail::fill(snippet("reminder_item"), {{"number", "3"}, {"title", "Семейная гостиная"}}) +
                   mail::fill(snippet("reminder_item_untitled"), {{"number", "4"}});
      if (const auto* k = kinds.find(reminders::Kind::draft); k && k->template_id == id)
        v["deadline"] = timeline::deadline_text(agenda.find_stage(k->stage)->closes, agenda.utc_offset_minutes);
      if (const auto* k = kinds.find(reminders::Kind::payment); k && k->template_id == id)
        v["deadline"] = timeline::deadline_text(agenda.find_milestone(k->milestone)->at, agenda.utc_offset_minutes);
      if (const auto* session = agenda.find_session(sections.sections_session)) {
        const std::string date = timeline::russian_date(session->starts, agenda.utc_offset_minutes);
        v["date"] = date.substr(0, date.find(" г.") + std::string(" г.").size());
        v["starts"] = format_instant(session->starts, agenda.utc_offset_minutes).substr(11, 5);
        v["ends"] = format_instant(session->starts + std::chrono::minutes(10), agenda.utc_offset_minutes).substr(11, 5);
      }
      v["title"] = "Семейная гостиная";
      v["section"] = std::to_string(section);
      v["section_title"] = section_title(agenda, section);
      v["room_url"] = "https://video-room.example.org/section-1";
      v["presenter_requirements"] = sections::presenter_letter_block(agenda, sections);
      v["number"] = "ABCD-EFGH-JKMN-PQRS";
      v["template_title"] = "Сертификат участника";
      v["verify_url"] = "https://praktika.example.org/verify/ABCD-EFGH-JKMN-PQRS";
      cases.push_back(v);
    } else {
      ADD_FAILURE() << agenda.id << ": the mail template «" << id << "» is not rendered by this test";
    }
    for (const auto& v : cases)
      out.push_back({agenda.id + " letter «" + id + "»",
                     one_spaced(mail::fill(letter.subject, v) + "\n" + mail::fill(letter.body, v))});
  }
}

const std::vector<Rendered>& rendered() {
  static const std::vector<Rendered> all = [] {
    std::vector<Rendered> out;
    for (const auto& agenda : agendas()) {
      render_documents(agenda, out);
      render_proceedings_and_order(agenda, out);
      render_letters(agenda, out);
    }
    return out;
  }();
  return all;
}

// The days of the month the agenda names (every instant in it, as the event's calendar has it).
std::set<std::string> agenda_days(const timeline::Agenda& agenda) {
  static const std::array<std::string, 12> kMonths = {"января", "февраля", "марта",    "апреля",  "мая",    "июня",
                                                      "июля",   "августа", "сентября", "октября", "ноября", "декабря"};
  static const std::regex instant(R"(^(\d{4})-(\d{2})-(\d{2})T)");
  std::set<std::string> out;
  std::function<void(const json&)> walk = [&](const json& j) {
    std::smatch m;
    if (j.is_string()) {
      const std::string s = j.get<std::string>();
      if (std::regex_search(s, m, instant)) out.insert(std::to_string(std::stoi(m[3])) + " " + kMonths[std::stoi(m[2]) - 1]);
    }
    if (j.is_structured())
      for (const auto& item : j) walk(item);
  };
  walk(agenda.raw);
  return out;
}

TEST(RenderedTemplates, EveryAgendaGivesItsDocumentsAndLetters) {
  std::set<std::string> agendas_seen;
  for (const auto& r : rendered()) agendas_seen.insert(r.what.substr(0, r.what.find(' ')));
  EXPECT_EQ(agendas_seen, (std::set<std::string>{"contest-2025", "irkutsk-2020", "seminar-2021"}));
  EXPECT_GT(rendered().size(), 20u);
}

TEST(RenderedTemplates, NoPlaceholderIsLeftUnfilled) {
  static const std::regex placeholder(R"(\{[a-z_]+\})");
  for (const auto& r : rendered()) EXPECT_FALSE(std::regex_search(r.text, placeholder)) << r.what << ": " << r.text;
}

TEST(RenderedTemplates, AfterВРамкахComesTheGenitive) {
  // A nominative adjective right after the preposition: «в рамках Областная выставка-форум».
  static const std::regex nominative(R"(в рамках \S+?(ая|ый|ий|ое|ые)(?=[\s,.;:»]|$))");
  for (const auto& r : rendered()) EXPECT_FALSE(std::regex_search(r.text, nominative)) << r.what << ": " << r.text;
  for (const auto& agenda : agendas())
    for (const auto& r : rendered())
      if (!agenda.forum.empty() && r.what.rfind(agenda.id, 0) == 0) {
        EXPECT_EQ(r.text.find("в рамках " + agenda.forum), std::string::npos) << r.what;
      }
}

TEST(RenderedTemplates, TheEventsKindIsNotSaidTwiceAroundItsTitle) {
  // «лауреат конкурса «Третий Всероссийский отраслевой конкурс…»»: the full title already says it.
  for (const auto& r : rendered())
    for (const std::string kind : {"конкурс", "конференци", "семинар"}) {
      for (auto at = r.text.find(kind); at != std::string::npos; at = r.text.find(kind, at + 1)) {
        std::string after = r.text.substr(at + kind.size(), 200);
        after = after.substr(0, after.find_first_of(".!?"));
        EXPECT_EQ(after.find(kind), std::string::npos) << r.what << ": «…" << r.text.substr(at, 240) << "…»";
      }
    }
}

TEST(RenderedTemplates, NoQuotesInsideQuotes) {
  for (const auto& r : rendered()) {
    int depth = 0, deepest = 0;
    std::size_t where = 0;
    for (std::size_t i = 0; i < r.text.size(); ++i) {
      if (r.text.compare(i, 2, "«") == 0 && ++depth > deepest) deepest = depth, where = i;
      if (r.text.compare(i, 2, "»") == 0) --depth;
    }
    EXPECT_LE(deepest, 1) << r.what << ": «…" << r.text.substr(where > 80 ? where - 80 : 0, 200) << "…»";
  }
}

TEST(RenderedTemplates, AMasculineInstitutionIsNotSpokenOfAsNeuter) {
  static const std::regex neuter(R"(Братска\)? \S+(ло|лось)(?=[\s,.;:]|$))");
  for (const auto& r : rendered()) {
    EXPECT_FALSE(std::regex_search(r.text, neuter)) << r.what << ": " << r.text;
    for (const char* verb : {"приняло участие", "представило", "награждено"})
      EXPECT_EQ(r.text.find(verb), std::string::npos) << r.what << ": " << r.text;
  }
}

TEST(RenderedTemplates, NoAbbreviatedCountsNorLatinIdentifiers) {
  // A link the PDF broke over two lines («https://praktika.example.org/ verify/…») is one link.
  static const std::regex links(R"(https?://\S+(?:\s+[A-Za-z0-9][A-Za-z0-9/._-]*)*|\S+@\S+)");
  static const std::regex latin(R"([A-Za-z][A-Za-z_]*)");
  static const std::set<std::string> kAllowed = {"PDF", "QR", "UTC", "Word", "ABCD", "EFGH", "JKMN", "PQRS"};
  for (const auto& r : rendered()) {
    EXPECT_EQ(r.text.find("практ."), std::string::npos) << r.what << ": " << r.text;
    EXPECT_EQ(r.text.find("г.."), std::string::npos) << r.what << ": " << r.text;
    const std::string plain = std::regex_replace(r.text, links, "");
    for (auto it = std::sregex_iterator(plain.begin(), plain.end(), latin); it != std::sregex_iterator(); ++it)
      EXPECT_TRUE(kAllowed.count(it->str())) << r.what << ": «" << it->str() << "» in " << r.text;
  }
}

TEST(RenderedTemplates, EveryDayNamedIsOneOfTheAgendas) {
  static const std::regex day(
      R"((\d{1,2}) (января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря))");
  for (const auto& agenda : agendas()) {
    const auto days = agenda_days(agenda);
    for (const auto& r : rendered()) {
      if (r.what.rfind(agenda.id + " ", 0) != 0) continue;
      for (auto it = std::sregex_iterator(r.text.begin(), r.text.end(), day); it != std::sregex_iterator(); ++it)
        EXPECT_TRUE(days.count(it->str())) << r.what << ": «" << it->str() << "» is no day of the agenda: " << r.text;
    }
  }
}

}  // namespace
}  // namespace praktika::certificates
