// Errors as values: Error, Result<T> and Status, used across every module boundary.
//
// An Error carries a short machine-readable tag (for OVSDB errors, the RFC 7047 "error" string
// such as "constraint violation") and human-readable details. Result<T> holds either a T or an
// Error; Status is Result<void>. Both are [[nodiscard]] so an error cannot be dropped silently.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace ovnx {

struct Error {
  std::string tag;      // e.g. "syntax error", "constraint violation", "io error"
  std::string details;  // what exactly was wrong, naming the offending input

  // "tag: details", or just the tag when there are no details.
  std::string to_string() const { return details.empty() ? tag : tag + ": " + details; }
};

inline Error make_error(std::string tag, std::string details = {}) {
  return Error{std::move(tag), std::move(details)};
}

template <class T>
class [[nodiscard]] Result {
 public:
  using value_type = T;

  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok().
  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // REQUIRES: !ok().
  const Error& error() const& {
    assert(!ok());
    return std::get<1>(v_);
  }
  Error&& error() && {
    assert(!ok());
    return std::get<1>(std::move(v_));
  }

  T value_or(T fallback) const& { return ok() ? std::get<0>(v_) : std::move(fallback); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT: implicit by design

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const& {
    assert(failed_);
    return error_;
  }
  Error&& error() && {
    assert(failed_);
    return std::move(error_);
  }

 private:
  Error error_;
  bool failed_ = false;
};

using Status = Result<void>;

inline Status ok_status() { return {}; }

}  // namespace ovnx

// Evaluates EXPR (a Result or Status); on error returns the error from the enclosing function.
#define OVNX_RETURN_IF_ERROR(expr)                       \
  do {                                                   \
    auto ovnx_status_ = (expr);                          \
    if (!ovnx_status_.ok()) return std::move(ovnx_status_).error(); \
  } while (0)

#define OVNX_CONCAT_INNER_(a, b) a##b
#define OVNX_CONCAT_(a, b) OVNX_CONCAT_INNER_(a, b)

// OVNX_ASSIGN_OR_RETURN(auto x, f()): declares x from f()'s value or returns its error.
#define OVNX_ASSIGN_OR_RETURN(lhs, expr) \
  OVNX_ASSIGN_OR_RETURN_IMPL_(OVNX_CONCAT_(ovnx_result_, __LINE__), lhs, expr)
#define OVNX_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return std::move(tmp).error();     \
  lhs = std::move(tmp).value()
