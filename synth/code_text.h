#pragma once
// Helpers for walks that emit source code: import headers and indentation.
// Pure functions except FileImports (one query); thread-safe.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "synth/strategies.h"

namespace kg::synth {

// The import statements of every file, rebuilt from its IMPORTS edges (absolute module names,
// in line order, one statement per line): path -> "from a.b import c as d\nimport e\n".
// Errors: the query engine's.
Result<std::map<std::string, std::string>> FileImports(const WalkContext& context);

// Removes the common leading indentation of lines 2..n (line 1 of a node's code starts at its
// first token, so it carries none), keeping the body `body_indent` spaces deeper than line 1.
std::string DedentBody(std::string_view code, size_t body_indent = 4);

// Removes the common leading indentation of all non-blank lines.
std::string Dedent(std::string_view code);

// Lines [first, last] (0-based, clipped) of `text`, joined with '\n'.
std::string LineRange(std::string_view text, int64_t first, int64_t last);

}  // namespace kg::synth
