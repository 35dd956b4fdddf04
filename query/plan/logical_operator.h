#pragma once
// Logical operators: the plan tree built by plan/planner (stage 3), turned into physical
// operators by exec/ (one name per concept across stages: LogicalExpand -> PhysicalExpand).
//
// Every operator reads rows from its child (the leaf is Start, which yields one empty row) and
// passes rows up; a row is a flat vector of slots (see bind/bound_query.h). Operators point at
// expressions owned by the LogicalPlan's BoundQuery; they never own them.
// Describe() renders one line for EXPLAIN. Thread-safety: immutable once planned.

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "query/bind/bound_query.h"
#include "storage/graph_store.h"

namespace kg::query::plan {

enum class LogicalOperatorType : uint8_t {
  kStart,
  kNodeScan,
  kExpand,
  kFilter,
  kProject,
  kAggregate,
  kDistinct,
  kSort,
  kSkip,
  kLimit,
  kArgument,  // logical_optional.h
  kOptional,  // logical_optional.h
  kUnwind,    // logical_unwind.h
  kCreate,    // logical_create.h
  kSearch,    // logical_search.h
};

class LogicalOperator {
 public:
  explicit LogicalOperator(LogicalOperatorType type) : type(type) {}
  virtual ~LogicalOperator() = default;
  LogicalOperator(const LogicalOperator&) = delete;
  LogicalOperator& operator=(const LogicalOperator&) = delete;

  // One line describing this operator (not its children).
  virtual std::string Describe() const = 0;

  const LogicalOperatorType type;
  std::unique_ptr<LogicalOperator> child;  // null only for Start
};

// Yields exactly one row with every slot empty.
class LogicalStart : public LogicalOperator {
 public:
  LogicalStart() : LogicalOperator(LogicalOperatorType::kStart) {}
  std::string Describe() const override { return "Start"; }
};

// For each input row, binds `slot` to every node of the scan (nested loop over the input).
class LogicalNodeScan : public LogicalOperator {
 public:
  enum class Mode : uint8_t {
    kEmpty,      // a label that the store does not know: no node can match
    kAll,        // Snapshot::ScanAll
    kLabel,      // Snapshot::ScanLabel for each of `labels` (union, without duplicates)
    kLabelName,  // Snapshot::ScanLabelName for each label x name (union)
    kById,       // Snapshot::FindNode for each of `names` (string ids; `n.id = 'x'`)
    // Property indexes (storage/graph_store.h). They yield a superset or exactly the nodes the
    // predicate needs; the predicate stays as a Filter above the scan. `labels` (at most one)
    // restricts the scan where the index takes a label.
    kQualifiedName,        // ScanQualifiedName for each of `names`
    kQualifiedNameSuffix,  // ScanQualifiedNameSuffix(names[0])
    kNamePrefix,           // ScanLabelNamePrefix(label, names[0]) for each label (union)
    kPathPrefix,           // ScanPathPrefix(names[0])
    kAtLine,               // ScanAtLine(names[0], line)
    kNameTrigrams,         // ScanNameTrigrams(names): the needles of CONTAINS / =~
    kPathLabel,            // ScanPathLabel(names[0], labels[0]): exact path, one label
  };
  LogicalNodeScan() : LogicalOperator(LogicalOperatorType::kNodeScan) {}
  std::string Describe() const override;

  int slot = -1;
  std::string variable;
  Mode mode = Mode::kAll;
  std::vector<storage::LabelId> labels;
  std::vector<std::string> label_names;  // for Describe
  std::vector<std::string> names;        // kLabelName
  bool case_insensitive = false;         // kLabelName, kNamePrefix: lower-cased compare
  int64_t line = 0;                      // kAtLine
  uint64_t estimated_rows = 0;
  // Set by the planner when the Filter right above reads the scanned node's labels or
  // properties: keys are then read ahead from the cursor in small chunks and their projections
  // loaded with one batched read per chunk (ExecContext::Prefetch).
  bool prefetch = false;
};

// For each input row, follows the edges of the node in `from_slot` and binds `rel_slot` and
// `to_slot` (or, when `to_bound`, keeps only edges that reach the node already in `to_slot`).
class LogicalExpand : public LogicalOperator {
 public:
  LogicalExpand() : LogicalOperator(LogicalOperatorType::kExpand) {}
  std::string Describe() const override;

  int from_slot = -1;
  int to_slot = -1;
  int rel_slot = -1;
  std::string from_name, to_name, rel_name;  // for Describe
  bool to_bound = false;
  storage::Direction direction = storage::Direction::kOut;
  bool any_type = true;
  std::vector<storage::EdgeTypeId> types;  // empty && !any_type: nothing can match
  std::vector<std::string> type_names;     // for Describe
  bool var_length = false;
  int64_t min_hops = 1;
  int64_t max_hops = 1;
  // Variable-length only: the pattern was written in the opposite direction of the walk, so
  // the relationship list is reversed to pattern order.
  bool reverse_path = false;
  // Variable-length only: properties every edge of the path must have (constants). A
  // fixed-length relationship's property map is a Filter above this operator instead.
  const std::vector<std::pair<std::string, bind::BoundExprPtr>>* rel_properties = nullptr;
  // Relationship slots of the same MATCH bound earlier: their edges may not be reused
  // (relationship uniqueness).
  std::vector<int> unique_with;
  // Fixed-length only: `rel_slot` was bound by an earlier clause; only that edge is followed
  // (a row whose slot holds no relationship yields nothing).
  bool rel_bound = false;
  // False when nothing reads the relationship's properties (an anonymous relationship without
  // a property map, outside a path variable): edges are then read without their properties
  // (Snapshot::ExpandKeys) and the relationship slot holds an edge with empty props.
  bool need_edge_props = true;
  // Set by the planner on the last expansion of a MATCH when it is fixed-length, one direction,
  // at most one type, its relationship is not bound earlier and nothing reads it
  // (!need_edge_props): the input rows are then expanded in batches (Snapshot::ExpandNeighbors)
  // and the relationship slot holds an edge whose seq (and, for any type, type) is not read.
  bool batched = false;
  // Set by the planner on the last expansion of a MATCH when nothing reads its relationship
  // (!need_edge_props; no later expansion checks uniqueness against it): the relationship slot
  // is then left unset (no edge or path list is materialized per row).
  bool rel_unused = false;
  // Set by the planner on a variable-length expansion whose rows only reach a DISTINCT through
  // per-row operators (Filter, Project, NodeScan, Expand), when rel_unused, directed, without
  // property map or earlier relationships to stay distinct from, and min_hops <= 1: each node
  // reachable in min_hops..max_hops hops is then emitted once per input row (breadth-first over
  // Snapshot::ExpandNeighbors) instead of once per path. The DISTINCT result is the same: a node
  // reached by a walk of 1..k hops is reached by a path without repeated edges of 1..k hops.
  bool frontier = false;
  // Set by the planner when a later operator reads the labels or properties of the (unbound)
  // target node: the targets about to be emitted get their projections loaded in batches
  // (ExecContext::Prefetch) instead of one read per row.
  bool prefetch_targets = false;
};

// Keeps rows for which every predicate is true (null and false drop the row).
class LogicalFilter : public LogicalOperator {
 public:
  LogicalFilter() : LogicalOperator(LogicalOperatorType::kFilter) {}
  std::string Describe() const override;

  std::vector<const bind::BoundExpr*> predicates;
};

// Evaluates expressions into slots (RETURN columns), keeping the rest of the row.
class LogicalProject : public LogicalOperator {
 public:
  LogicalProject() : LogicalOperator(LogicalOperatorType::kProject) {}
  std::string Describe() const override;

  struct Item {
    int slot;
    std::string name;
    const bind::BoundExpr* expr;
  };
  std::vector<Item> items;
};

// Groups rows by the entities in `key_slots` and folds the aggregates; outputs one row per
// group holding only the key slots and the aggregate slots. Without keys, exactly one row.
class LogicalAggregate : public LogicalOperator {
 public:
  LogicalAggregate() : LogicalOperator(LogicalOperatorType::kAggregate) {}
  std::string Describe() const override;

  std::vector<int> key_slots;
  std::vector<std::string> key_names;
  std::vector<const bind::BoundAggregate*> aggregates;
};

// Drops rows whose `slots` equal those of an earlier row.
class LogicalDistinct : public LogicalOperator {
 public:
  LogicalDistinct() : LogicalOperator(LogicalOperatorType::kDistinct) {}
  std::string Describe() const override;

  std::vector<int> slots;
  std::vector<std::string> names;
};

// Sorts all rows (stable) by the keys; nulls sort last ascending, first descending.
class LogicalSort : public LogicalOperator {
 public:
  LogicalSort() : LogicalOperator(LogicalOperatorType::kSort) {}
  std::string Describe() const override;

  std::vector<const bind::BoundSortKey*> keys;
};

class LogicalSkip : public LogicalOperator {
 public:
  LogicalSkip() : LogicalOperator(LogicalOperatorType::kSkip) {}
  std::string Describe() const override { return "Skip " + std::to_string(count); }
  int64_t count = 0;
};

class LogicalLimit : public LogicalOperator {
 public:
  LogicalLimit() : LogicalOperator(LogicalOperatorType::kLimit) {}
  std::string Describe() const override { return "Limit " + std::to_string(count); }
  int64_t count = 0;
};

// A planned query: the operator tree, the bound query it points into, and the output columns.
struct LogicalPlan {
  std::unique_ptr<const bind::BoundQuery> query;
  std::unique_ptr<LogicalOperator> root;
  std::vector<std::string> columns;
  std::vector<int> output_slots;  // parallel to columns
  int num_slots = 0;
  bool discard_rows = false;  // a statement without RETURN: run it, return no rows
  // The property names expressions of the plan read (of nodes or anything else): the projection
  // loaded per node (ExecContext::SetProjection).
  std::vector<std::string> node_properties;

  // The tree, root first, one operator per line, children indented by two spaces; the inner
  // plan of an Optional is printed under it, indented and prefixed with "| ".
  std::string ToString() const;
};

}  // namespace kg::query::plan
