#pragma once
// Wordings of the relation_qa walk, as data. Several wordings per (relation, direction); the
// walk picks one per record with SeededHash(seed, record key), so a seed fixes every choice.
//
// Placeholders (filled by relation_qa.cc; an unknown placeholder is left as written):
//   {graph}     the graph (codebase) name
//   {class}     qualified name of the class asked about          (bases, methods)
//   {path}      file of that class                                (bases, methods)
//   {base_ref}  "`Shape` (defined in `shop/base.py`)" or "the external class `Exception`"
//               (subclasses)
//   {method}    the method name                                   (defining_class)
// Answers are not templated here: they are built from the query rows in relation_qa.cc so they
// list exactly the graph's facts.
// To add a wording: append a line. Existing seeds then pick differently only for that direction.

#include <span>
#include <string_view>

namespace kg::synth::relation_qa {

struct Wording {
  std::string_view instruction;
  std::string_view input;
};

struct DirectionTemplates {
  std::string_view relation;   // edge type
  std::string_view direction;  // meta.direction
  std::span<const Wording> wordings;
};

// INHERITS, class -> its direct bases.
inline constexpr Wording kBases[] = {
    {"What does the class `{class}` defined in `{path}` inherit from?", ""},
    {"List the direct base classes of `{class}`.", "File: {path}"},
    {"Which classes does `{class}` from `{path}` extend?", ""},
    {"In the {graph} codebase, what are the parent classes of `{class}`?", "File: {path}"},
};

// INHERITS, base -> the classes that inherit from it directly.
inline constexpr Wording kSubclasses[] = {
    {"Which classes inherit from {base_ref}?", ""},
    {"List the direct subclasses of {base_ref}.", ""},
    {"What classes in the {graph} codebase extend {base_ref}?", ""},
    {"Name every class that derives directly from {base_ref}.", "Codebase: {graph}"},
};

// HAS_METHOD, class -> its methods.
inline constexpr Wording kMethods[] = {
    {"Which methods does the class `{class}` define?", "File: {path}"},
    {"List the methods of `{class}` (defined in `{path}`) with their signatures.", ""},
    {"What methods are declared in class `{class}` from `{path}`?", ""},
    {"In the {graph} codebase, what methods does `{class}` in `{path}` provide?", ""},
};

// HAS_METHOD, method name -> the class or classes that define a method of that name.
inline constexpr Wording kDefiningClass[] = {
    {"Which class defines the method `{method}`?", "Codebase: {graph}"},
    {"In which class is the method `{method}` defined?", ""},
    {"Where is the method `{method}` defined in the {graph} codebase? Name the class.", ""},
    {"`{method}` is a method. Which class or classes declare it?", "Codebase: {graph}"},
};

inline constexpr DirectionTemplates kBasesTemplates{"INHERITS", "bases", kBases};
inline constexpr DirectionTemplates kSubclassesTemplates{"INHERITS", "subclasses", kSubclasses};
inline constexpr DirectionTemplates kMethodsTemplates{"HAS_METHOD", "methods", kMethods};
inline constexpr DirectionTemplates kDefiningClassTemplates{"HAS_METHOD", "defining_class",
                                                            kDefiningClass};

}  // namespace kg::synth::relation_qa
