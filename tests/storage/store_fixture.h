#pragma once
// Shared pieces of the storage tests: fast store options and a one-label node fact.

#include <string>
#include <utility>

#include "storage/graph_store.h"

namespace kg::storage::testing {

// Options for tests: no fsync per batch (one test checks sync_writes=true; job writes are synced
// regardless) and a small block cache.
inline Options FastOptions() {
  Options o;
  o.sync_writes = false;
  o.block_cache_bytes = 4u << 20;
  return o;
}

// A node fact with one label.
inline NodeFact Sym(std::string id, std::string label, Properties props) {
  NodeFact n;
  n.id = std::move(id);
  n.labels = {std::move(label)};
  n.props = std::move(props);
  return n;
}

}  // namespace kg::storage::testing
