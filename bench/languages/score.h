#pragma once
// Scoring codekg's definitions against universal-ctags' tags of the same files.
//
// Both sides are reduced to (path, name, kind class, line). Kind classes:
//   type      codekg Class (any kind: class/struct/interface/enum/trait/protocol)
//   callable  codekg Function and Method (ctags' function/method split follows scoping rules
//             that differ per language, e.g. C++ `void A::f() {}` is ctags kind "function")
//   field     codekg Field (struct/class members)
//   variable  codekg Variable (module-level variables and constants)
// Names are compared without whitespace (ctags writes `operator ()`, codekg `operator()`).
// A ctags tag matches a codekg definition of the same path, name and class whose line span
// [start_line, end_line] holds the tag's line (ctags reports the name's line; codekg's span may
// start earlier, at annotations or modifiers); each side is matched at most once, nearest start
// first.
//
// ctags kind -> class, per ctags language. Kinds not listed are excluded (not definitions in
// codekg's schema), with the reason:
//   Go          struct, interface, type -> type; func, methodSpec (interface method) -> callable;
//               member -> field; var, const -> variable.
//               Excluded: package, packageName (imports), anonMember (an embedded field is an
//               INHERITS edge), talias (`type A = B` aliases), receiver, unknown.
//   C, C++      class, struct, union, enum -> type; function -> callable; member -> field;
//               variable -> variable; typedef of an anonymous struct/union/enum
//               (`typedef struct {...} T;`, typeref `struct:__anon...`) -> type named T.
//               Excluded: macro, enumerator, namespace (a scope that only prefixes names),
//               other typedefs and `using` aliases, header (includes), prototype, externvar,
//               local, parameter, label (off by default in ctags; declarations, not
//               definitions); tags named `__anon...` (anonymous types).
//   Rust        struct, enum, interface (trait) -> type; function, method (incl. trait method
//               signatures) -> callable; field -> field; variable (static/const) -> variable.
//               Excluded: implementation (impl blocks are not definitions), module, macro
//               (macro_rules!), enumerator (variants), typedef (`type A = B` aliases).
//   JavaScript  class -> type; function, generator, method, getter, setter -> callable;
//               field -> field; variable, constant -> variable when not inside a function.
//               Excluded: property (object literal keys), tags scoped in a function (locals).
//   TypeScript  class, interface, enum -> type; function, generator, method -> callable;
//               property (class members) -> field; variable, constant -> variable when not
//               inside a function. Excluded: namespace, alias (type aliases), enumerator,
//               parameter, local.
//   Java        class, interface, enum, annotation -> type; method -> callable; field ->
//               field. Excluded: package, enumConstant, local.
//
// Thread-safety: pure functions.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kg::bench::languages {

// One definition on either side.
struct Tag {
  std::string path;
  std::string name;
  std::string klass;  // "type", "callable", "field" or "variable"
  std::string kind;   // the side's own kind, for reports (ctags kind or codekg label/kind)
  int line = 0;       // ctags: the tag's line; codekg: start_line
  int end_line = 0;   // codekg: end_line (inclusive); ctags: == line
};

// The kind class of a ctags tag (fields of one JSON line), or "" when excluded.
std::string CtagsClass(std::string_view ctags_language, std::string_view kind,
                       std::string_view name, std::string_view typeref,
                       std::string_view scope_kind);

// The kind class of a codekg definition label ("Class", "Function", "Method", "Field",
// "Variable"), or "".
std::string CodekgClass(std::string_view label);

struct Counts {
  uint64_t ctags = 0, codekg = 0, matched = 0;
  double precision() const { return codekg ? static_cast<double>(matched) / codekg : 1.0; }
  double recall() const { return ctags ? static_cast<double>(matched) / ctags : 1.0; }
};

struct ScoreResult {
  Counts total;
  std::map<std::string, Counts> by_class;
  std::vector<Tag> missed;  // ctags tags codekg lacks
  std::vector<Tag> extra;   // codekg definitions ctags lacks
};

// Matches the two sides (see the header comment).
ScoreResult Score(std::vector<Tag> ctags, std::vector<Tag> codekg);

}  // namespace kg::bench::languages
