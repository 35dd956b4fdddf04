#pragma once
// Loading a source file for ingest: size limit, binary detection, UTF-8 validation.
//
// All functions are pure or only read the file system; thread-safe.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace kg::ingest {

// The bytes of a file, or why it is not ingested.
struct SourceLoad {
  std::string text;         // the file's bytes when skip_reason is empty
  std::string skip_reason;  // e.g. "too large (3145728 bytes > 2097152)", "binary file"
  uint64_t size = 0;        // size in bytes on disk
};

// Reads `file`. Never fails: problems become skip_reason, checked in this order:
//   "too large (N bytes > LIMIT)"                 size on disk exceeds max_bytes (not read)
//   "cannot read: <OS message>"                   open/read failed
//   "binary file"                                 a NUL byte in the first 8 KiB
//   "invalid UTF-8 at byte N (line L, column C)"  N is the 0-based offset of the first bad byte
SourceLoad LoadSourceFile(const std::filesystem::path& file, uint64_t max_bytes);

// Why `bytes` are not acceptable source text ("binary file" / "invalid UTF-8 at byte ..."), or
// nullopt when they are.
std::optional<std::string> CheckSourceText(std::string_view bytes);

// Offset of the first byte that does not start or continue a well-formed UTF-8 sequence
// (overlong forms, surrogates and code points above U+10FFFF are ill-formed), or npos.
size_t FindInvalidUtf8(std::string_view bytes);

}  // namespace kg::ingest
