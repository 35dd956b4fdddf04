#pragma once
// Wordings of the fn_complete walk, as data. Placeholders: {name} (qualified name), {path},
// {graph}, {kind} ("function" or "method").

#include <string_view>

namespace kg::synth::fn_complete {

struct Wording {
  std::string_view instruction;
};

inline constexpr Wording kWordings[] = {
    {"Complete the body of the {kind} `{name}` from `{path}`."},
    {"Implement `{name}` ({kind} in `{path}` of the {graph} codebase) from its signature and "
     "docstring."},
    {"Write the body of this {kind} so that it does what its docstring says. It lives in "
     "`{path}`."},
};

}  // namespace kg::synth::fn_complete
