#pragma once
// LogicalCreate: CREATE. Consumes every input row, builds one graph-level FactBatch (empty
// path) with the nodes and relationships of `create` for each row, applies it with
// GraphStore::ApplyBatch, then passes the rows up with each created node and relationship
// bound to its map value ({"_id", "_labels", props...} / {"_type", "_src", "_dst", props...}).
// Nothing is written when any row fails. The snapshot of the query does not see the writes.
// Thread-safety: immutable once planned.

#include <string>

#include "query/plan/logical_operator.h"

namespace kg::query::plan {

class LogicalCreate : public LogicalOperator {
 public:
  LogicalCreate() : LogicalOperator(LogicalOperatorType::kCreate) {}
  std::string Describe() const override {
    return "Create " + std::to_string(create->nodes.size()) + " node(s), " +
           std::to_string(create->rels.size()) + " relationship(s) per row";
  }

  const bind::BoundCreate* create = nullptr;  // owned by the plan's BoundQuery
};

}  // namespace kg::query::plan
