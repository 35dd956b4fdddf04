#pragma once
// Rows flowing between physical operators.
//
// A row is a flat vector of slots (bind/bound_query.h). A slot holds an Entity: nothing yet, a
// node (by key; its record is loaded lazily through ExecContext), one relationship, the list of
// relationships of a variable-length pattern, or a computed Value. Relationships are shared
// (shared_ptr to const) so copying a row is cheap.
// Thread-safety: plain values.

#include <memory>
#include <variant>
#include <vector>

#include "common/value.h"
#include "storage/graph_store.h"

namespace kg::query::exec {

struct NodeRef {
  storage::NodeKey key = 0;
};
using EdgePtr = std::shared_ptr<const storage::EdgeRecord>;
using EdgeListPtr = std::shared_ptr<const std::vector<storage::EdgeRecord>>;
using Entity = std::variant<std::monostate, NodeRef, EdgePtr, EdgeListPtr, Value>;
using Row = std::vector<Entity>;

// The identity of an edge: (src, type, dst, seq).
inline bool SameEdge(const storage::EdgeRecord& a, const storage::EdgeRecord& b) {
  return a.src == b.src && a.type == b.type && a.dst == b.dst && a.seq == b.seq;
}

// A total order over entities (for grouping and DISTINCT): by alternative, then nodes by key,
// edges by identity, lists element-wise, values by Value::Compare. Returns <0, 0, >0.
int CompareEntities(const Entity& a, const Entity& b);

struct EntityVectorLess {
  bool operator()(const std::vector<Entity>& a, const std::vector<Entity>& b) const;
};

}  // namespace kg::query::exec
