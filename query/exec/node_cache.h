#pragma once
// NodeCache: decoded node records shared by every query of the process.
//
// Reading a node's record from RocksDB and decoding it costs about 1-2 us; multi-hop queries
// read hundreds of nodes, and agents ask about the same neighbourhoods again and again. Records
// are cached under the exact graph state they were read at (storage::Snapshot::State): a
// snapshot with an equal token reads identical data, so a hit is exactly what the snapshot would
// read. Snapshots without a token (Snapshot::State() == nullopt) must not use the cache.
// Entries of older states are never returned: a shard that receives a record of a newer state of
// a graph drops what it holds (records of an older state of that graph are no longer inserted),
// so a graph that is written to keeps only its current state cached.
// Capacity: `capacity` records in total over kShards shards; a full shard is emptied.
// Thread-safety: all methods are thread-safe; records are immutable and shared.

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "storage/graph_store.h"

namespace kg::query::exec {

class NodeCache {
 public:
  using Token = storage::Snapshot::StateToken;
  using RecordPtr = std::shared_ptr<const storage::NodeRecord>;

  explicit NodeCache(size_t capacity = 1u << 15);
  NodeCache(const NodeCache&) = delete;
  NodeCache& operator=(const NodeCache&) = delete;

  // The process-wide cache ExecContext uses. Never destroyed.
  static NodeCache& Default();

  // The record of node `key` at state `token`, or null.
  RecordPtr Find(const Token& token, storage::NodeKey key);
  // Find for keys[0..n): out[i] is the record of keys[i] or null. Locks each shard once.
  void FindMany(const Token& token, const storage::NodeKey* keys, size_t n, RecordPtr* out);
  // Stores `record` (of node `key` at state `token`).
  void Insert(const Token& token, storage::NodeKey key, RecordPtr record);
  void Clear();

 private:
  struct Key {
    uint64_t instance, version, node;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const {
      uint64_t h = k.node * 0x9E3779B97F4A7C15ull;
      h ^= (k.version + 0x632BE59BD9B4E019ull + (h << 6) + (h >> 2));
      h ^= (k.instance * 0xC2B2AE3D27D4EB4Full);
      return static_cast<size_t>(h ^ (h >> 29));
    }
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<Key, RecordPtr, KeyHash> map;  // GUARDED_BY(mu)
    Token newest;                                     // GUARDED_BY(mu); the latest state inserted
  };
  static constexpr size_t kShards = 16;
  static size_t ShardIndex(storage::NodeKey key) {
    return static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> 60);
  }
  Shard& ShardOf(storage::NodeKey key) { return shards_[ShardIndex(key)]; }

  const size_t per_shard_;
  std::array<Shard, kShards> shards_;
};

}  // namespace kg::query::exec
