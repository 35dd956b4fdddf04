#include "query/plan_cache.h"

#include <cstring>

namespace kg::query {
namespace {

void AppendLength(std::string* out, size_t n) {
  char buf[sizeof(uint64_t)];
  const uint64_t v = n;
  std::memcpy(buf, &v, sizeof(v));
  out->append(buf, sizeof(buf));
}

void AppendBytes(std::string* out, std::string_view s) {
  AppendLength(out, s.size());
  out->append(s);
}

// An injective encoding of a value: a type tag, then a length-prefixed payload.
void AppendValue(std::string* out, const Value& v) {
  out->push_back(static_cast<char>(v.type()));
  switch (v.type()) {
    case Value::Type::kNull:
      break;
    case Value::Type::kBool:
      out->push_back(v.as_bool() ? '1' : '0');
      break;
    case Value::Type::kInt: {
      const int64_t i = v.as_int();
      out->append(reinterpret_cast<const char*>(&i), sizeof(i));
      break;
    }
    case Value::Type::kDouble: {
      const double d = v.as_double();
      out->append(reinterpret_cast<const char*>(&d), sizeof(d));
      break;
    }
    case Value::Type::kString:
      AppendBytes(out, v.as_string());
      break;
    case Value::Type::kList:
      AppendLength(out, v.as_list().size());
      for (const auto& e : v.as_list()) AppendValue(out, e);
      break;
    case Value::Type::kMap:
      AppendLength(out, v.as_map().size());
      for (const auto& [k, e] : v.as_map()) {
        AppendBytes(out, k);
        AppendValue(out, e);
      }
      break;
  }
}

}  // namespace

PlanCache::PlanCache(size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

PlanCache& PlanCache::Default() {
  static PlanCache* cache = new PlanCache();
  return *cache;
}

std::string PlanCache::Key(const void* store, std::string_view graph, std::string_view text,
                           const ValueMap& params, int64_t max_var_hops) {
  std::string key;
  key.reserve(text.size() + graph.size() + 48);
  const auto address = reinterpret_cast<uintptr_t>(store);
  key.append(reinterpret_cast<const char*>(&address), sizeof(address));
  key.append(reinterpret_cast<const char*>(&max_var_hops), sizeof(max_var_hops));
  AppendBytes(&key, graph);
  AppendBytes(&key, text);
  AppendLength(&key, params.size());
  for (const auto& [name, value] : params) {
    AppendBytes(&key, name);
    AppendValue(&key, value);
  }
  return key;
}

std::shared_ptr<const CachedPlan> PlanCache::Find(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    ++misses_;
    return nullptr;
  }
  ++hits_;
  lru_.splice(lru_.begin(), lru_, it->second.lru);
  return it->second.plan;
}

void PlanCache::Insert(const std::string& key, std::shared_ptr<const CachedPlan> plan) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    it->second.plan = std::move(plan);
    lru_.splice(lru_.begin(), lru_, it->second.lru);
    return;
  }
  while (entries_.size() >= capacity_ && !lru_.empty()) {
    entries_.erase(lru_.back());
    lru_.pop_back();
  }
  lru_.push_front(key);
  entries_.emplace(key, Entry{std::move(plan), lru_.begin()});
}

void PlanCache::Erase(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return;
  lru_.erase(it->second.lru);
  entries_.erase(it);
}

void PlanCache::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.clear();
  lru_.clear();
}

size_t PlanCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

uint64_t PlanCache::hits() const {
  std::lock_guard<std::mutex> lock(mu_);
  return hits_;
}

uint64_t PlanCache::misses() const {
  std::lock_guard<std::mutex> lock(mu_);
  return misses_;
}

bool PlanCache::Cacheable(const bind::BoundQuery& bound) {
  return bound.warnings.empty() && !bound.var_hops_clamped && !bound.has_create;
}

}  // namespace kg::query
