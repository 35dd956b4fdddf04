#pragma once
// LogicalSearch: CALL db.search(text [, limit]). For each input row, ranks the graph's nodes
// against `text` and passes up one row per hit (best first) with the node in `node_slot` and
// the score in `score_slot` (either may be -1 when not yielded). See exec/physical_search.h
// for the ranking.
// Thread-safety: immutable once planned.

#include <string>

#include "query/plan/logical_operator.h"

namespace kg::query::plan {

class LogicalSearch : public LogicalOperator {
 public:
  LogicalSearch() : LogicalOperator(LogicalOperatorType::kSearch) {}
  std::string Describe() const override {
    return "Search db.search(" + call->args[0]->text + ") full-text over names, qualified " +
           "names, signatures, docstrings, doc sections";
  }

  const bind::BoundCall* call = nullptr;  // owned by the plan's BoundQuery
};

}  // namespace kg::query::plan
