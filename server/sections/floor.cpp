#include "sections/floor.h"

#include "common/utf8.h"

namespace praktika::sections {
namespace {

using namespace floor_change;

Status question_not_found() { return Status::not_found("question_not_found", "Вопрос не найден."); }

Status decided_already(QuestionStatus status) {
  switch (status) {
    case QuestionStatus::answered: return Status::conflict("question_closed", "На вопрос уже ответили.");
    case QuestionStatus::dismissed: return Status::conflict("question_closed", "Вопрос уже отклонён.");
    default: return Status::conflict("question_closed", "Вопрос уже одобрен.");
  }
}

struct Step {
  const FloorFacts& facts;
  std::int64_t user;
  const Settings& settings;
  using Out = Result<std::vector<FloorChange>>;

  Out operator()(const floor_action::Hand&) const {
    if (facts.own_hand) return Status::conflict("hand_already_raised", "Вы уже подняли руку.");
    return std::vector<FloorChange>{RaiseHand{user}};
  }

  Out operator()(const floor_action::Lower&) const {
    if (facts.own_hand != HandStatus::raised) return Status::conflict("no_hand", "Ваша рука не поднята.");
    return std::vector<FloorChange>{LowerHand{user}};
  }

  Out operator()(const floor_action::Ask& a) const {
    std::string text = clean_text(a.text, TextLines::many);
    if (text.empty()) return Status::unprocessable("invalid_question", "Напишите текст вопроса.");
    if (utf8_length(text) > static_cast<std::size_t>(settings.question_max_chars))
      return Status::unprocessable("question_too_long",
                                   "Вопрос длиннее " + std::to_string(settings.question_max_chars) + " символов.");
    return std::vector<FloorChange>{AddQuestion{user, std::move(text)}};
  }

  Out operator()(const floor_action::Vote& a) const {
    if (!a.question) return Status::unprocessable("invalid_question", "Укажите, о каком вопросе речь.");
    // Only the questions the audience sees take votes; a pending one is answered as absent.
    if (!facts.question || facts.question == QuestionStatus::pending) return question_not_found();
    if (facts.question != QuestionStatus::approved)
      return Status::conflict("question_closed", "За этот вопрос уже нельзя голосовать.");
    if (facts.voted) return Status::conflict("already_voted", "Вы уже голосовали за этот вопрос.");
    return std::vector<FloorChange>{AddVote{*a.question, user}};
  }

  Out operator()(const floor_action::Decide& a) const {
    if (!a.question) return Status::unprocessable("invalid_question", "Укажите, о каком вопросе речь.");
    if (!facts.question) return question_not_found();
    QuestionStatus now = *facts.question;
    bool allowed = a.to == QuestionStatus::approved
                       ? now == QuestionStatus::pending
                       : now == QuestionStatus::pending || now == QuestionStatus::approved;
    if (!allowed) return decided_already(now);
    return std::vector<FloorChange>{SetQuestion{*a.question, a.to}};
  }

  Out operator()(const floor_action::Give& a) const {
    if (!facts.raised) return Status::conflict("no_hand", a.hand ? "Эта рука не поднята." : "Никто не поднял руку.");
    return std::vector<FloorChange>{EndSpeaking{}, Speak{*facts.raised}};
  }

  Out operator()(const floor_action::Done&) const {
    if (!facts.speaking) return Status::conflict("no_speaker", "Сейчас никто не говорит.");
    return std::vector<FloorChange>{EndSpeaking{}};
  }
};

template <typename E, std::size_t N>
std::optional<E> from_names(std::string_view text, const E (&all)[N]) {
  for (E e : all)
    if (text == to_string(e)) return e;
  return std::nullopt;
}

}  // namespace

std::string_view to_string(HandStatus status) {
  switch (status) {
    case HandStatus::raised: return "raised";
    case HandStatus::speaking: return "speaking";
    case HandStatus::spoken: return "spoken";
    case HandStatus::lowered: return "lowered";
  }
  return "raised";
}

std::optional<HandStatus> hand_status_from(std::string_view text) {
  static constexpr HandStatus kAll[] = {HandStatus::raised, HandStatus::speaking, HandStatus::spoken,
                                        HandStatus::lowered};
  return from_names(text, kAll);
}

std::string_view to_string(QuestionStatus status) {
  switch (status) {
    case QuestionStatus::pending: return "pending";
    case QuestionStatus::approved: return "approved";
    case QuestionStatus::answered: return "answered";
    case QuestionStatus::dismissed: return "dismissed";
  }
  return "pending";
}

std::optional<QuestionStatus> question_status_from(std::string_view text) {
  static constexpr QuestionStatus kAll[] = {QuestionStatus::pending, QuestionStatus::approved,
                                            QuestionStatus::answered, QuestionStatus::dismissed};
  return from_names(text, kAll);
}

bool moderating(const FloorAction& action) {
  return std::holds_alternative<floor_action::Decide>(action) || std::holds_alternative<floor_action::Give>(action) ||
         std::holds_alternative<floor_action::Done>(action);
}

Result<std::vector<FloorChange>> apply(const FloorFacts& facts, const FloorAction& action, std::int64_t user,
                                       const Settings& settings) {
  return std::visit(Step{facts, user, settings}, action);
}

}  // namespace praktika::sections
