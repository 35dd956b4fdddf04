#pragma once
// Status: the error value that crosses every module boundary in codekg (leveldb style).
//
// A Status is either OK or carries a code, a human-readable message and, for errors that point
// into a text (a query, a source file, a JSON body), an optional 1-based line/column position.
// Status is cheap to copy when OK (no allocation) and is a plain value otherwise.
// Thread-safety: distinct Status objects may be used from different threads freely.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kg {

// A position inside a text. line and column are 1-based; offset is the 0-based byte offset.
struct TextPosition {
  int line = 0;
  int column = 0;
  int64_t offset = -1;
};

class Status {
 public:
  // The codes are part of the HTTP contract (server maps them to statuses); append only.
  enum class Code : uint8_t {
    kOk = 0,
    kNotFound = 1,           // a named thing (graph, node, job, file) does not exist -> 404
    kInvalidArgument = 2,    // the caller's input is wrong (bad query, bad JSON, bad path) -> 400
    kCorruption = 3,         // stored data failed a check; never guessed around -> 500
    kIOError = 4,            // the OS or RocksDB failed to read or write -> 500
    kNotSupported = 5,       // valid but not implemented (e.g. a Cypher feature) -> 501
    kAlreadyExists = 6,      // create of something that exists -> 409
    kResourceExhausted = 7,  // a limit was hit (size, rows, memory) -> 413/422
    kTimeout = 8,            // a deadline passed -> 408/504
    kCancelled = 9,          // the operation was cancelled by request -> 499
    kInternal = 10,          // a bug: an invariant did not hold -> 500
    kPermissionDenied = 11,  // not allowed (token, path outside allowed roots) -> 403
  };

  Status() = default;  // OK

  static Status OK() { return Status(); }
  static Status NotFound(std::string_view msg) { return Status(Code::kNotFound, msg); }
  static Status InvalidArgument(std::string_view msg) {
    return Status(Code::kInvalidArgument, msg);
  }
  static Status Corruption(std::string_view msg) { return Status(Code::kCorruption, msg); }
  static Status IOError(std::string_view msg) { return Status(Code::kIOError, msg); }
  static Status NotSupported(std::string_view msg) { return Status(Code::kNotSupported, msg); }
  static Status AlreadyExists(std::string_view msg) { return Status(Code::kAlreadyExists, msg); }
  static Status ResourceExhausted(std::string_view msg) {
    return Status(Code::kResourceExhausted, msg);
  }
  static Status Timeout(std::string_view msg) { return Status(Code::kTimeout, msg); }
  static Status Cancelled(std::string_view msg) { return Status(Code::kCancelled, msg); }
  static Status Internal(std::string_view msg) { return Status(Code::kInternal, msg); }
  static Status PermissionDenied(std::string_view msg) {
    return Status(Code::kPermissionDenied, msg);
  }
  // An InvalidArgument that points at a place in the caller's text.
  static Status SyntaxError(std::string_view msg, TextPosition pos) {
    Status s(Code::kInvalidArgument, msg);
    s.position_ = pos;
    return s;
  }

  bool ok() const { return code_ == Code::kOk; }
  bool IsNotFound() const { return code_ == Code::kNotFound; }
  bool IsInvalidArgument() const { return code_ == Code::kInvalidArgument; }
  bool IsCorruption() const { return code_ == Code::kCorruption; }
  bool IsIOError() const { return code_ == Code::kIOError; }
  bool IsNotSupported() const { return code_ == Code::kNotSupported; }
  bool IsAlreadyExists() const { return code_ == Code::kAlreadyExists; }
  bool IsResourceExhausted() const { return code_ == Code::kResourceExhausted; }
  bool IsTimeout() const { return code_ == Code::kTimeout; }
  bool IsCancelled() const { return code_ == Code::kCancelled; }
  bool IsInternal() const { return code_ == Code::kInternal; }
  bool IsPermissionDenied() const { return code_ == Code::kPermissionDenied; }

  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::optional<TextPosition>& position() const { return position_; }

  // Returns a copy with `context` prepended to the message ("context: message").
  Status WithContext(std::string_view context) const;

  // Returns a copy that points at `pos` in the caller's text (any code, e.g. a NotSupported
  // clause in a query). An OK status stays OK without a position.
  Status WithPosition(TextPosition pos) const;

  // "OK", or "<CodeName>: <message>" plus " (line L, column C)" when a position is set.
  std::string ToString() const;

  // Stable snake_case name of a code, used in JSON errors ("not_found", "invalid_argument"...).
  static std::string_view CodeName(Code code);

 private:
  Status(Code code, std::string_view msg) : code_(code), message_(msg) {}

  Code code_ = Code::kOk;
  std::string message_;
  std::optional<TextPosition> position_;
};

}  // namespace kg

// Propagates a non-OK Status from an expression returning Status.
#define KG_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::kg::Status _kg_status = (expr);        \
    if (!_kg_status.ok()) return _kg_status; \
  } while (0)
