#pragma once
// QueryMatcher: codekg's own matcher for tree-sitter queries, in place of tree-sitter's query
// cursor (which was a fifth of a one-thread Python ingest's instructions: it keeps every pattern's
// in-progress states at every node of the tree, where most nodes start no pattern at all).
//
// Compile() reads the query text (the .scm syntax, the subset below) into patterns indexed by the
// symbol of their first node. Match() walks a tree once with a TSTreeCursor and, at each node,
// matches only the patterns that can start there, structurally: children by position and field,
// anchors, quantifiers, alternations. The results are what ts_query_cursor_next_match returns for
// the same query and tree (tree-sitter 0.20), in its order:
//  - pattern i is the i-th top-level pattern of the text; capture ids number capture names in the
//    order they first appear; captures of a match come in pattern order;
//  - a pattern matches once per distinct assignment of its nodes (`(parameters (identifier) @p)`
//    matches once per identifier); assignments that differ only in uncaptured nodes count once;
//  - matches come ordered by the node that completes them (the last node of the pattern, in
//    pre-order), then by the depth their first node is at (shallower first), then by pattern,
//    then in the order of the nodes they assign;
//  - predicates (#eq? ...) are parsed, not evaluated: as with tree-sitter, the caller does.
// Supported: (named) and "anonymous" nodes, (_) and _, fields (f: ...), negated fields (!f),
// anchors (.), quantifiers (? * +) on nodes and alternations, alternations [...], captures,
// predicates, and a top-level group of siblings ((a) . (b)). Compile() fails, with the position,
// on what is outside that subset (supertypes a/b, groups inside a pattern, quantified groups,
// ERROR and MISSING patterns) and on node or field names the grammar does not have.
//
// Thread-safety: a compiled QueryMatcher is immutable; Match() may run on many threads at once,
// each with its own Scratch.

#include <tree_sitter/api.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace kg::ingest {

class QueryMatcher {
 public:
  // Compiles `source` for `grammar` (only trees of that grammar may be matched). Errors:
  // SyntaxError with the position (offset, line, column in `source`) for text outside the
  // supported subset, an unknown node type or field name, or a capture a predicate names before
  // it is defined.
  static Result<std::unique_ptr<QueryMatcher>> Compile(const TSLanguage* grammar,
                                                       std::string_view source);
  ~QueryMatcher();
  QueryMatcher(const QueryMatcher&) = delete;
  QueryMatcher& operator=(const QueryMatcher&) = delete;

  uint32_t pattern_count() const;
  // Capture names by id, in the order they first appear in the text.
  const std::vector<std::string>& capture_names() const;

  // A predicate as written, `(#name arg...)`: each argument a capture (id) or a text (a quoted
  // string or a bare word).
  struct Predicate {
    struct Arg {
      bool is_capture = false;
      uint32_t capture = 0;
      std::string text;
    };
    std::string name;   // without '#', e.g. "eq?"
    size_t offset = 0;  // of the predicate in the source
    std::vector<Arg> args;
  };
  // The predicates of pattern `pattern`, in text order.
  const std::vector<Predicate>& predicates(uint32_t pattern) const;

  // Per-thread working memory of Match(), reused across calls (capacity is kept).
  class Scratch;
  static std::unique_ptr<Scratch, void (*)(Scratch*)> NewScratch();

  // Finds every match under (and including) `root`. The matches stay valid until the next
  // Match() with the same scratch; their nodes belong to root's tree.
  const std::vector<TSQueryMatch>& Match(TSNode root, Scratch& scratch) const;

  struct Impl;  // the compiled patterns (query_matcher.cc)

 private:
  explicit QueryMatcher(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kg::ingest
