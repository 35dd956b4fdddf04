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
//   {subject}   "`qualified.Name` (in `path`)" of the entity asked about   (generic edges)
//   {a}, {b}    the two entities of a negative question ("`x.y`")         (negatives)
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

// Generic edge types: one entry per type; both directions plus the negative question.
struct EdgeTemplates {
  std::string_view relation;            // edge type, as in common/schema.def
  std::string_view forward_direction;   // meta.direction of "subject -> its targets"
  std::span<const Wording> forward;     // placeholders: {subject}, {graph}
  std::string_view forward_verb;        // answer: "{subject} <verb> <targets>"
  std::string_view backward_direction;  // meta.direction of "subject <- its sources"
  std::span<const Wording> backward;
  std::string_view backward_verb;
  std::span<const Wording> negative;  // does {a} relate to {b}? placeholders {a}, {b}, {graph}
  std::string_view negative_fact;     // "{a} does not ... {b}"
};

inline constexpr Wording kCallsFwd[] = {
    {"Which functions or methods does {subject} call?", ""},
    {"List the callees of {subject}.", "Codebase: {graph}"},
    {"What does {subject} call directly?", ""},
};
inline constexpr Wording kCallsBwd[] = {
    {"Which functions or methods call {subject}?", ""},
    {"List the direct callers of {subject}.", "Codebase: {graph}"},
    {"Where is {subject} called from?", ""},
};
inline constexpr Wording kCallsNeg[] = {
    {"Does {a} call {b} directly?", ""},
    {"Is {b} one of the callees of {a}?", "Codebase: {graph}"},
};

inline constexpr Wording kImportsFwd[] = {
    {"What does {subject} import?", ""},
    {"List the imports of {subject}.", "Codebase: {graph}"},
    {"Which modules and names are imported by {subject}?", ""},
};
inline constexpr Wording kImportsBwd[] = {
    {"Which files or modules import {subject}?", ""},
    {"Who imports {subject}?", "Codebase: {graph}"},
    {"List the importers of {subject}.", ""},
};
inline constexpr Wording kImportsNeg[] = {
    {"Does {a} import {b}?", ""},
    {"Is {b} among the imports of {a}?", "Codebase: {graph}"},
};

inline constexpr Wording kFieldsFwd[] = {
    {"Which attributes does {subject} have?", ""},
    {"List the fields of {subject}.", "Codebase: {graph}"},
    {"What attributes are declared on {subject}?", ""},
};
inline constexpr Wording kFieldsBwd[] = {
    {"Which class has the attribute {subject}?", ""},
    {"On which class is {subject} declared?", "Codebase: {graph}"},
};
inline constexpr Wording kFieldsNeg[] = {
    {"Does {a} have an attribute {b}?", ""},
    {"Is {b} a field of {a}?", "Codebase: {graph}"},
};

inline constexpr Wording kContainsFwd[] = {
    {"What does {subject} contain?", ""},
    {"List what is defined directly in {subject}.", "Codebase: {graph}"},
    {"Which entities are directly inside {subject}?", ""},
};
inline constexpr Wording kContainsBwd[] = {
    {"What contains {subject}?", ""},
    {"Where is {subject} defined (its direct container)?", "Codebase: {graph}"},
};
inline constexpr Wording kContainsNeg[] = {
    {"Is {b} defined directly in {a}?", ""},
    {"Does {a} directly contain {b}?", "Codebase: {graph}"},
};

inline constexpr Wording kOverridesFwd[] = {
    {"Which method does {subject} override?", ""},
    {"What base-class method is overridden by {subject}?", "Codebase: {graph}"},
};
inline constexpr Wording kOverridesBwd[] = {
    {"Which methods override {subject}?", ""},
    {"List the overrides of {subject}.", "Codebase: {graph}"},
};
inline constexpr Wording kOverridesNeg[] = {
    {"Does {a} override {b}?", ""},
    {"Is {a} an override of {b}?", "Codebase: {graph}"},
};

inline constexpr Wording kUsesFwd[] = {
    {"Which variables or attributes does {subject} use?", ""},
    {"List what {subject} reads or writes.", "Codebase: {graph}"},
};
inline constexpr Wording kUsesBwd[] = {
    {"What uses {subject}?", ""},
    {"Which functions or methods read or write {subject}?", "Codebase: {graph}"},
};
inline constexpr Wording kUsesNeg[] = {
    {"Does {a} use {b}?", ""},
    {"Does {a} read or write {b}?", "Codebase: {graph}"},
};

inline constexpr Wording kReferencesFwd[] = {
    {"Which types or decorators does {subject} reference?", ""},
    {"List the type, decorator and annotation references of {subject}.", "Codebase: {graph}"},
};
inline constexpr Wording kReferencesBwd[] = {
    {"What references {subject} (as a type, decorator or annotation)?", ""},
    {"Where is {subject} referenced as a type or decorator?", "Codebase: {graph}"},
};
inline constexpr Wording kReferencesNeg[] = {
    {"Does {a} reference {b}?", ""},
    {"Is {b} used as a type or decorator by {a}?", "Codebase: {graph}"},
};

inline constexpr Wording kDefinesModuleFwd[] = {
    {"Which module does {subject} define?", ""},
    {"What is the module name of {subject}?", "Codebase: {graph}"},
};
inline constexpr Wording kDefinesModuleBwd[] = {
    {"Which file defines {subject}?", ""},
    {"In which file is {subject} implemented?", "Codebase: {graph}"},
};
inline constexpr Wording kDefinesModuleNeg[] = {
    {"Does {a} define the module {b}?", ""},
};

inline constexpr Wording kExportsFwd[] = {
    {"What does {subject} re-export?", ""},
    {"List the names re-exported by {subject}.", "Codebase: {graph}"},
};
inline constexpr Wording kExportsBwd[] = {
    {"Which modules re-export {subject}?", ""},
};
inline constexpr Wording kExportsNeg[] = {
    {"Does {a} re-export {b}?", ""},
};

inline constexpr Wording kImplementsFwd[] = {
    {"Which interfaces does {subject} implement?", ""},
};
inline constexpr Wording kImplementsBwd[] = {
    {"Which classes implement {subject}?", ""},
};
inline constexpr Wording kImplementsNeg[] = {
    {"Does {a} implement {b}?", ""},
};

inline constexpr Wording kDocumentsFwd[] = {
    {"What does {subject} document?", ""},
};
inline constexpr Wording kDocumentsBwd[] = {
    {"Where is {subject} documented?", ""},
    {"Which documentation covers {subject}?", "Codebase: {graph}"},
};
inline constexpr Wording kDocumentsNeg[] = {
    {"Does {a} document {b}?", ""},
};

inline constexpr Wording kTestsFwd[] = {
    {"What does the test {subject} test?", ""},
};
inline constexpr Wording kTestsBwd[] = {
    {"Which tests exercise {subject}?", ""},
    {"List the tests of {subject}.", "Codebase: {graph}"},
};
inline constexpr Wording kTestsNeg[] = {
    {"Does {a} test {b}?", ""},
};

// Edge types of the generic walk (INHERITS and HAS_METHOD have their own richer answers above).
inline constexpr EdgeTemplates kEdgeTemplates[] = {
    {"CALLS", "callees", kCallsFwd, "calls", "callers", kCallsBwd, "is called by", kCallsNeg,
     "{a} does not call {b}"},
    {"IMPORTS", "imports", kImportsFwd, "imports", "importers", kImportsBwd, "is imported by",
     kImportsNeg, "{a} does not import {b}"},
    {"HAS_FIELD", "fields", kFieldsFwd, "has the attributes", "owner", kFieldsBwd,
     "is an attribute of", kFieldsNeg, "{a} has no attribute {b}"},
    {"CONTAINS", "children", kContainsFwd, "directly contains", "container", kContainsBwd,
     "is directly contained in", kContainsNeg, "{b} is not defined directly in {a}"},
    {"OVERRIDES", "overridden", kOverridesFwd, "overrides", "overriders", kOverridesBwd,
     "is overridden by", kOverridesNeg, "{a} does not override {b}"},
    {"USES", "used", kUsesFwd, "uses", "users", kUsesBwd, "is used by", kUsesNeg,
     "{a} does not use {b}"},
    {"REFERENCES", "referenced", kReferencesFwd, "references", "referrers", kReferencesBwd,
     "is referenced by", kReferencesNeg, "{a} does not reference {b}"},
    {"DEFINES_MODULE", "module", kDefinesModuleFwd, "defines the module", "file", kDefinesModuleBwd,
     "is defined by", kDefinesModuleNeg, "{a} does not define {b}"},
    {"EXPORTS", "exports", kExportsFwd, "re-exports", "exporters", kExportsBwd, "is re-exported by",
     kExportsNeg, "{a} does not re-export {b}"},
    {"IMPLEMENTS", "interfaces", kImplementsFwd, "implements", "implementers", kImplementsBwd,
     "is implemented by", kImplementsNeg, "{a} does not implement {b}"},
    {"DOCUMENTS", "documented", kDocumentsFwd, "documents", "documentation", kDocumentsBwd,
     "is documented by", kDocumentsNeg, "{a} does not document {b}"},
    {"TESTS", "tested", kTestsFwd, "tests", "tests", kTestsBwd, "is tested by", kTestsNeg,
     "{a} does not test {b}"},
};

// Negatives of INHERITS and HAS_METHOD.
inline constexpr Wording kInheritsNeg[] = {
    {"Does {a} inherit directly from {b}?", ""},
    {"Is {b} a direct base class of {a}?", "Codebase: {graph}"},
};
inline constexpr Wording kHasMethodNeg[] = {
    {"Does the class {a} define a method named {b}?", ""},
    {"Is {b} one of the methods declared in {a}?", "Codebase: {graph}"},
};

inline constexpr DirectionTemplates kBasesTemplates{"INHERITS", "bases", kBases};
inline constexpr DirectionTemplates kSubclassesTemplates{"INHERITS", "subclasses", kSubclasses};
inline constexpr DirectionTemplates kMethodsTemplates{"HAS_METHOD", "methods", kMethods};
inline constexpr DirectionTemplates kDefiningClassTemplates{"HAS_METHOD", "defining_class",
                                                            kDefiningClass};
inline constexpr DirectionTemplates kInheritsNegTemplates{"INHERITS", "negative", kInheritsNeg};
inline constexpr DirectionTemplates kHasMethodNegTemplates{"HAS_METHOD", "negative", kHasMethodNeg};

}  // namespace kg::synth::relation_qa
