#include "intake/contract.h"

#include <array>
#include <map>

#include "common/plural.h"
#include "mail/template.h"
#include "pdf/pdf.h"

namespace praktika::intake {
namespace {

using nlohmann::json;

std::string payer_label(const ContractInput& input) {
  auto label = input.payer_labels.find(input.payment_form);
  return label == input.payer_labels.end() ? std::string("плательщик") : label->second;
}

// One triad (0–999) in words; `feminine` for thousands (одна тысяча, две тысячи).
std::string triad(int n, bool feminine) {
  static const std::array<const char*, 10> kHundreds = {"",       "сто",     "двести",   "триста",    "четыреста",
                                                        "пятьсот", "шестьсот", "семьсот", "восемьсот", "девятьсот"};
  static const std::array<const char*, 10> kTens = {"",         "",          "двадцать",   "тридцать",  "сорок",
                                                    "пятьдесят", "шестьдесят", "семьдесят", "восемьдесят", "девяносто"};
  static const std::array<const char*, 10> kTeens = {"десять",      "одиннадцать", "двенадцать",  "тринадцать",
                                                     "четырнадцать", "пятнадцать",  "шестнадцать", "семнадцать",
                                                     "восемнадцать", "девятнадцать"};
  static const std::array<const char*, 10> kOnes = {"",     "один", "два",   "три",    "четыре",
                                                    "пять", "шесть", "семь", "восемь", "девять"};
  std::string out;
  auto add = [&out](const char* word) {
    if (!*word) return;
    if (!out.empty()) out += ' ';
    out += word;
  };
  add(kHundreds[n / 100]);
  int rest = n % 100;
  if (rest >= 10 && rest < 20) {
    add(kTeens[rest - 10]);
  } else {
    add(kTens[rest / 10]);
    int one = rest % 10;
    if (feminine && one == 1) add("одна");
    else if (feminine && one == 2) add("две");
    else add(kOnes[one]);
  }
  return out;
}

std::string text_of(const json& answers, const std::string& field) {
  auto it = answers.find(field);
  if (it == answers.end() || it->is_null()) return {};
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

}  // namespace

std::string amount_in_words(std::int64_t amount, const std::vector<std::string>& currency_words) {
  auto word = [&](std::int64_t n) {
    int form = count_form(n);
    return form < static_cast<int>(currency_words.size()) ? currency_words[form] : std::string();
  };
  if (amount <= 0 || amount > 999'999'999'999) return "ноль " + word(0);
  struct Scale {
    std::int64_t unit;
    std::array<const char*, 3> words;
    bool feminine;
  };
  static const std::array<Scale, 3> kScales = {{{1'000'000'000, {"миллиард", "миллиарда", "миллиардов"}, false},
                                                {1'000'000, {"миллион", "миллиона", "миллионов"}, false},
                                                {1'000, {"тысяча", "тысячи", "тысяч"}, true}}};
  std::string out;
  std::int64_t rest = amount;
  for (const auto& scale : kScales) {
    auto count = static_cast<int>(rest / scale.unit);
    rest %= scale.unit;
    if (count == 0) continue;
    if (!out.empty()) out += ' ';
    out += triad(count, scale.feminine) + ' ' + scale.words[count_form(count)];
  }
  if (rest > 0) {
    if (!out.empty()) out += ' ';
    out += triad(static_cast<int>(rest), false);
  }
  return out + ' ' + word(amount);
}

namespace {

std::string requisite(const timeline::Fees& fees, const std::string& key) {
  auto it = fees.contract.find(key);
  return it == fees.contract.end() ? std::string() : it->second;
}

// The placeholders of the contract's text: {number}, {amount}, {payer}, … (see timeline::ContractDocument).
std::map<std::string, std::string> contract_values(const timeline::Fees& fees, const timeline::ContractDocument& text,
                                                   const ContractInput& input, const std::string& payer) {
  const auto count = static_cast<std::int64_t>(input.practices.size());
  const std::int64_t amount = count * fees.per_practice;
  std::string numbers;
  for (const auto& p : input.practices) numbers += (numbers.empty() ? "" : ", ") + std::to_string(p.id);
  return {
      {"number", input.number},
      {"date", input.date},
      {"event", input.event_title},
      {"organiser", requisite(fees, "recipient")},
      {"payer", payer},
      {"count", std::to_string(count)},
      {"count_practices", with_count(count, {text.counted[0], text.counted[1], text.counted[2]})},
      {"per_practice", std::to_string(fees.per_practice)},
      {"amount", std::to_string(amount)},
      {"amount_words", amount_in_words(amount, text.currency_words)},
      {"currency", text.currency_short},
      {"payment_purpose", requisite(fees, "payment_purpose")},
      {"numbers", numbers},
  };
}

// The contract's paragraph styles.
struct ContractStyles {
  pdf::Style body, heading, title, plain, right, total;
};

ContractStyles contract_styles() {
  ContractStyles st;
  st.body.size_pt = 11;
  st.body.align = pdf::Align::justify;
  st.body.first_line_indent_mm = 10;
  st.heading = st.body;
  st.heading.bold = true;
  st.heading.align = pdf::Align::left;
  st.heading.first_line_indent_mm = 0;
  st.heading.space_before_pt = 8;
  st.title = st.heading;
  st.title.size_pt = 14;
  st.title.align = pdf::Align::centre;
  st.title.space_before_pt = 0;
  st.plain = st.body;
  st.plain.align = pdf::Align::left;
  st.plain.first_line_indent_mm = 0;
  st.plain.space_after_pt = 2;
  st.right = st.plain;
  st.right.align = pdf::Align::right;
  st.right.space_after_pt = 10;
  st.total = st.heading;
  st.total.space_before_pt = 6;
  return st;
}

// The parties' requisites: the organiser's from the fees, the payer's from the registration.
void typeset_requisites(pdf::Typesetter& t, const timeline::Fees& fees, const timeline::ContractDocument& text,
                        const ContractInput& input, const std::map<std::string, std::string>& values,
                        const ContractStyles& st) {
  t.paragraph(mail::fill(text.requisites_heading, values), st.heading);
  std::vector<std::pair<std::string, std::string>> rows;
  for (const auto& r : text.requisites) rows.emplace_back(r.label, requisite(fees, r.key));
  t.rows(rows, st.plain, 50);
  t.paragraph(mail::fill(text.payer_heading, values), st.heading);
  rows.clear();
  // Rows of the other payment form (a person has no КПП) are not in the answers: left out.
  for (const auto& r : text.payer_rows)
    if (auto value = text_of(input.registration, r.key); !value.empty()) rows.emplace_back(r.label, value);
  t.rows(rows, st.plain, 50);
}

}  // namespace

Result<std::string> render_contract(const timeline::Fees& fees, const timeline::ContractDocument& text,
                                    const ContractInput& input) {
  auto payer_field = text.payer_field.find(input.payment_form);
  std::string payer = payer_field == text.payer_field.end() ? "" : text_of(input.registration, payer_field->second);
  if (payer.empty())
    return Status::unprocessable("payer_missing",
                                 "В регистрационной форме не указан плательщик для этой формы оплаты: заполните поле «" +
                                     payer_label(input) + "» и повторите.");
  auto values = contract_values(fees, text, input, payer);

  std::string bytes;
  auto doc = pdf::Typesetter::to_memory(&bytes, pdf::PageSetup{});
  if (!doc) return doc.status();
  pdf::Typesetter& t = **doc;
  const ContractStyles st = contract_styles();
  t.paragraph(mail::fill(text.title, values), st.title);
  if (!text.place.empty()) t.paragraph(mail::fill(text.place, values), st.right);
  t.paragraph(mail::fill(text.preamble.at(input.payment_form), values), st.body);
  for (const auto& clause : text.clauses) t.paragraph(mail::fill(clause, values), st.body);

  t.paragraph(mail::fill(text.practices_heading, values), st.heading);
  int n = 0;
  for (const auto& p : input.practices) {
    auto line = values;
    line["n"] = std::to_string(++n);
    line["title"] = p.title.empty() ? "№ " + std::to_string(p.id) : p.title;
    line["section"] = std::to_string(p.section);
    t.paragraph(mail::fill(text.practice_line, line), st.plain);
  }
  t.paragraph(mail::fill(text.total, values), st.total);
  t.paragraph(mail::fill(text.purpose, values), st.body);
  typeset_requisites(t, fees, text, input, values, st);
  t.vertical_space(10);
  for (const auto& s : text.signatures) t.paragraph(mail::fill(s, values), st.right);
  if (auto s = t.finish(); !s) return Status::internal("pdf_failed", "Не удалось сформировать договор: " + s.message());
  return bytes;
}

}  // namespace praktika::intake
