#include "sections/floor.h"

#include "common/utf8.h"

namespace praktika::sections {
namespace {

using namespace floor_change;

Status question_not_found() { return Status::not_found("question_not_found", "Вопрос не найден."); }

Status no_question_named() { return Status::unprocessable("invalid_question", "Укажите, о каком вопросе речь."); }

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
    QuestionStatus status =
        premoderated(facts.premoderation, settings) ? QuestionStatus::pending : QuestionStatus::approved;
    return std::vector<FloorChange>{AddQuestion{user, std::move(text), status}};
  }

  // Only the questions the audience sees take votes and flags; a pending or hidden one is
  // answered as absent.
  bool unseen() const { return !facts.question || facts.question == QuestionStatus::pending || facts.hidden; }

  Out operator()(const floor_action::Vote& a) const {
    if (!a.question) return no_question_named();
    if (unseen()) return question_not_found();
    if (facts.question != QuestionStatus::approved)
      return Status::conflict("question_closed", "За этот вопрос уже нельзя голосовать.");
    if (facts.voted) return Status::conflict("already_voted", "Вы уже голосовали за этот вопрос.");
    return std::vector<FloorChange>{AddVote{*a.question, user}};
  }

  Out operator()(const floor_action::Flag& a) const {
    if (!a.question) return no_question_named();
    if (unseen()) return question_not_found();
    if (facts.question != QuestionStatus::approved)
      return Status::conflict("question_closed", "На этот вопрос уже нельзя пожаловаться: модератор его закрыл.");
    if (facts.flagged) return Status::conflict("already_flagged", "Вы уже пожаловались на этот вопрос.");
    std::vector<FloorChange> out{AddFlag{*a.question, user}};
    // Held from the audience by the flag that reaches the agenda's threshold, until a moderator decides.
    if (settings.hide_after_flags > 0 && facts.flags + 1 >= settings.hide_after_flags)
      out.push_back(HideQuestion{*a.question});
    return out;
  }

  Out operator()(const floor_action::Hide& a) const {
    if (!a.question) return no_question_named();
    if (!facts.question) return question_not_found();
    if (facts.question != QuestionStatus::approved)
      return Status::conflict("question_not_shown", "Скрыть можно только вопрос, который видят участники.");
    if (facts.hidden) return Status::conflict("question_hidden", "Вопрос уже скрыт.");
    return std::vector<FloorChange>{HideQuestion{*a.question}};
  }

  Out operator()(const floor_action::Show& a) const {
    if (!a.question) return no_question_named();
    if (!facts.question) return question_not_found();
    if (!facts.hidden && facts.flags == 0)
      return Status::conflict("question_not_hidden", "Вопрос не скрыт, и жалоб на него нет.");
    if (facts.question != QuestionStatus::approved) return decided_already(*facts.question);
    return std::vector<FloorChange>{ShowQuestion{*a.question}};
  }

  Out operator()(const floor_action::Premoderate& a) const {
    if (!a.on)
      return Status::unprocessable("invalid_switch", "Укажите, включить или выключить предварительное одобрение вопросов.");
    return std::vector<FloorChange>{SetPremoderation{user, *a.on}};
  }

  Out operator()(const floor_action::Decide& a) const {
    if (!a.question) return no_question_named();
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
  return std::holds_alternative<floor_action::Decide>(action) || std::holds_alternative<floor_action::Hide>(action) ||
         std::holds_alternative<floor_action::Show>(action) ||
         std::holds_alternative<floor_action::Premoderate>(action) ||
         std::holds_alternative<floor_action::Give>(action) || std::holds_alternative<floor_action::Done>(action);
}

bool premoderated(std::optional<bool> switched, const Settings& settings) {
  return switched.value_or(settings.questions_premoderated);
}

Result<std::vector<FloorChange>> apply(const FloorFacts& facts, const FloorAction& action, std::int64_t user,
                                       const Settings& settings) {
  return std::visit(Step{facts, user, settings}, action);
}

}  // namespace praktika::sections
