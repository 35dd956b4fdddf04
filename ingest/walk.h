#pragma once
// Walking a source tree: which files of a folder are ingested.
//
// Thread-safe (reads the file system only).

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace kg::ingest {

struct WalkOptions {
  std::vector<std::string> exclude_dirs;  // folder names never descended into (any depth)
  bool skip_hidden_dirs = true;           // also skip folders whose name starts with '.'
  // Which regular files are wanted, by repository-relative path.
  std::function<bool(std::string_view path)> wanted;
};

struct WalkIssue {
  std::string path;    // repository-relative, '/'-separated
  std::string reason;  // e.g. "symlink loop (points to its ancestor 'pkg')"
};

struct WalkResult {
  std::filesystem::path root;      // canonical absolute root
  std::vector<std::string> files;  // wanted files, repository-relative, sorted
  std::vector<WalkIssue> skipped;  // wanted-looking entries not taken, with the reason
};

// Parts of a '/'-separated relative path as stored in the graph: "a/b/c.py" -> "a/b" and
// "c.py"; a path without '/' has ParentDir "" and is its own BaseName.
inline std::string_view ParentDir(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
}
inline std::string_view BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// Lists the wanted regular files under `root`. Symbolic links are never followed: a link whose
// target is inside the root is skipped because the target is walked at its real path ("symlink
// to 'x' inside the root"), a link to an ancestor is reported as "symlink loop (...)", a link
// out of the root as "symlink points outside the root", and a dangling or self-referencing one as
// "broken symlink (...)"; a link that resolves to itself is "symlink loop (...)". Unreadable
// folders, non-regular files with a wanted name, and names that are not valid UTF-8 are reported
// too. Issues are only reported for folders and wanted names. Errors: NotFound if root does not
// exist; InvalidArgument if it is not a folder; IOError if it cannot be resolved.
Result<WalkResult> WalkTree(const std::filesystem::path& root, const WalkOptions& options);

}  // namespace kg::ingest
