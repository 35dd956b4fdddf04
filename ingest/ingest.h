#pragma once
// Ingest: parse a source tree with tree-sitter and write its graph through storage's batch API.
//
// IngestPath() walks `root`, extracts the facts of every supported file (Python for now), resolves
// cross-file references (imports, base classes) within the repository (unresolved targets become
// shared External nodes), and writes one atomic FactBatch per file with GraphStore::ApplyBatch().
// Files whose content hash is unchanged since the last ingest are not re-parsed; files that
// disappeared are deleted from the graph.
//
// Node ids follow `path:Qualified.Name` (LocAgent style): e.g. `pkg/shapes.py:Circle.area`; a
// File node's id is its path; Module ids are `module:<dotted.name>`; External ids are
// `external:<dotted.name>`; Directory ids are `dir:<path>` (root `dir:/`); the Repo id is `repo:`.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "storage/graph_store.h"

namespace kg::ingest {

struct IngestOptions {
  uint64_t max_file_bytes = 2u << 20;  // larger files are skipped with reason "too large"
  int threads = 0;                     // parse threads; 0 = hardware concurrency
  // Folder names never descended into.
  std::vector<std::string> exclude_dirs = {".git",        ".hg",   ".svn", "node_modules",
                                           "__pycache__", ".venv", "venv", ".tox",
                                           ".mypy_cache", "build", "dist"};
};

struct FileIssue {
  std::string path;
  std::string reason;  // e.g. "invalid UTF-8 at byte 120", "binary file", "too large (3 MiB)"
};

struct IngestReport {
  std::string root;              // absolute, canonical root that was ingested
  uint64_t files_seen = 0;       // supported files found
  uint64_t files_parsed = 0;     // parsed and written
  uint64_t files_unchanged = 0;  // hash equal to the stored one: skipped
  uint64_t files_deleted = 0;    // in the graph but gone from disk: removed
  uint64_t nodes_written = 0;
  uint64_t edges_written = 0;
  std::vector<FileIssue> skipped;  // not ingested, with the reason
  std::vector<FileIssue> flagged;  // ingested but with problems (syntax errors: partial tree kept)
  double elapsed_ms = 0;
};

// Ingests the folder `root` into `graph` (created if missing).
// Errors: NotFound if root does not exist; InvalidArgument if root is not a directory;
// IOError/Corruption from storage. Per-file problems are not errors: they go to the report.
// Thread-safe with respect to other readers; do not run two IngestPath on one graph at once.
Result<IngestReport> IngestPath(storage::GraphStore& store, std::string_view graph,
                                const std::string& root, const IngestOptions& options = {});

}  // namespace kg::ingest
