#pragma once
// Batch builder: the graph facts of one file (and of the folder skeleton) as storage FactBatches.
//
// The graph model written here (ids and properties) is described in ingest/ingest.h. Pure
// functions of their inputs (the Resolver may consult stored symbols); not thread-safe because the
// Resolver is not.

#include <string>
#include <string_view>
#include <vector>

#include "ingest/facts.h"
#include "ingest/resolver.h"
#include "storage/graph_store.h"

namespace kg::ingest {

// The path of the batch that owns the folder skeleton (Repo/Directory nodes and the CONTAINS
// edges between them). No real file has this repository-relative path.
inline constexpr std::string_view kTreeBatchPath = "/";
inline constexpr std::string_view kTreeBatchLanguage = "directory";

// `dir:<path>` ("dir:/" for the root); `path` is "" or "/" for the root.
std::string DirectoryId(std::string_view path);

// The content of the file a FactBatch describes.
struct FileContent {
  std::string hash;  // hex SHA-256 of the bytes
  std::string text;
  uint64_t size = 0;
};

// The complete FactBatch of a parsed file: File node (+ CONTAINS from its Directory), Module node
// (DEFINES_MODULE), definitions with CONTAINS / HAS_METHOD, IMPORTS and INHERITS edges resolved
// through `resolver`, and the shared External nodes they point at. `module_id` is the file's
// Module node id (RepoSymbols::ModuleId).
storage::FactBatch BuildFileBatch(const FileFacts& facts, FileContent content,
                                  const std::string& module_id, Resolver& resolver);

// The folder skeleton of a repository whose files are `files` (repository-relative): the Repo
// node `repo:` (name = repo_name), a Directory node for every folder holding a file (root
// `dir:/`, path "/"), Repo -CONTAINS-> dir:/ and Directory -CONTAINS-> sub-Directory edges. The
// batch (path kTreeBatchPath) owns these nodes, so a folder that disappears loses its node when
// the skeleton is rewritten; file batches only point edges at them. Its content_hash changes
// exactly when the set of folders or the repo name changes.
storage::FactBatch BuildTreeBatch(std::string_view repo_name,
                                  const std::vector<std::string>& files);

}  // namespace kg::ingest
