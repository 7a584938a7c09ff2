#include "forms/forms.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "common/plural.h"
#include "common/utf8.h"

namespace praktika::forms {
namespace {

using nlohmann::json;
using timeline::FormField;

constexpr std::size_t kDefaultTextLimit = 1000;
constexpr std::size_t kDefaultTextareaLimit = 30000;
constexpr std::size_t kDefaultListLimit = 100;

// Only a textarea keeps its line breaks; every other text field is one line.
TextLines lines_of(const FormField& field) { return field.type == "textarea" ? TextLines::many : TextLines::one; }

bool valid_phone(const std::string& s) {
  int digits = 0;
  for (char c : s) {
    if (std::isdigit(static_cast<unsigned char>(c))) ++digits;
    else if (!std::strchr("+-() .", c)) return false;
  }
  return digits >= 5 && digits <= 20;
}

bool valid_email(const std::string& s) {
  auto at = s.find('@');
  if (at == std::string::npos || at == 0 || s.find('@', at + 1) != std::string::npos) return false;
  auto dot = s.find('.', at);
  return dot != std::string::npos && dot > at + 1 && dot + 1 < s.size() &&
         std::none_of(s.begin(), s.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
}

bool valid_url(const std::string& s) {
  if (s.find(' ') != std::string::npos || s.size() < 4) return false;
  std::string rest = s;
  for (const char* scheme : {"https://", "http://"})
    if (rest.rfind(scheme, 0) == 0) rest = rest.substr(std::strlen(scheme));
  // Authors type "dom-rebenka.ru" more often than a full URL: a host with a dot is enough.
  auto slash = rest.find('/');
  std::string host = rest.substr(0, slash);
  return host.find('.') != std::string::npos && host.front() != '.' && host.back() != '.';
}

// ИНН: 10 digits (an organisation) or 12 (a person), the last one or two being check digits
// computed with the tax service's weights.
bool valid_inn(const std::string& s) {
  if ((s.size() != 10 && s.size() != 12) || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  auto check = [&](std::initializer_list<int> weights) {
    int sum = 0, i = 0;
    for (int w : weights) sum += w * (s[i++] - '0');
    return sum % 11 % 10;
  };
  if (s.size() == 10) return check({2, 4, 10, 3, 5, 9, 4, 6, 8}) == s[9] - '0';
  return check({7, 2, 4, 10, 3, 5, 9, 4, 6, 8}) == s[10] - '0' &&
         check({3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8}) == s[11] - '0';
}

// КПП: nine characters, the fifth and sixth may be capital Latin letters.
bool valid_kpp(const std::string& s) {
  if (s.size() != 9) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool digit = s[i] >= '0' && s[i] <= '9';
    bool letter = (i == 4 || i == 5) && s[i] >= 'A' && s[i] <= 'Z';
    if (!digit && !letter) return false;
  }
  return true;
}

// A string of 1..max_digits ASCII digits.
bool digits_only(const json& v, std::size_t max_digits) {
  if (!v.is_string()) return false;
  const auto& s = v.get_ref<const std::string&>();
  return !s.empty() && s.size() <= max_digits &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_empty(const json& v) {
  return v.is_null() || (v.is_string() && clean_text(v.get_ref<const std::string&>(), TextLines::one).empty()) || (v.is_array() && v.empty()) ||
         (v.is_object() && v.empty());
}

class Checker {
 public:
  Checker(Mode mode, const Context& context, std::vector<FieldError>& errors)
      : mode_(mode), context_(context), errors_(errors) {}

  json object(const std::vector<FormField>& fields, const json& values, const std::string& prefix,
              const json& root) {
    json out = json::object();
    if (!values.is_object()) return out;
    for (auto it = values.begin(); it != values.end(); ++it) {
      bool known = std::any_of(fields.begin(), fields.end(), [&](const FormField& f) { return f.id == it.key(); });
      // The id is the client's, not the agenda's: a person is told without it.
      if (!known) fail(join(prefix, it.key()), "unknown_field", "Форма получила поле, которого в ней нет: обновите страницу.");
    }
    for (const auto& field : fields) {
      if (!applies(field, root)) continue;
      std::string path = join(prefix, field.id);
      auto found = values.find(field.id);
      if (found == values.end() || is_empty(*found)) {
        bool by_files = !field.attachments.empty() && context_.attached && context_.attached(field.attachments, path);
        if (mode_ == Mode::complete && is_required(field, root) && !by_files)
          fail(path, field.type == "consent" ? "consent_required" : "required", required_message(field));
        continue;
      }
      json value = one(field, *found, path, root);
      if (!value.is_null()) out[field.id] = std::move(value);
    }
    return out;
  }

 private:
  static std::string join(const std::string& prefix, const std::string& id) {
    return prefix.empty() ? id : prefix + "." + id;
  }

  std::string required_message(const FormField& field) const {
    if (field.type == "consent") return "Необходимо согласие: «" + field.label + "».";
    if (!field.attachments.empty()) return "Заполните поле «" + field.label + "» или приложите файл.";
    return "Заполните поле «" + field.label + "».";
  }

  // A field asked only for some answer of another (the payer's INN for a legal entity): otherwise
  // it is dropped, whatever was sent for it.
  static bool applies(const FormField& field, const json& root) {
    if (!field.shown_if) return true;
    auto found = root.find(field.shown_if->field);
    if (found == root.end()) return false;
    json answer = *found;
    if (digits_only(answer, 5)) answer = std::stoi(answer.get<std::string>());
    const auto& values = field.shown_if->values;
    return std::find(values.begin(), values.end(), *found) != values.end() ||
           std::find(values.begin(), values.end(), answer) != values.end();
  }

  bool is_required(const FormField& field, const json& root) const {
    if (field.required) return true;
    if (!field.required_if) return false;
    // "Only for a practice running longer than N years": needs the start year, read from root.
    const json* at = &root;
    std::string path = field.required_if->year_field;
    size_t start = 0;
    while (at && at->is_object()) {
      size_t dot = path.find('.', start);
      auto found = at->find(path.substr(start, dot - start));
      at = found == at->end() ? nullptr : &*found;
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    if (!at) return false;
    int started = 0;
    if (at->is_number_integer()) {
      started = at->get<int>();
    } else if (digits_only(*at, 4)) {
      started = std::stoi(at->get<std::string>());
    } else {
      return false;
    }
    return context_.current_year - started > field.required_if->running_years_gt;
  }

  void fail(std::string path, std::string code, std::string message) {
    errors_.push_back({std::move(path), std::move(code), std::move(message)});
  }

  json text(const FormField& field, const json& value, const std::string& path) {
    if (!value.is_string()) {
      fail(path, "wrong_type", "Поле «" + field.label + "» должно быть текстом.");
      return nullptr;
    }
    std::string s = clean_text(value.get_ref<const std::string&>(), lines_of(field));
    std::size_t limit = field.max_length ? static_cast<std::size_t>(*field.max_length)
                                         : (field.type == "textarea" ? kDefaultTextareaLimit : kDefaultTextLimit);
    if (utf8_length(s) > limit) {
      fail(path, "too_long",
           "Поле «" + field.label + "» длиннее " + with_count(static_cast<std::int64_t>(limit), {"знака", "знаков", "знаков"}) + ".");
      return nullptr;
    }
    if (field.type == "phone" && !valid_phone(s)) {
      fail(path, "invalid_phone", "Телефон в поле «" + field.label + "» указан неверно: нужны цифры, можно +, скобки и дефисы.");
      return nullptr;
    }
    if (field.type == "email" && !valid_email(s)) {
      fail(path, "invalid_email", "Адрес электронной почты в поле «" + field.label + "» указан неверно.");
      return nullptr;
    }
    if (field.type == "inn" && !valid_inn(s)) {
      fail(path, "invalid_inn",
           "ИНН в поле «" + field.label + "» указан неверно: нужны 10 цифр (организация) или 12 (физическое лицо) с верными контрольными цифрами.");
      return nullptr;
    }
    if (field.type == "kpp" && !valid_kpp(s)) {
      fail(path, "invalid_kpp", "КПП в поле «" + field.label + "» указан неверно: нужны 9 цифр.");
      return nullptr;
    }
    if (field.type == "url" && !valid_url(s)) {
      fail(path, "invalid_url", "Адрес сайта в поле «" + field.label + "» указан неверно.");
      return nullptr;
    }
    return s;
  }

  json year(const FormField& field, const json& value, const std::string& path) {
    int year = 0;
    if (value.is_number_integer()) {
      year = value.get<int>();
    } else if (digits_only(value, 4)) {
      year = std::stoi(value.get<std::string>());
    } else {
      fail(path, "invalid_year", "В поле «" + field.label + "» укажите год числом, например 2018.");
      return nullptr;
    }
    if (year < 1900 || year > context_.current_year) {
      fail(path, "invalid_year",
           "Год в поле «" + field.label + "» должен быть от 1900 до " + std::to_string(context_.current_year) + ".");
      return nullptr;
    }
    return year;
  }

  json consent(const FormField& field, const json& value, const std::string& path) {
    if (!value.is_boolean()) {
      fail(path, "wrong_type", "Согласие «" + field.label + "» отмечается флажком.");
      return nullptr;
    }
    if (!value.get<bool>()) {
      if (mode_ == Mode::complete && field.required) fail(path, "consent_required", required_message(field));
      return nullptr;
    }
    return true;
  }

  json choice(const FormField& field, const json& value, const std::string& path) {
    std::vector<json> allowed;
    for (const auto& option : field.options) allowed.emplace_back(option.id);
    if (!field.options_from.empty() && context_.options_from) allowed = context_.options_from(field.options_from);
    json candidate = value;
    // Numbers come as text from some forms: "2" chooses section 2.
    if (digits_only(value, 5) && std::find(allowed.begin(), allowed.end(), value) == allowed.end())
      candidate = std::stoi(value.get<std::string>());
    if (std::find(allowed.begin(), allowed.end(), candidate) == allowed.end()) {
      fail(path, "not_an_option", "В поле «" + field.label + "» выберите один из предложенных вариантов.");
      return nullptr;
    }
    return candidate;
  }

  json list_item(const FormField& field, const json& value, std::size_t i, const std::string& path, const json& root) {
    std::string item_path = path + "[" + std::to_string(i + 1) + "]";
    if (field.fields.empty()) {
      FormField scalar = field;
      scalar.type = field.item_type.empty() ? "textarea" : field.item_type;
      scalar.max_length.reset();
      return one(scalar, value, item_path, root);
    }
    if (!value.is_object()) {
      fail(item_path, "wrong_type", "Пункт " + std::to_string(i + 1) + " поля «" + field.label + "» заполняется по частям.");
      return nullptr;
    }
    return object(field.fields, value, item_path, root);
  }

  json list(const FormField& field, const json& value, const std::string& path, const json& root) {
    if (!value.is_array()) {
      fail(path, "wrong_type", "Поле «" + field.label + "» — это список.");
      return nullptr;
    }
    std::size_t max = field.max_items ? static_cast<std::size_t>(*field.max_items) : kDefaultListLimit;
    if (value.size() > max) {
      fail(path, "too_many_items", "В поле «" + field.label + "» не больше " +
                                       with_count(static_cast<std::int64_t>(max), {"пункта", "пунктов", "пунктов"}) + ".");
      return nullptr;
    }
    json out = json::array();
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (is_empty(value[i])) continue;
      json item = list_item(field, value[i], i, path, root);
      if (!item.is_null() && !item.empty()) out.push_back(std::move(item));
    }
    if (mode_ == Mode::complete && field.min_items && out.size() < static_cast<std::size_t>(*field.min_items) &&
        (field.required || !out.empty()))
      fail(path, "too_few_items",
           "В поле «" + field.label + "» нужно не меньше " + with_count(*field.min_items, {"пункта", "пунктов", "пунктов"}) + ".");
    return out.empty() ? json() : out;
  }

  json one(const FormField& field, const json& value, const std::string& path, const json& root) {
    const std::string& type = field.type;
    if (type == "text" || type == "textarea" || type == "phone" || type == "email" || type == "url" || type == "inn" ||
        type == "kpp")
      return text(field, value, path);
    if (type == "year") return year(field, value, path);
    if (type == "consent") return consent(field, value, path);
    if (type == "choice") return choice(field, value, path);
    if (type == "object") {
      if (!value.is_object()) {
        fail(path, "wrong_type", "Поле «" + field.label + "» заполняется по частям.");
        return nullptr;
      }
      json out = object(field.fields, value, path, root);
      return out.empty() ? json() : out;
    }
    if (type == "list") return list(field, value, path, root);
    fail(path, "wrong_type", "Поле «" + field.label + "» имеет неизвестный тип.");
    return nullptr;
  }

  Mode mode_;
  const Context& context_;
  std::vector<FieldError>& errors_;
};

}  // namespace

Checked check(const std::vector<FormField>& fields, const nlohmann::json& values, Mode mode, const Context& context) {
  Checked result;
  if (!values.is_object()) {
    result.errors.push_back({"", "wrong_type", "Данные формы должны быть объектом."});
    result.values = json::object();
    return result;
  }
  Checker checker(mode, context, result.errors);
  result.values = checker.object(fields, values, "", values);
  return result;
}

Status to_status(const std::vector<FieldError>& errors) {
  json details = json::array();
  for (const auto& e : errors) details.push_back({{"path", e.path}, {"code", e.code}, {"message", e.message}});
  std::string message = errors.size() == 1 ? errors.front().message
                                           : "Проверьте поля формы: найдено ошибок — " + std::to_string(errors.size()) + ".";
  return Status::unprocessable("invalid_fields", message).with_details(std::move(details));
}

}  // namespace praktika::forms
