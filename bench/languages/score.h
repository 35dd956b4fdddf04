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
//
// Corrections of ctags' JavaScript/TypeScript behaviour (each names the ctags behaviour and why
// it does not hide a codekg miss):
//   anon        JS, TS: tags named `AnonymousFunction<hash>` are excluded. ctags invents these
//               names for unnamed function expressions (callbacks, IIFEs); the source has no
//               name, so no named definition exists to find.
//   pseudo      JS: a `class` tag whose source line (ctags' pattern) has no `class` keyword is
//               ctags' guess from prototype or object-literal use, not a class declaration:
//               `function F(` -> callable (F is a function; codekg's Function F is still
//               required); a top-level object-literal binding `X = {` -> variable (codekg's
//               Variable X is still required); anything else (`F.prototype.m = ...`, which ctags
//               tags as a second "class F" where F is not declared, or a nested `key: {`) ->
//               excluded. Members scoped in an object-literal pseudo-class are object literal
//               keys and are excluded like ctags' own "property" kind.
//   protodata   JS: a `method` tag written `F.prototype.m = <value>` whose value on that line is
//               not a function (`= true`, `= Fragment`) is data stored on a prototype, not a
//               method definition; excluded. When the value continues on the next line the tag
//               is kept.
//   binding     JS, TS: a variable/constant tag may match a codekg callable as well: ctags tags
//               `const f = () => {}` by its binding, codekg defines the function (CAPTURES.md:
//               a node that is both a member and a function is the function). The tag must still
//               be matched by a definition of the same name on its line. Per-class rows count
//               such a match in the ctags tag's class ("variable") while the definition is
//               counted in its own ("callable"), so a class's precision can exceed 1; the "all"
//               row is exact.
//   lost scope  JS, TS: a variable/constant tag that ctags reports at top level although the
//               tree-sitter parse of the file puts its declaration inside a function, arrow
//               function or method body is a local (ctags gives no scope to arrow functions
//               assigned to members, and loses a TypeScript class's methods when it fails to
//               parse the class body, e.g. a generic arrow property initializer). Excluded:
//               locals are not definitions in codekg's schema, whose module-level variables are
//               still all required. Decided by lang_bench (it needs the parse):
//               InFunctionBody() there.
//   key         JS, TS: a variable/constant tag whose name on its line is a property key in the
//               parse (`export const config = { onStoppedNotification: null }`, a type literal's
//               `{ error: any }`, the key of `const { keys: getKeys } = Object`) is excluded:
//               ctags' TypeScript parser tags these keys as constants; they bind nothing.
//   lost class  TS: where the "lost scope" rule finds a local of a method, ctags lost that
//               class's body; codekg definitions inside the class that ctags lacks are not scored
//               (neither confirmed nor refuted; counted in the report). ctags tags there are
//               still all required.
//   nested fn   TS: codekg's functions declared inside a function or method body are not
//               scored: ctags' TypeScript parser tags none (it tags the body's constants, kind
//               "constant" scoped in the function, so it reads bodies, but never a nested
//               `function f() {}`). Its JavaScript parser tags them and they stay scored there.
//   arrow member  JS, TS: codekg's Function for `obj.m = (...) => ...` (an arrow function
//               assigned to a member) is not scored: ctags tags `obj.m = function () {}` but
//               never the arrow form, so such a definition has no counterpart to match.
//               Definitions from `const f = () => {}` and `obj.m = function` stay scored.
//   Java        class, interface, enum, annotation -> type; method -> callable; field ->
//               field. Excluded: package, enumConstant, local.
//
// Thread-safety: pure functions.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kg::bench::languages {

// One definition on either side.
struct Tag {
  std::string path;
  std::string name;
  std::string klass;           // "type", "callable", "field" or "variable"
  std::string kind;            // the side's own kind, for reports (ctags kind or codekg label/kind)
  int line = 0;                // ctags: the tag's line; codekg: start_line
  int end_line = 0;            // codekg: end_line (inclusive); ctags: == line
  std::string alt_klass = {};  // ctags: a second class the tag may match ("binding"), or ""
};

// The fields of one ctags JSON line that the kind mapping reads.
struct CtagsFields {
  std::string_view language;  // ctags language name, e.g. "JavaScript"
  std::string_view kind, name, typeref, scope, scope_kind;
  std::string_view pattern;  // ctags' search pattern: the tag's source line as `/^...$/`
};

// The classes of one ctags tag.
struct CtagsClasses {
  std::string klass;      // "" when excluded
  std::string alt_klass;  // "binding" rule: "callable" for JS/TS variables, else ""
};

// The kind class of a ctags tag, or "" when excluded. `object_literal_scopes` holds the
// qualified names (scope.name) of the file's JS object-literal pseudo-classes ("pseudo" rule:
// ObjectLiteralScope() of the file's class tags); members scoped in one are excluded.
CtagsClasses CtagsClass(const CtagsFields& tag,
                        const std::vector<std::string>& object_literal_scopes = {});

// "arrow member" rule: whether a codekg definition with this signature (its first line) is left
// out of the score.
// `parent_label` is the label of the definition's enclosing definition ("" at top level).
bool UnscoredCodekgDefinition(std::string_view ctags_language, std::string_view signature,
                              std::string_view parent_label);

// "pseudo" rule: the qualified name of the object-literal pseudo-class a JS class tag is, or ""
// when it is not one.
std::string ObjectLiteralScope(const CtagsFields& tag);

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
// A ctags tag is matched in its class first, then in its alt_klass.
ScoreResult Score(std::vector<Tag> ctags, std::vector<Tag> codekg);

// "lost class": drops the unmatched codekg definitions (extras) that start inside one of the
// line ranges (by path) from the result and its counts; returns how many.
uint64_t UnscoreExtrasIn(const std::map<std::string, std::vector<std::pair<int, int>>>& ranges,
                         ScoreResult* result);

}  // namespace kg::bench::languages
