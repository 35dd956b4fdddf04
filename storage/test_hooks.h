#pragma once
// Test-only hooks into the RocksDB GraphStore. Production code must not call these: they read or
// write raw keys behind the store's back. Implemented in storage/rocksdb_graph_store.cc (the one
// file that includes RocksDB).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/status.h"
#include "storage/graph_store.h"

namespace kg::storage::test_hooks {

// The number of keys of graph `graph` currently visible in every column family: all
// graph-prefixed keys plus the graph's counters in meta (not its name entry), except
// name_trigrams' empty posting blocks. 0 after DropGraph.
// REQUIRES: `store` was returned by GraphStore::Open.
Result<uint64_t> CountGraphKeys(GraphStore& store, GraphId graph);

// Overwrites the raw value of the format-version entry in meta of the database in `dir`, which
// must not be open. Used to check that Open() refuses unknown versions. IOError if it cannot
// open the database.
Status OverwriteFormatVersion(const std::string& dir, std::string_view raw_value);

// The format version as encoded in meta (4 bytes, big-endian), for OverwriteFormatVersion.
std::string EncodeFormatVersion(uint32_t version);

// Drops the named column families of the database in `dir`, which must not be open (to make a
// database look like an older format). IOError if it cannot open the database.
Status DropColumnFamilies(const std::string& dir, const std::vector<std::string>& names);

// Puts (value given) or deletes (nullopt) one raw key of column family `cf_name` (a name from
// storage/key_codec.h CfName) behind the store's back, synced: to corrupt a store on purpose.
// InvalidArgument for an unknown column family name.
Status RawWrite(GraphStore& store, std::string_view cf_name, std::string_view key,
                std::optional<std::string_view> value);

// Sets how many bytes a fresh bulk load (see BulkWriter) buffers before it spills a sorted run
// to disk (default 128 MiB), so that tests can exercise the merge of many runs; returns the
// previous value. Applies to every store of the process.
size_t SetFreshLoadSpillBytes(size_t bytes);

// How the fresh bulk loads of `store` batched the syncs of their ingestion so far (see
// DbFileSystem::BeginIngest in rocksdb_graph_store.cc). REQUIRES: `store` was returned by
// GraphStore::Open.
struct IngestSyncStats {
  uint64_t skipped_file_syncs = 0;           // syncs of linked files the load had already synced
  uint64_t deferred_dir_syncs = 0;           // database folder syncs deferred
  uint64_t deferred_dir_syncs_made = 0;      // the real syncs made for them
  uint64_t made_before_manifest_append = 0;  // of those, the ones made by a MANIFEST append
};
IngestSyncStats GetIngestSyncStats(GraphStore& store);

// The adjacency index of a graph (see Options::adjacency_index_bytes) for its current state.
struct AdjacencyIndexInfo {
  bool ready = false;  // false: indexes disabled, graph over budget, or a write in progress
  uint64_t bytes = 0;
  double build_seconds = 0;
};
// Builds the adjacency index of `graph` in this thread unless the current one is up to date (or a
// build is running: then waits for it). NotFound for an unknown graph.
Result<AdjacencyIndexInfo> BuildAdjacencyIndex(GraphStore& store, std::string_view graph);

// Whether `snapshot` (of a store from GraphStore::Open) reads hops from an adjacency index now.
// May start a background build, like a hop read.
bool SnapshotUsesAdjacencyIndex(Snapshot& snapshot);

}  // namespace kg::storage::test_hooks
