#pragma once
// Ingest: parse a source tree with tree-sitter and write its graph through storage's batch API.
//
// IngestPath() walks `root`, extracts the facts of every supported file (every language of
// ingest/languages/registry.cc: Python, JavaScript, TypeScript/TSX, Java, Go, C, C++, Rust; plus
// Markdown and reStructuredText documentation), resolves
// cross-file references (imports, base classes) within the repository (unresolved targets become
// shared External nodes), and writes one atomic FactBatch per file with GraphStore::ApplyBatch().
// Files whose content hash is unchanged since the last ingest are not re-parsed; files that
// disappeared are deleted from the graph.
//
// Node ids follow `path:Qualified.Name` (LocAgent style): e.g. `pkg/shapes.py:Circle.area`; a
// File node's id is its path; Module ids are `module:<dotted.name>`; External ids are
// `external:<dotted.name>`; Directory ids are `dir:<path>` (root `dir:/`); the Repo id is `repo:`.
//
// The graph written (labels, edge types and their properties):
//   Repo {name}                        -CONTAINS->  Directory `dir:/`
//   Directory {path, name}             -CONTAINS->  Directory (sub-folder) | File
//   File {path, name, language, size, hash (hex SHA-256), is_test, syntax_error?}
//        -DEFINES_MODULE-> Module {name (dotted), path, language, is_package, is_test, docstring?}
//        -CONTAINS->       top-level Class | Function        (Module -CONTAINS-> them too)
//        -IMPORTS {line, module, symbol?, alias?}-> Module | Class | Function | External
//   Class -HAS_METHOD-> Method;  Class -CONTAINS-> nested Class;
//   Function | Method -CONTAINS-> nested Function | Class
//   Class -INHERITS {index (0-based), written}-> Class | External
//   Class -IMPLEMENTS {index (0-based), written}-> Class (interface) | External: Java/TS
//     `implements`, Rust `impl Trait for Type` (@reference.implements); Class adds {implements}
//   A method declared outside its class body (@method.receiver: Go receivers, Rust impl blocks,
//     C++ `A::f`, JS `A.prototype.f = ...`) has id `path:A.f`; File -CONTAINS-> it, and
//     Class A -HAS_METHOD-> it when the files of its module define A, else Module -CONTAINS-> it.
//   Class, Function, Method share {name, qualified_name (module + qualified path), path, language,
//     start_line, end_line (1-based, the `def`/`class` line, decorators excluded), start_byte,
//     end_byte, signature (header up to the ':'), docstring? (cleaned), decorators (without '@'),
//     is_test}; Class adds {kind, bases (as written)}; Function/Method add {params, return_type?,
//     is_async}. A name defined twice in one scope (if/else branches) keeps both; later ids get
//     the suffix `#2`, `#3`.
//   External {name (dotted)}: shared, owned by no file.
//   Field {name, qualified_name, path, language, start_line, end_line, start_byte, end_byte,
//     is_test}: `x = ...` in a class body or `self.x = ...` in a method (first binding wins);
//     Class -HAS_FIELD {inherited: false, declared_in: class id}-> Field; and
//     Class -HAS_FIELD {inherited: true, declared_in: the base class}-> each Field of its
//     repository base classes (depth-first, first declaration of a name wins) it does not
//     declare itself.
//   Variable {same properties}: `x = ...` at module level; File and Module -CONTAINS-> Variable.
//     Variables are definitions for resolution (`from m import X` -> the Variable node).
//   Function | Method -CALLS {line, col (1-based, first call site), count (call sites),
//     resolution}-> Function | Method | Class (construction) | Field | Variable | External
//     (named as written, e.g. `external:len`, `external:self.x.save`); resolution is "exact"
//     (module-level name of the same file), "scope" (an enclosing function's nested definition,
//     self./cls./this. on the class and its repository bases, a method of a parameter's
//     annotated class, or Java's unqualified sibling calls), "import" (also a file's implicit
//     imports, e.g. Java's own package), "name" (nothing else resolved `x.foo()` and the
//     repository has exactly one Function/Method `foo`; bare `foo()` too except in Python), or
//     "none" (External). "name" edges are not re-resolved when other files change.
//     Calls outside functions (module level, class bodies) are not recorded.
//   Method -OVERRIDES-> the same-named member of the first repository base class (depth-first).
//   Incremental limits: CALLS/OVERRIDES resolved into another file's class members are recomputed
//   when the caller's file is parsed, or when a top-level name it imports or inherits through
//   changes; a method added to or removed from a base class in another file alone does not
//   re-resolve its subclasses' files (a full re-ingest does). Bases of classes in files left
//   unchanged in a run are not followed past the first stored class.
//   Class | Function | Method -REFERENCES {kind: "decorator", line}-> what a decorator names
//     (call arguments ignored; External when unresolved); Function | Method -REFERENCES {kind:
//     "annotation", line}-> each repository definition named in a parameter or return annotation
//     (one edge per target; a decorator reference wins).
//   Function | Method -USES {access: "read" | "write", line (first access)}-> Variable of the same
//     file: read where the name is not a parameter or a local binding, written where the
//     function declares it `global`; -> Variable of another repository module read through a
//     name the file imports (`from .conf import TIMEOUT`); Method -USES-> Field `self.x` read or
//     assigned (looked up on the class and its repository bases). One edge per access kind.
//   Module (of a package's __init__) -EXPORTS {name, line}-> each repository definition or module
//     it imports by name (`from .models import Product`).
// IMPORTS: an import naming a repository file (C/C++ `#include "x.h"`, JS/TS './x' probed with
//   extensions and index files) -> that file's Module, or the named definition in it;
//   `import a.b [as x]` -> Module a.b (or External a.b), props module='a.b', alias;
//   `from m import n [as x]` -> the definition n of repo module m (re-exports followed), else
//   Module m.n (a submodule), else Module m (n is some other member), else External `m.n`; props
//   module='m', symbol='n', alias. Relative imports are resolved against the file's package.
// INHERITS targets resolve through enclosing classes, the file's definitions and its imports;
//   otherwise External named as written (`abc.ABC` -> `external:abc.ABC`).
// Documentation: every Markdown (.md, .markdown) and reStructuredText (.rst) file becomes a File
//   {language: "markdown" | "rst"} -CONTAINS-> Doc -CONTAINS-> DocSection tree, with
//   DocSection -DOCUMENTS {via: "code_span" | "link" | "code_block", confidence, name, line}->
//   the definitions and modules its markup names (see ingest/doc_linker.h, ingest/docs/).
//   Docstrings give Class | Function | Method | Module -DOCUMENTS {via: "docstring", confidence,
//   name}-> what they name. Documentation files are re-linked (re-parsed, cheap) whenever a code
//   file appears, disappears or changes its set of definitions.
// The Repo and Directory nodes and the edges between them belong to a batch with the pseudo
// path "/" (language "directory"), rewritten when the set of folders changes.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "storage/graph_store.h"

namespace kg::ingest {

struct IngestOptions {
  uint64_t max_file_bytes = 2u << 20;  // larger files are skipped with reason "too large"
  // Parse threads; 0 = hardware concurrency. With more than one, a second thread also resolves
  // the next files' batches while the calling thread writes the previous ones.
  int threads = 0;
  // Folder names never descended into.
  std::vector<std::string> exclude_dirs = {".git",        ".hg",   ".svn", "node_modules",
                                           "__pycache__", ".venv", "venv", ".tox",
                                           ".mypy_cache", "build", "dist"};
  bool skip_hidden_dirs = true;  // also skip every folder whose name starts with '.'
  // Empty = any root may be ingested; otherwise the canonical root must equal or lie inside one
  // of these (compared canonically; an allowed root that does not exist allows nothing), else
  // IngestPath returns PermissionDenied before touching the store.
  std::vector<std::string> allowed_roots;
  // Progress in files: `done` files loaded and (if changed) parsed out of `total`. `total` starts
  // as the number of supported files walked and grows by the unchanged files re-parsed to be
  // re-resolved; a last call (total, total) follows the writes. Called from any ingest thread,
  // never concurrently with itself; must not call back into the ingest.
  std::function<void(uint64_t done, uint64_t total)> on_progress;
  // Polled between files while loading and parsing and between the files written. true -> the
  // run stops and IngestPath returns Cancelled. Nothing is written until parsing is complete and
  // each file's batch is atomic, so a cancelled run leaves every file either as before or as
  // this run parsed it; re-resolved dependents are written before the files they depend on, so
  // the next run redoes whatever a cancelled one left undone. Called from any ingest thread,
  // possibly from several at once (must be thread-safe, e.g. read an atomic flag).
  std::function<bool()> cancelled;
};

struct FileIssue {
  std::string path;
  std::string reason;  // e.g. "invalid UTF-8 at byte 120 (line 5, column 3)", "binary file",
                       // "too large (3145728 bytes > 2097152)", "symlink loop (...)"
};

struct IngestReport {
  std::string root;               // absolute, canonical root that was ingested
  uint64_t files_seen = 0;        // supported code files found
  uint64_t files_parsed = 0;      // parsed and written (includes files_reresolved)
  uint64_t files_unchanged = 0;   // hash equal to the stored one: skipped
  uint64_t files_deleted = 0;     // in the graph but gone from disk (or now skipped): removed
  uint64_t files_reresolved = 0;  // unchanged, but re-parsed because a file they import from
                                  // changed what it defines or re-exports
  // Documentation files (Markdown, reStructuredText), counted apart from the code files above.
  // docs_parsed includes unchanged ones re-linked because the code's definitions changed.
  uint64_t docs_seen = 0;
  uint64_t docs_parsed = 0;
  uint64_t docs_unchanged = 0;
  uint64_t docs_deleted = 0;
  uint64_t nodes_written = 0;
  uint64_t edges_written = 0;
  std::vector<FileIssue> skipped;  // not ingested, with the reason (sorted by path)
  // Ingested but with problems (sorted by path): "syntax error at line L, column C (...)" (the
  // partial tree's facts are kept).
  std::vector<FileIssue> flagged;
  double elapsed_ms = 0;
  // Where the time went (wall clock, ms): walking, loading + hashing + parsing (both rounds),
  // resolving + building batches, writing (deletions, batches, bulk finish; resolution excluded).
  double walk_ms = 0, parse_ms = 0, resolve_ms = 0, write_ms = 0;
};

// Ingests the folder `root` into `graph` (created if missing).
// Errors: NotFound if root does not exist; InvalidArgument if root is not a directory;
// PermissionDenied if root is outside options.allowed_roots; Cancelled if options.cancelled()
// returned true; IOError/Corruption from storage. Per-file problems are not errors: they go to the
// report. Symbolic links are not followed (see ingest/walk.h); a link out of the root or a loop is
// reported in `skipped`.
// Thread-safe with respect to other readers; do not run two IngestPath on one graph at once.
Result<IngestReport> IngestPath(storage::GraphStore& store, std::string_view graph,
                                const std::string& root, const IngestOptions& options = {});

// OK if `root` may be ingested under `allowed_roots` (see IngestOptions::allowed_roots): its
// canonical path equals or lies inside the canonical path of one of them, or `allowed_roots` is
// empty. Errors: PermissionDenied (outside), NotFound (root does not exist), IOError.
// Thread-safe (reads the file system only).
Status CheckAllowedRoot(const std::string& root, const std::vector<std::string>& allowed_roots);

// Whether IngestPath ingests a file with this (repository-relative) name, ignoring its content
// and the folders it lies in. Thread-safe.
bool IsIngestedPath(std::string_view path);

}  // namespace kg::ingest
