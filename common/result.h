#pragma once
// Result<T>: a value or a non-OK Status (C++20 has no std::expected).
//
// Construct from a T (success) or from a non-OK Status (failure). Constructing from an OK Status
// is a bug and yields an Internal error. Access value() only when ok(); value() on an error
// aborts in debug builds (assert) and is undefined otherwise.

#include <cassert>
#include <utility>
#include <variant>

#include "common/status.h"

namespace kg {

template <typename T>
class Result {
 public:
  Result(T value) : data_(std::move(value)) {}        // NOLINT: implicit on purpose
  Result(Status status) : data_(std::move(status)) {  // NOLINT: implicit on purpose
    if (std::get<Status>(data_).ok()) data_ = Status::Internal("Result built from an OK Status");
  }

  bool ok() const { return std::holds_alternative<T>(data_); }
  // OK when ok(), else the error.
  Status status() const { return ok() ? Status::OK() : std::get<Status>(data_); }

  T& value() & {
    assert(ok());
    return std::get<T>(data_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<T>(data_);
  }
  T&& value() && {
    assert(ok());
    return std::get<T>(std::move(data_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace kg

#define KG_CONCAT_INNER(a, b) a##b
#define KG_CONCAT(a, b) KG_CONCAT_INNER(a, b)
// KG_ASSIGN_OR_RETURN(auto x, ExprReturningResult()); returns the Status on error.
#define KG_ASSIGN_OR_RETURN(lhs, expr) \
  KG_ASSIGN_OR_RETURN_IMPL(KG_CONCAT(_kg_r_, __LINE__), lhs, expr)
#define KG_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.status();            \
  lhs = std::move(tmp).value()
