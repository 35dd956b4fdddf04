#pragma once
// The workload of the crash test (crash_test.cc, crash_writer_main.cc): generation `gen`
// either replaces file PathOf(gen) with NodeCount(gen) nodes (each with property gen) and edges,
// some into other files, or deletes it (IsDelete(gen)); then records `gen` in job "progress".
// Deterministic, so the checker knows what every acknowledged generation wrote.

#include <cstdint>
#include <string>

#include "storage/graph_store.h"

namespace kg::storage::crash {

inline constexpr const char* kGraph = "crash";
inline constexpr int kFiles = 5;

inline std::string PathOf(uint64_t gen) { return "f" + std::to_string(gen % kFiles) + ".py"; }
inline bool IsDelete(uint64_t gen) { return gen % 6 == 5; }
inline int NodeCount(uint64_t gen) { return 1 + static_cast<int>((gen * 7) % 13); }
inline std::string Hash(uint64_t gen) { return "gen-" + std::to_string(gen); }

inline FactBatch BatchOf(uint64_t gen) {
  FactBatch b;
  b.path = PathOf(gen);
  b.content_hash = Hash(gen);
  b.language = "python";
  b.text = std::string(100 + gen % 400, 'x');
  const int n = NodeCount(gen);
  for (int i = 0; i < n; ++i) {
    NodeFact f;
    f.id = b.path + ":n" + std::to_string(i);
    f.labels = {i == 0 ? "Module" : "Function"};
    f.props = {{"name", "fn_" + std::to_string(i) + "_" + std::to_string(gen)},
               {"qualified_name", "m" + std::to_string(gen % kFiles) + ".n" + std::to_string(i)},
               {"path", b.path},
               {"start_line", int64_t{i + 1}},
               {"end_line", int64_t{i + 3}},
               {"gen", static_cast<int64_t>(gen)}};
    b.nodes.push_back(std::move(f));
    if (i > 0) b.edges.push_back({b.path + ":n0", "CONTAINS", b.nodes.back().id, {}});
  }
  // Into another file's node (dangling while that file is absent or smaller).
  b.edges.push_back({b.path + ":n0", "IMPORTS", PathOf(gen + 1) + ":n1", {{"line", 1}}});
  return b;
}

inline Status WriteGeneration(GraphStore& store, uint64_t gen) {
  Status s;
  if (IsDelete(gen)) {
    s = store.DeleteFile(kGraph, PathOf(gen));
    if (s.IsNotFound()) s = Status::OK();
  } else {
    s = store.ApplyBatch(kGraph, BatchOf(gen));
  }
  if (!s.ok()) return s;
  return store.PutJob("progress", std::to_string(gen));
}

// ---- Bulk loads (crash_test.cc BulkLoadIsAllOrNothing): `storage_crash_writer DB bulk GRAPH`
// creates GRAPH, loads kBulkFiles batches BulkBatchOf(0..) through one BulkWriter, and reports
// one acknowledgement after Finish() returned. ----

inline constexpr int kBulkFiles = 400;
inline constexpr int kBulkNodesPerFile = 20;

inline FactBatch BulkBatchOf(int file) {
  FactBatch b;
  b.path = "bulk/b" + std::to_string(file) + ".py";
  b.content_hash = "bulk-" + std::to_string(file);
  b.language = "python";
  b.text = std::string(200, 'y');
  for (int i = 0; i < kBulkNodesPerFile; ++i) {
    NodeFact f;
    f.id = b.path + ":n" + std::to_string(i);
    f.labels = {i == 0 ? "Module" : "Function"};
    f.props = {{"name", "bulk_fn_" + std::to_string(i)},
               {"qualified_name", "b" + std::to_string(file) + ".n" + std::to_string(i)},
               {"path", b.path},
               {"start_line", int64_t{i + 1}}};
    b.nodes.push_back(std::move(f));
    if (i > 0) b.edges.push_back({b.path + ":n0", "CONTAINS", b.nodes.back().id, {}});
  }
  // Into the next file (dangling until that file is loaded).
  b.edges.push_back(
      {b.path + ":n1", "CALLS", "bulk/b" + std::to_string((file + 1) % kBulkFiles) + ".py:n2", {}});
  return b;
}

}  // namespace kg::storage::crash
