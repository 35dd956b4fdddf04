#pragma once
// PhysicalSearch: executes LogicalSearch (CALL db.search(text [, limit])).
//
// Ranking. `text` is split into terms at non-alphanumeric characters and at camelCase and
// snake_case boundaries, lower-cased ("getUserName" -> get, user, name); terms of one character
// are dropped. Each node is scored over its fields, per term:
//   name word equal to the term 4, name containing it 2, qualified_name 1, signature 1,
//   docstring 0.5, DocSection heading/text 0.5;
// plus 6 when the whole text equals the name (any case). A node must match every term in some
// field. Hits are returned best first (ties by node id), at most `limit` (default 50, at most
// 1000). The scan reads every node of the graph once per input row (in batches; counts toward
// the timeout).
// Errors: InvalidArgument when text is not a string or has no term, limit not a positive
// integer; storage errors.

#include <string>
#include <utility>
#include <vector>

#include "query/exec/physical_operator.h"
#include "query/plan/logical_search.h"

namespace kg::query::exec {

// The search terms of `text` (exposed for tests).
std::vector<std::string> SearchTerms(std::string_view text);

class PhysicalSearch : public PhysicalOperator {
 public:
  // `op` must outlive this operator.
  PhysicalSearch(ExecContext& ctx, const plan::LogicalSearch& op, PhysicalOperatorPtr child)
      : PhysicalOperator(ctx), op_(op), child_(std::move(child)) {}
  Result<bool> Next(Row* row) override;

 private:
  Status Search();

  const plan::LogicalSearch& op_;
  PhysicalOperatorPtr child_;
  Row input_;
  std::vector<std::pair<double, storage::NodeKey>> hits_;
  size_t next_ = 0;
  bool have_input_ = false;
};

}  // namespace kg::query::exec
