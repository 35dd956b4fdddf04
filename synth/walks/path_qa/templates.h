#pragma once
// Wordings of the path_qa walk, as data; one is picked per record by SeededHash(seed, key).
// Placeholders: {subject} ("`qualified.Name` (in `path`)"), {graph}.

#include <string_view>

namespace kg::synth::path_qa {

struct Wording {
  std::string_view instruction;
  std::string_view input;
};

inline constexpr Wording kInheritedMethods[] = {
    {"Which methods does {subject} inherit from its direct base classes?", ""},
    {"List the methods {subject} gets from its parent classes, and where each comes from.",
     "Codebase: {graph}"},
    {"Besides its own methods, what methods are available on {subject} through its direct "
     "bases?",
     ""},
};

inline constexpr Wording kGrandparentMethods[] = {
    {"Which methods does {subject} inherit from the bases of its base classes (two levels up)?",
     ""},
    {"Follow the inheritance of {subject} two levels up: which methods do its grandparent "
     "classes define?",
     "Codebase: {graph}"},
    {"What methods reach {subject} from its grandparent classes, and through which parent?", ""},
};

inline constexpr Wording kCalleeFiles[] = {
    {"In which files are the functions and methods called by {subject} defined?", ""},
    {"{subject} calls other code of this codebase. Which files does that code live in?",
     "Codebase: {graph}"},
    {"Trace the direct callees of {subject} to their source files.", ""},
};

inline constexpr Wording kReturnType[] = {
    {"What methods can be called on the object returned by {subject}?", ""},
    {"{subject} returns an object. Which methods does that object's class define?",
     "Codebase: {graph}"},
    {"After calling {subject}, what can you do with the result? List the methods of its type.", ""},
};

}  // namespace kg::synth::path_qa
