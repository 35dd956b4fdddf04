#include "common/status.h"

namespace kg {

std::string_view Status::CodeName(Code code) {
  switch (code) {
    case Code::kOk:
      return "ok";
    case Code::kNotFound:
      return "not_found";
    case Code::kInvalidArgument:
      return "invalid_argument";
    case Code::kCorruption:
      return "corruption";
    case Code::kIOError:
      return "io_error";
    case Code::kNotSupported:
      return "not_supported";
    case Code::kAlreadyExists:
      return "already_exists";
    case Code::kResourceExhausted:
      return "resource_exhausted";
    case Code::kTimeout:
      return "timeout";
    case Code::kCancelled:
      return "cancelled";
    case Code::kInternal:
      return "internal";
    case Code::kPermissionDenied:
      return "permission_denied";
  }
  return "unknown";
}

Status Status::WithContext(std::string_view context) const {
  if (ok()) return *this;
  Status s = *this;
  s.message_ = std::string(context) + ": " + message_;
  return s;
}

Status Status::WithPosition(TextPosition pos) const {
  if (ok()) return *this;
  Status s = *this;
  s.position_ = pos;
  return s;
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out(CodeName(code_));
  out += ": ";
  out += message_;
  if (position_) {
    out += " (line " + std::to_string(position_->line) + ", column " +
           std::to_string(position_->column) + ")";
  }
  return out;
}

}  // namespace kg
