#pragma once
// The cpt_corpus walk: the repository's source files in import order, as plain text for
// continued pre-training (format `text` only; the job refuses other formats).
//
// Graph reads (query engine only, kFilesQuery, kPiecesQuery, kDependenciesQuery and the IMPORTS
// rows of FileImports): every File that defines a Module (source files; Markdown docs are not
// included), its module docstring and language; the code of its top-level definitions (the
// Class, Function and Variable nodes it CONTAINS, `code` materialized by the engine); and the
// repository files each file IMPORTS (targets with a path; externals are ignored).
//
// File text. The engine materializes `code` for definitions only, so a file is reassembled from
// the graph: the module docstring (Python: in triple quotes), the import statements rebuilt from
// its IMPORTS edges (Python files; `import *` is not kept), then every top-level definition as
// written, in source order (a definition inside another one's byte range is skipped). Adjacent
// definitions are joined by a newline, others by a blank line (two around a Python class or
// function). Module-level statements that define nothing (an `if __name__ == ...` block, a bare
// call, comments between definitions) are not in the graph and are not in the text.
//
// Order. A file comes after every repository file it imports: files are grouped into strongly
// connected components of the IMPORTS graph; components come in topological order, the ready
// component with the smallest path first; inside a component (an import cycle) files come by
// path. So the order is a pure function of the graph.
//
// Records. One per file, its text preceded by one comment line naming the path
// ("# pkg/text.py", "// src/main.rs"). A file whose record would exceed
// WalkContext::max_chunk_bytes is split at top-level definition boundaries into parts, each
// with the header "# pkg/text.py (part 2/3)"; a single definition larger than a part is split at
// line boundaries (a line larger than a part at a UTF-8 character boundary). Every record text
// is at most max_chunk_bytes bytes. Files with no definition, import or docstring are skipped.
// relation "File", direction "whole" or "part", subject = the path (a part: "path#k", k from 1),
// label "File", path = the file. Instruction and input are empty; the text is the output. No
// code to API-check (the text is the repository's own source). The seed is not used. Counts go
// to WalkContext::stats: cpt_corpus.files (files written), cpt_corpus.parts (records),
// cpt_corpus.split_files, cpt_corpus.cycles (import cycles broken), cpt_corpus.skipped_empty.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "synth/pair.h"
#include "synth/strategies.h"

namespace kg::synth::cpt_corpus {

// The queries the walk runs (exposed for docs and tests).
extern const std::string_view kFilesQuery;
extern const std::string_view kPiecesQuery;
extern const std::string_view kDependenciesQuery;

// The files of `files` (distinct) in import order as described above. `imports` holds pairs
// (importer, imported); pairs naming a path outside `files` and self-imports are ignored.
// `cycles`, if not null, receives the number of components with more than one file. Pure.
std::vector<std::string> ImportOrder(
    std::vector<std::string> files, const std::vector<std::pair<std::string, std::string>>& imports,
    size_t* cycles = nullptr);

// A file's text as pieces (top-level units) and the separator written before each piece
// (separators[0] is ignored). Splits it into record texts of at most `max_bytes` bytes (>= 1),
// each starting with `comment` + " " + `path` (+ " (part k/n)" when there are several) and a
// newline. A header longer than half of `max_bytes` is cut. Pure.
struct FileText {
  std::vector<std::string> pieces;
  std::vector<std::string> separators;
};
std::vector<std::string> ChunkFile(std::string_view comment, std::string_view path,
                                   const FileText& text, size_t max_bytes);

// Errors: NotFound (graph), Cancelled, the query engine's errors.
Result<std::vector<TrainingPair>> Walk(const WalkContext& context);

}  // namespace kg::synth::cpt_corpus
