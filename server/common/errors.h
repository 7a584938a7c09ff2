// The refusals that more than one module gives, each written once: the same code and the same
// Russian words wherever a person meets them. A refusal that belongs to one module stays a
// Status factory call in that module. Pure values; callable from any thread.
#pragma once

#include "common/status.h"
#include "common/words.h"

namespace praktika::errors {

inline Status event_not_found() { return Status::not_found("event_not_found", "Мероприятие не найдено."); }
// In the event's word: «Практика не найдена», «Заявка не найдена», «Доклад не найден».
inline Status practice_not_found(const Noun& words) {
  return Status::not_found("practice_not_found",
                           capitalised(words.one) + " не " + std::string(words.agree("найдена", "найден", "найдено")) + ".");
}
// Where no event is at hand (a number that is not one): words that fit any event.
inline Status practice_not_found() { return Status::not_found("practice_not_found", "Под таким номером ничего не найдено."); }
inline Status not_authenticated() { return Status::unauthorized("not_authenticated", "Войдите в систему."); }
inline Status invalid_topic() { return Status::bad_request("invalid_topic", "Неверное имя темы подписки."); }
inline Status too_many_topics() {
  return Status::too_many("too_many_topics", "Слишком много подписок в одном соединении.");
}
inline Status upload_not_found() { return Status::not_found("upload_not_found", "Загрузка не найдена."); }
inline Status upload_incomplete() { return Status::conflict("upload_incomplete", "Файл ещё не загружен полностью."); }
inline Status unknown_purpose() { return Status::bad_request("unknown_purpose", "Неизвестное назначение файла."); }
inline Status organiser_only() {
  return Status::forbidden("forbidden", "Это действие доступно только организатору мероприятия.");
}
inline Status invalid_export_format() {
  return Status::bad_request("invalid_format", "Выгрузка бывает в форматах CSV и XLSX.");
}
inline Status storage_unavailable() {
  return Status::unavailable("storage_unavailable", "Сервер не может сохранить файл: нет места или доступа.");
}

}  // namespace praktika::errors
