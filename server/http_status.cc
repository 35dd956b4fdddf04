#include "server/http_status.h"

namespace kg::server {

int HttpStatusFor(const Status& status) {
  using Code = Status::Code;
  switch (status.code()) {
    case Code::kInvalidArgument:
      return 400;
    case Code::kPermissionDenied:
      return 403;
    case Code::kNotFound:
      return 404;
    case Code::kTimeout:
      return 408;
    case Code::kAlreadyExists:
      return 409;
    case Code::kResourceExhausted:
      return 413;
    case Code::kCancelled:
      return 499;
    case Code::kNotSupported:
      return 501;
    case Code::kOk:
    case Code::kCorruption:
    case Code::kIOError:
    case Code::kInternal:
      return 500;
  }
  return 500;
}

Json ErrorJson(const Status& status) {
  Json error = Json::object();
  error["code"] = std::string(Status::CodeName(status.code()));
  error["message"] = status.message();
  if (status.position()) {
    error["position"] =
        Json{{"line", status.position()->line}, {"column", status.position()->column}};
  }
  return Json{{"error", error}};
}

ApiResponse ErrorResponse(const Status& status) {
  return ApiResponse::FromJson(ErrorJson(status), HttpStatusFor(status));
}

}  // namespace kg::server
