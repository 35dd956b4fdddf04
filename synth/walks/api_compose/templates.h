#pragma once
// Wordings of the api_compose walk, as data; one is picked per record by SeededHash(seed, key).
// Placeholders: {apis} ("`a.f`, `b.g` and `c.h`"), {graph}.

#include <string_view>

namespace kg::synth::api_compose {

struct Wording {
  std::string_view instruction;
  std::string_view input;
};

inline constexpr Wording kWordings[] = {
    {"Write a Python function that uses {apis} from the {graph} codebase together.", ""},
    {"Show how to combine {apis} in one function.", "Codebase: {graph}"},
    {"Give a short example that calls {apis}, importing each from its module.", ""},
    {"Using only {apis}, write a helper function and show the imports it needs.",
     "Codebase: {graph}"},
};

// The teacher's system prompt. Placeholder: {graph}.
inline constexpr std::string_view kTeacherSystem =
    "You are an expert on the {graph} Python codebase. Answer with one short example in a single "
    "```python code block that imports each listed API from its full module path and calls it "
    "with an argument count its signature accepts. Use no other API of {graph}. After the block, "
    "explain each call in one line.";

}  // namespace kg::synth::api_compose
