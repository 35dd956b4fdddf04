#pragma once
// FileFacts: what the extractor found in one file, before cross-file resolution.
//
// Produced by Extractor::Extract() (pure, per file), consumed by the resolver and the batch
// builder. Plain values; no ownership subtleties.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "ingest/languages/language.h"

namespace kg::ingest {

// A class, function or method definition.
struct Definition {
  std::string label;           // graph label: "Class", "Function" or "Method"
  std::string kind;            // the capture kind: "class", "function", "interface", ...
  std::string name;            // e.g. "price"
  std::string qualified_path;  // dotted path inside the module, e.g. "Product.price"
  std::string id;              // "<path>:<qualified_path>", plus "#2", "#3" for repeats
  int parent = -1;             // index of the enclosing definition in FileFacts::definitions
  int start_line = 0;          // 1-based, of the definition itself (not its decorators)
  int end_line = 0;            // 1-based, inclusive
  int name_line = 0;           // 1-based position of the name
  int name_col = 0;
  uint32_t start_byte = 0;  // 0-based, end exclusive
  uint32_t end_byte = 0;
  std::string signature;                 // header up to (not including) the ':' or body
  std::optional<std::string> docstring;  // cleaned
  std::vector<std::string> params;       // names as written ("self", "*args", "**kw")
  std::vector<std::string> param_types;  // parallel to params: annotation, or "" when none
  std::optional<std::string> return_type;
  std::vector<std::string> decorators;  // expressions without '@', in order
  bool is_async = false;                // the modifier "async"
  std::vector<std::string> modifiers;   // every @modifier.<m>, in first-seen order
  bool is_test = false;
  std::vector<std::string> bases;       // base-class expressions as written, in order
  std::vector<std::string> implements;  // implemented interfaces as written, in order
  // The class a method declares itself a member of from outside its body (@method.receiver:
  // Go `func (s *Server) Run()`, Rust `impl Server { fn run }`, C++ `void Server::run()`): its
  // base type name ("Server"); empty otherwise. The qualified path is then `Server.run` (under
  // any enclosing @scope prefix) and the class is looked up in the file, then in the other files
  // of the same module (Resolver::FindReceiverClass).
  std::string receiver;
};

// One imported name (an `import a, b` statement gives two).
struct ImportFact {
  int line = 0;          // 1-based line of the statement
  bool from = false;     // `from X import name` (else `import X`)
  std::string module;    // absolute module: the imported module, or X of a from-import
  std::string written;   // the module as written, e.g. "..models"
  std::string name;      // from-imports: the imported name; "*" for a wildcard; else empty
  std::string alias;     // the `as` name, or empty
  bool resolved = true;  // false when a relative import climbs above the top package
  // The repository file the import names (Language::ResolveImportFile, e.g. `#include "a.h"`),
  // filled in by ResolveImportFiles() once every file is known; empty otherwise.
  std::string file;
};

// A field or variable: a name bound by assignment in a class body or through `self.x = ...` in a
// method (label "Field", owned by the class), or at module level (label "Variable").
struct Member {
  std::string label;           // "Field" or "Variable"
  std::string name;            // e.g. "items"
  std::string qualified_path;  // "Cart.items" (Field) or "TIMEOUT" (Variable)
  std::string id;              // "<path>:<qualified_path>"; the first binding of a name wins
  int owner = -1;              // Field: index of its Class in FileFacts::definitions; else -1
  int line = 0;                // 1-based line of the first binding
  int name_line = 0;           // 1-based position of the name in the first binding
  int name_col = 0;
  uint32_t start_byte = 0;  // range of the first binding statement
  uint32_t end_byte = 0;
};

// A call site inside a function or method body.
struct CallFact {
  int caller = -1;     // index of the enclosing Function/Method in FileFacts::definitions
  std::string callee;  // the called expression as written, whitespace removed ("self.save")
  int line = 0;        // 1-based
  int col = 0;         // 1-based, of the called expression
};

// A name read, bound or declared global inside a function or method; or an instance attribute
// (`self.x`) read or assigned in one.
struct AccessFact {
  enum class Kind : uint8_t { kRead, kWrite, kGlobal };
  int scope = -1;  // index of the enclosing Function/Method in FileFacts::definitions
  Kind access = Kind::kRead;
  int line = 0;      // 1-based
  std::string name;  // e.g. "REGISTRY", or "self.items" for an instance attribute
};

// "read", "write" or "global" (the `access` property of USES edges).
inline const char* AccessName(AccessFact::Kind kind) {
  switch (kind) {
    case AccessFact::Kind::kRead:
      return "read";
    case AccessFact::Kind::kWrite:
      return "write";
    case AccessFact::Kind::kGlobal:
      return "global";
  }
  return "read";
}

// A type declared to implement an interface outside its class body: Rust `impl Trait for Type`
// (a match with @reference.implements and @method.receiver and no definition).
struct ReceiverImplementsFact {
  std::string receiver;        // the type's base name (as for Definition::receiver), "Point"
  std::string qualified_path;  // the type under any enclosing @scope prefix, "geo.Point"
  std::string implements;      // the interface as written, "fmt::Display"
  int line = 0;                // 1-based
};

struct FileFacts {
  std::string path;              // repository-relative, '/'-separated
  std::string language;          // e.g. "python"
  languages::ModuleInfo module;  // e.g. {"shop.models", false}
  std::optional<std::string> module_docstring;
  // The package/namespace the file declares (@module.name, whitespace removed), if any; `module`
  // already reflects it (Language::ModuleForDeclaration).
  std::optional<std::string> declared_module;
  bool is_test = false;                 // the file is test code
  std::vector<Definition> definitions;  // in source order; a parent precedes its children
  std::vector<ImportFact> imports;      // in source order
  std::vector<Member> members;          // fields and variables, in source order of first
                                        // binding; never sharing a definition's id
  std::vector<CallFact> calls;          // in source order; only calls inside functions
  std::vector<AccessFact> accesses;     // in source order; only inside functions; only the
                                        // first of each (scope, name, access); no reads of
                                        // the function's own parameters (locals, never USES)
  std::vector<ReceiverImplementsFact> receiver_implements;  // in source order
  std::optional<TextPosition> syntax_error;  // the first syntax error; facts are partial then
  std::string syntax_error_detail;           // e.g. "missing ':'" or "unexpected 'x'"
};

}  // namespace kg::ingest
