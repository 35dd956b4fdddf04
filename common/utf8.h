#pragma once
// UTF-8 helpers shared by the query parser (string escapes) and ingest (Python string literals).
// Pure functions; thread-safe.

#include <cstdint>
#include <string>

namespace kg {

// Appends the UTF-8 encoding of code point `cp` to `out`. REQUIRES: cp <= 0x10FFFF.
void AppendUtf8(std::string* out, uint32_t cp);

}  // namespace kg
