#pragma once
// DocLinker: documentation mentions (ingest/docs/doc_parser.h) -> DOCUMENTS edges; and the
// FactBatch of a documentation file.
//
// A mention resolves through the repository's qualified names:
//  1. exactly: Resolver::ResolveDotted (re-exports followed, so `flask.Flask` finds
//     flask/app.py:Flask) -- or, for docstrings, first as written in the file's scope
//     (Resolver::ResolveInFile: the file's own names and imports) -- to a definition (Class,
//     Function, Method, Field, Variable) or a Module;
//  2. else by unique suffix: the only definition whose qualified name ends with `.<mention>`
//     (`Session.request` -> requests.sessions.Session.request). Ambiguous or unknown mentions give
//     no edge (documentation never creates External nodes).
// Confidence (0..1) by how the name was written and found:
//                   exact   suffix (dotted)   suffix (single name)
//   link             1.0        0.8               0.7
//   code_span        0.9        0.7               0.6
//   code_block       0.8        0.5               0.4
//
// Thread-safety: not thread-safe (the Resolver and the lazily built suffix index).

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ingest/docs/doc_parser.h"
#include "ingest/facts.h"
#include "ingest/resolver.h"
#include "storage/graph_store.h"

namespace kg::ingest {

struct DocLink {
  std::string id;  // the node documented
  double confidence = 0;
};

// (qualified name, node id) of every repository definition, member and module.
using QualifiedNames = std::vector<std::pair<std::string, std::string>>;

class DocLinker {
 public:
  // `load_names` is called at most once, on the first suffix lookup, to list the repository's
  // qualified names (this run's parsed files plus the stored ones). Both must outlive the linker.
  DocLinker(Resolver& resolver, std::function<QualifiedNames()> load_names)
      : resolver_(resolver), load_names_(std::move(load_names)) {}

  // Resolves one mention; `facts`/`scope` (may be null/-1) give the file scope of a docstring.
  std::optional<DocLink> Link(const docs::DocMention& mention, const FileFacts* facts = nullptr,
                              int scope = -1);

 private:
  std::optional<std::string> UniqueSuffix(const std::string& name);

  Resolver& resolver_;
  std::function<QualifiedNames()> load_names_;
  bool loaded_ = false;
  QualifiedNames names_;  // as loaded
  // last name component (a view into names_) -> positions in names_, in load order
  std::unordered_map<std::string_view, std::vector<uint32_t>> by_last_;
  // UniqueSuffix's answers by name (the index never changes once loaded; docstrings mention the
  // same names over and over, and a common last component has a long list to scan).
  StringHashMap<std::optional<std::string>> suffix_memo_;
};

// The qualified names defined by a parsed file (for DocLinker's index): module, definitions,
// members.
void AppendQualifiedNames(const FileFacts& facts, const std::string& module_id,
                          QualifiedNames* out);

// The FactBatch of a documentation file: File {path, name, language ("markdown" | "rst"), size,
// hash, is_test: false} -CONTAINS-> Doc `doc:<path>` {name, path, language, title}
// -CONTAINS-> top-level DocSection; DocSection -CONTAINS-> nested DocSection. A DocSection
// `<path>#<slug>` (slug of the title as GitHub makes anchors; `-2`, `-3` for repeats; `<path>#`
// for the preamble) has {name (= title), title, level, path, language, start_line, end_line,
// start_byte, end_byte, text}. DocSection -DOCUMENTS {via, confidence, name (as written), line}->
// each node its mentions resolve to (one edge per target: the highest confidence wins).
storage::FactBatch BuildDocBatch(const std::string& path, const docs::DocFacts& doc,
                                 docs::DocFormat format, std::string hash, uint64_t size,
                                 std::string text, DocLinker& linker);

// The DOCUMENTS edges of a parsed code file's docstrings: from each definition (and the Module
// node, for the module docstring) to what its docstring mentions (via "docstring", confidence
// per the table above for the mention's kind, name); self-references are dropped.
std::vector<storage::EdgeFact> DocstringEdges(const FileFacts& facts, const std::string& module_id,
                                              DocLinker& linker);

}  // namespace kg::ingest
