#pragma once
// Line-numbered, folded source code for API responses (GET /v1/graphs/{g}/nodes/{id}).
// Pure function; thread-safe.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace kg::server {

struct CodeView {
  std::string text;   // "  12 | def f():\n  13 |     return 1\n" (numbers right-aligned)
  size_t lines = 0;   // lines of `code`
  size_t folded = 0;  // lines replaced by the fold marker (0: nothing folded)
};

// Numbers the lines of `code` starting at `first_line`. When `code` has more than `max_lines`
// lines (max_lines >= 2), keeps the first and last max_lines/2 lines and puts one line
// "     ... N lines folded ..." between them. A trailing newline does not count as a line.
CodeView RenderCode(std::string_view code, int64_t first_line, size_t max_lines);

}  // namespace kg::server
