// libFuzzer target for what a JSON route reads from a request: the path and query of the target
// (percent-decoding, query parameters), the body through api::parse_json_object (depth guard) and
// then the route body parsers that see the most fields: api::string_field and the forms validator
// with the agenda's registration and practice forms, in draft and complete mode (PUT
// .../registration, PUT .../practices/{n}). The input's first line is the target, the rest the body.
#include <cstdint>
#include <string_view>

#include "api/http.h"
#include "forms/forms.h"
#include "fuzz_agenda.h"

namespace {

praktika::forms::Context context() {
  const auto& agenda = praktika::fuzz::agenda();
  praktika::forms::Context c;
  c.options_from = [&agenda](std::string_view source) {
    std::vector<nlohmann::json> values;
    if (source == "sections")
      for (const auto& s : agenda.sections) values.emplace_back(s.number);
    if (source == "payment_forms" && agenda.fees)
      for (const auto& f : agenda.fees->payment_forms) values.emplace_back(f.id);
    return values;
  };
  return c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace praktika;
  static const auto& agenda = fuzz::agenda();
  static const forms::Context forms_context = context();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto newline = text.find('\n');
  net::Request request;
  request.method = "PUT";
  request.target = std::string(text.substr(0, newline));
  auto question = request.target.find('?');
  if (auto path = net::percent_decode(std::string_view(request.target).substr(0, question), false))
    request.path = *path;
  if (question != std::string::npos) request.query = request.target.substr(question + 1);
  (void)request.query_param("purpose");
  request.headers.emplace_back("content-type", "application/json");
  request.body = newline == std::string_view::npos ? std::string() : std::string(text.substr(newline + 1));

  auto body = api::parse_json_object(request);
  if (!body.ok()) {
    (void)api::error_response(body.status());
    return 0;
  }
  (void)api::string_field(*body, "text", "Текст", 4000, true);
  const nlohmann::json& answers = body->contains("answers") ? (*body)["answers"] : *body;
  for (auto mode : {forms::Mode::draft, forms::Mode::complete}) {
    for (const auto* fields : {&agenda.registration->fields, &agenda.practice->fields}) {
      auto checked = forms::check(*fields, answers, mode, forms_context);
      if (!checked.ok()) (void)api::error_response(forms::to_status(checked.errors)).body;
      (void)checked.values.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
  }
  return 0;
}
