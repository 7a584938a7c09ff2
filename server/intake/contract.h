// The payment contract: a PDF for the practices a participant pays for, typeset with server/pdf
// from the agenda's fees.contract_document (every sentence is data). Pure functions; any thread.
// IntakeService::contract gathers the caller's registration and practices and calls these.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "timeline/agenda.h"

namespace praktika::intake {

// A whole amount in Russian words with the currency's word in the right form:
// 2000 → "две тысячи рублей", 4021 → "четыре тысячи двадцать один рубль". The currency is taken
// as masculine (рубль); words are {for 1, for 2–4, for 5–20}. Up to 999 999 999 999.
std::string amount_in_words(std::int64_t amount, const std::vector<std::string>& currency_words);

struct ContractPractice {
  std::int64_t id = 0;
  std::string title;
  int section = 0;
};

struct ContractInput {
  std::string event_title;
  std::string payment_form;      // an id of fees.payment_forms
  nlohmann::json registration;  // the payer's registration answers
  std::string number;            // printed as the contract's number
  std::string date;              // "15.06.2020"
  std::vector<ContractPractice> practices;
  // The payer field's label in the registration form, by payment form id («Учреждение»), for the
  // message that asks for it; the field's id where the form has no label for it.
  std::map<std::string, std::string> payer_labels;
};

// The PDF's bytes. Errors: "payer_missing" (the registration lacks the field naming the payer for
// this payment form), "pdf_failed".
Result<std::string> render_contract(const timeline::Fees& fees, const timeline::ContractDocument& text,
                                    const ContractInput& input);

}  // namespace praktika::intake
