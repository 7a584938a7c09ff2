// Errors as values at module boundaries. A Status carries a stable English `code`
// (the wire contract), a Russian `message` for a person, and the HTTP status the API
// layer answers with. Result<T> is a value or a Status. Immutable, safe to copy across threads.
#pragma once

#include <cassert>
#include <memory>
#include <string>
#include <utility>
#include <variant>

#include <nlohmann/json_fwd.hpp>

namespace praktika {

class Status {
 public:
  Status() = default;  // ok

  // The factory. On a value ask is_ok() or test it as a bool: `s.ok()` would compile (a static
  // member called through an instance) and always be true.
  static Status ok() { return {}; }
  static Status bad_request(std::string code, std::string message) { return {400, std::move(code), std::move(message)}; }
  static Status unauthorized(std::string code, std::string message) { return {401, std::move(code), std::move(message)}; }
  static Status forbidden(std::string code, std::string message) { return {403, std::move(code), std::move(message)}; }
  static Status not_found(std::string code, std::string message) { return {404, std::move(code), std::move(message)}; }
  static Status conflict(std::string code, std::string message) { return {409, std::move(code), std::move(message)}; }
  static Status too_large(std::string code, std::string message) { return {413, std::move(code), std::move(message)}; }
  static Status unsupported(std::string code, std::string message) { return {415, std::move(code), std::move(message)}; }
  static Status unprocessable(std::string code, std::string message) { return {422, std::move(code), std::move(message)}; }
  static Status too_many(std::string code, std::string message) { return {429, std::move(code), std::move(message)}; }
  static Status internal(std::string code, std::string message) { return {500, std::move(code), std::move(message)}; }
  static Status unavailable(std::string code, std::string message) { return {503, std::move(code), std::move(message)}; }

  bool is_ok() const { return http_status_ == 0; }
  explicit operator bool() const { return is_ok(); }
  int http_status() const { return is_ok() ? 200 : http_status_; }
  const std::string& code() const { return code_; }
  const std::string& message() const { return message_; }

  // Structured detail for the client, e.g. the list of form fields that failed and why.
  // Sent as error.details on the wire.
  Status with_details(nlohmann::json details) const;
  const nlohmann::json* details() const { return details_.get(); }

 private:
  Status(int http_status, std::string code, std::string message)
      : http_status_(http_status), code_(std::move(code)), message_(std::move(message)) {}

  int http_status_ = 0;
  std::string code_;
  std::string message_;
  std::shared_ptr<const nlohmann::json> details_;  // immutable, shared by copies
};

// A value or the Status that explains its absence.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Status error) : v_(std::move(error)) { assert(!std::get<Status>(v_).is_ok()); }

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  const Status& status() const { return std::get<Status>(v_); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace praktika
