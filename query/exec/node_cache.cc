#include "query/exec/node_cache.h"

#include <algorithm>
#include <vector>

namespace kg::query::exec {

NodeCache::NodeCache(size_t capacity) : per_shard_(std::max<size_t>(1, capacity / kShards)) {}

NodeCache& NodeCache::Default() {
  static NodeCache* cache = new NodeCache();
  return *cache;
}

NodeCache::RecordPtr NodeCache::Find(const Token& token, storage::NodeKey key) {
  Shard& shard = ShardOf(key);
  std::lock_guard<std::mutex> lock(shard.mu);
  auto it = shard.map.find(Key{token.instance, token.version, key});
  return it == shard.map.end() ? nullptr : it->second;
}

void NodeCache::FindMany(const Token& token, const storage::NodeKey* keys, size_t n,
                         RecordPtr* out) {
  // The positions of keys[] grouped by shard (counting sort), then one lock per shard.
  std::array<uint32_t, kShards + 1> start{};
  for (size_t i = 0; i < n; ++i) ++start[ShardIndex(keys[i]) + 1];
  for (size_t s = 0; s < kShards; ++s) start[s + 1] += start[s];
  std::array<uint32_t, 256> small;  // Prefetch windows fit: no allocation
  std::vector<uint32_t> large;
  uint32_t* order = small.data();
  if (n > small.size()) {
    large.resize(n);
    order = large.data();
  }
  std::array<uint32_t, kShards> fill{};
  for (size_t i = 0; i < n; ++i) {
    const size_t s = ShardIndex(keys[i]);
    order[start[s] + fill[s]++] = static_cast<uint32_t>(i);
  }
  for (size_t s = 0; s < kShards; ++s) {
    if (start[s] == start[s + 1]) continue;
    Shard& shard = shards_[s];
    std::lock_guard<std::mutex> lock(shard.mu);
    for (uint32_t j = start[s]; j < start[s + 1]; ++j) {
      const uint32_t i = order[j];
      auto it = shard.map.find(Key{token.instance, token.version, keys[i]});
      out[i] = it == shard.map.end() ? nullptr : it->second;
    }
  }
}

void NodeCache::Insert(const Token& token, storage::NodeKey key, RecordPtr record) {
  Shard& shard = ShardOf(key);
  std::lock_guard<std::mutex> lock(shard.mu);
  if (token.instance == shard.newest.instance) {
    if (token.version < shard.newest.version) return;  // an older state of the same graph
    if (token.version > shard.newest.version) shard.map.clear();
  }
  shard.newest = token;
  if (shard.map.size() >= per_shard_) shard.map.clear();
  shard.map.insert_or_assign(Key{token.instance, token.version, key}, std::move(record));
}

void NodeCache::Clear() {
  for (Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mu);
    shard.map.clear();
  }
}

}  // namespace kg::query::exec
