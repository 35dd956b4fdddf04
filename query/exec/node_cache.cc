#include "query/exec/node_cache.h"

#include <algorithm>

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
