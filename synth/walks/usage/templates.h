#pragma once
// Wordings of the usage walk, as data. Placeholders: {callee} (qualified name), {signature},
// {graph}.

#include <string_view>

namespace kg::synth::usage {

struct Wording {
  std::string_view instruction;
  std::string_view input;
};

inline constexpr Wording kWordings[] = {
    {"Show a real example of calling `{callee}` in the {graph} codebase.",
     "Signature: {signature}"},
    {"How is `{callee}` used? Give an example call from the code.", ""},
    {"Where is `{callee}` called, and what does the call look like?", "Codebase: {graph}"},
};

}  // namespace kg::synth::usage
