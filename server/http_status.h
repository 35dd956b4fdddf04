#pragma once
// The one place where a Status becomes an HTTP status and a JSON error body.
//
//   InvalidArgument 400, PermissionDenied 403, NotFound 404, Timeout 408, AlreadyExists 409,
//   ResourceExhausted 413, Cancelled 499, NotSupported 501, everything else 500.
//
// Error body: {"error": {"code": "<Status::CodeName>", "message": "...",
//                        "position": {"line": L, "column": C}}}   (position only when known)
// Pure functions; thread-safe.

#include "common/status.h"
#include "server/api.h"

namespace kg::server {

// REQUIRES: !status.ok().
int HttpStatusFor(const Status& status);

// The {"error": {...}} document for `status`. REQUIRES: !status.ok().
Json ErrorJson(const Status& status);

// HttpStatusFor + ErrorJson as a response. REQUIRES: !status.ok().
ApiResponse ErrorResponse(const Status& status);

}  // namespace kg::server
