#pragma once
// Shared pieces of the storage tests: fast store options, a one-label node fact, and the check
// that a projected row equals a full record.

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

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

// Expects `got` to be GetNodeValues' projection of `full` onto `names`: one Value per name, the
// property's value or null when absent, the string id for "id".
inline void ExpectProjectionOf(const NodeRecord& full, const std::vector<std::string>& names,
                               const std::vector<Value>& got) {
  ASSERT_EQ(got.size(), names.size()) << full.id;
  for (size_t j = 0; j < names.size(); ++j) {
    Value want;
    if (names[j] == "id") {
      want = Value(full.id);
    } else if (auto it = full.props.find(names[j]); it != full.props.end()) {
      want = it->second;
    }
    EXPECT_EQ(got[j], want) << full.id << " " << names[j];
  }
}

}  // namespace kg::storage::testing
