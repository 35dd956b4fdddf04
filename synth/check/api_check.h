#pragma once
// The API check: does a code snippet use only APIs that exist in the graph, with the right
// number of arguments?
//
// The snippet is parsed with the tree-sitter Python grammar (read-only; nothing is written).
// Every imported module and name, every attribute reached from one (`models.Model.save`,
// `qs.filter` after `qs = Manager()`), and every call of a resolved function, method or class is
// reported as one reference:
//   {"name": as written (dotted), "kind": "module"|"class"|"function"|"method"|"attribute"|
//    "variable"|"name", "line", "col" (1-based), "status": "resolved"|"not_found"|
//    "unresolvable", "node_id"? (resolved), "qualified_name"? (resolved),
//    "suggestions": [up to 3 nearest real names] (not_found),
//    "arity": {"expected": "2" | "1..3" | "1+", "given": n}? (a call whose argument count the
//    signature cannot accept)}
// Resolution rules (through the query engine only):
//   - `import a.b` / `from a.b import c`: resolved when a node has that qualified name (a
//     re-export through a package's EXPORTS edges counts); not_found when the top-level package
//     is in the graph but the name is not; unresolvable when the package is not (third-party or
//     standard library) or the import is relative.
//   - attributes of a resolved module or class (members of the class and of its bases, through
//     INHERITS): resolved / not_found, or unresolvable when a base is External (the member may
//     come from outside). Attributes of anything else (parameters, call results, `self`) are
//     unresolvable: Python is dynamic, and the check does not guess.
//   - calls: positional and keyword arguments are matched against the `signature` property
//     (defaults, *args, **kwargs, keyword-only); `self`/`cls` are skipped for bound calls and
//     constructors; calls with *x or **y are not counted.
// Result: {"ok": no not_found and no arity mismatch, "references": [...], "counts":
// {"resolved", "not_found", "unresolvable", "arity_mismatch"}, "syntax_error": bool}.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "storage/graph_store.h"

namespace kg::synth {

// Largest snippet CheckApi accepts.
inline constexpr size_t kMaxSnippetBytes = 256 * 1024;

// Checks snippets against one graph, caching what it looked up (so a job checking thousands of
// answers runs each lookup once). Not thread-safe: one checker per thread. The graph should not
// change while a checker is alive (its cache would be stale).
class ApiChecker {
 public:
  ApiChecker(storage::GraphStore& store, std::string graph);
  ~ApiChecker();
  ApiChecker(const ApiChecker&) = delete;
  ApiChecker& operator=(const ApiChecker&) = delete;

  // See the file comment. Errors: InvalidArgument for an empty or oversized snippet or a
  // language other than "python"; NotFound for an unknown graph; the query engine's errors.
  Result<nlohmann::json> Check(std::string_view code, std::string_view language = "python");

  struct Cache;  // lookups by qualified name and class members (api_check.cc)

 private:
  storage::GraphStore& store_;
  std::string graph_;
  std::unique_ptr<Cache> cache_;
};

// One-shot form of ApiChecker::Check. Thread-safe (a fresh checker per call).
Result<nlohmann::json> CheckApi(storage::GraphStore& store, std::string_view graph,
                                std::string_view code, std::string_view language = "python");

}  // namespace kg::synth
