#include "ingest/ts_heap.h"

#include <tree_sitter/api.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string_view>

#include "common/system.h"

namespace kg::ingest {
namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

// Every block starts with a header holding its size class (kLarge: a malloc'd block); the caller
// gets the bytes after it, 16-byte aligned as malloc's.
constexpr size_t kHeader = 16;
constexpr size_t kStep = 16;
constexpr size_t kMaxSmall = 2048;                  // larger blocks go to malloc
constexpr size_t kClasses = kMaxSmall / kStep + 1;  // class c holds c * kStep bytes (c >= 1)
constexpr uint64_t kLarge = ~uint64_t{0};
constexpr size_t kRegion = kHugePageBytes;

struct FreeBlock {  // a free block's payload: the next free block of its class
  FreeBlock* next;
};
struct SpareRegion {  // the unused rest of an ended thread's region, at its start
  SpareRegion* next;
  char* end;
};

// The shared pool: what ended threads handed over. constinit (no constructor or destructor to
// order against other globals or against threads that end late).
struct Pool {
  std::mutex mu;
  FreeBlock* lists[kClasses] = {};       // guarded by mu
  std::atomic<bool> has[kClasses] = {};  // lists[c] != nullptr, read without the lock
  SpareRegion* spare = nullptr;          // guarded by mu
  size_t pooled_blocks = 0;              // guarded by mu
  // The region that allocations of ended threads are carved from; guarded by mu.
  char* next = nullptr;
  char* end = nullptr;
  std::atomic<size_t> mapped_bytes{0};
};
constinit Pool pool;
std::atomic<bool> installed{false};

// A thread's free lists and the region it carves new blocks from. Trivially destructible, so it
// stays usable while other thread-local destructors (tree-sitter parsers) run at thread exit.
struct Cache {
  FreeBlock* lists[kClasses];
  char* next;  // [next, end): the current region's uncarved part
  char* end;
  bool started;  // `guard` exists, so the thread hands its blocks over when it ends
  bool ended;    // handed over: this thread's later calls use the pool directly
};
constinit thread_local Cache cache{};

void HandOver();
struct Guard {
  bool armed = false;
  ~Guard() { HandOver(); }
};
thread_local Guard guard;

[[noreturn]] void OutOfMemory(size_t bytes) {
  std::fprintf(stderr, "codekg: tree-sitter's heap failed to allocate %zu bytes\n", bytes);
  std::abort();
}

uint64_t& ClassOf(void* payload) {
  return *reinterpret_cast<uint64_t*>(static_cast<char*>(payload) - kHeader);
}

// A new region: an ended thread's spare, else fresh address space. REQUIRES: pool.mu held.
SpareRegion* TakeRegionLocked() {
  if (SpareRegion* r = pool.spare) {
    pool.spare = r->next;
    return r;
  }
  void* p = MapHugePageAligned(kRegion);
  if (p == nullptr) return nullptr;
  pool.mapped_bytes.fetch_add(kRegion, std::memory_order_relaxed);
  auto* r = static_cast<SpareRegion*>(p);
  r->end = static_cast<char*>(p) + kRegion;
  return r;
}

// Carves a block of class c from [*next, *end); nullptr when that is too short.
void* Carve(size_t c, char** next, char** end) {
  const size_t bytes = kHeader + c * kStep;
  if (*next == nullptr || static_cast<size_t>(*end - *next) < bytes) return nullptr;
  char* block = *next;
  *next += bytes;
  *reinterpret_cast<uint64_t*>(block) = c;
  return block + kHeader;
}

// Carve(), taking a new region first when the current one is too short (a new region or a
// spare holds a block of any class). REQUIRES: pool.mu held (the region pointers may be the
// pool's).
static_assert(kRegion >= kHeader + kMaxSmall && sizeof(SpareRegion) <= kHeader + kMaxSmall);
void* CarveLocked(size_t c, char** next, char** end) {
  if (void* p = Carve(c, next, end)) return p;
  SpareRegion* r = TakeRegionLocked();
  if (r == nullptr) return nullptr;
  *next = reinterpret_cast<char*>(r);
  *end = r->end;
  return Carve(c, next, end);
}

// The allocation of a thread that already handed its cache over: from the pool, under its lock.
void* AllocFromPool(size_t c) {
  std::lock_guard<std::mutex> lock(pool.mu);
  if (FreeBlock* b = pool.lists[c]) {
    pool.lists[c] = b->next;
    if (b->next == nullptr) pool.has[c].store(false, std::memory_order_relaxed);
    --pool.pooled_blocks;
    return b;
  }
  return CarveLocked(c, &pool.next, &pool.end);
}
void FreeToPool(void* payload, size_t c) {
  std::lock_guard<std::mutex> lock(pool.mu);
  auto* b = static_cast<FreeBlock*>(payload);
  b->next = pool.lists[c];
  pool.lists[c] = b;
  pool.has[c].store(true, std::memory_order_relaxed);
  ++pool.pooled_blocks;
}

void Start(Cache& k) {
  k.started = true;
  guard.armed = true;  // constructs the thread's guard: HandOver() runs when the thread ends
}

// Runs when the thread ends: its free blocks go to the pool's lists, the rest of its region to
// the pool's spares.
void HandOver() {
  Cache& k = cache;
  if (k.ended) return;
  std::lock_guard<std::mutex> lock(pool.mu);
  for (size_t c = 1; c < kClasses; ++c) {
    FreeBlock* head = k.lists[c];
    if (head == nullptr) continue;
    FreeBlock* tail = head;
    size_t n = 1;
    for (; tail->next != nullptr; tail = tail->next) ++n;
    tail->next = pool.lists[c];
    pool.lists[c] = head;
    pool.has[c].store(true, std::memory_order_relaxed);
    pool.pooled_blocks += n;
    k.lists[c] = nullptr;
  }
  // Only a rest that holds a block of any class is kept: a spare must serve whatever block the
  // thread that takes it carves next (CarveLocked).
  if (k.next != nullptr && static_cast<size_t>(k.end - k.next) >= kHeader + kMaxSmall) {
    auto* r = reinterpret_cast<SpareRegion*>(k.next);
    r->end = k.end;
    r->next = pool.spare;
    pool.spare = r;
  }
  k.next = k.end = nullptr;
  k.ended = true;
}

void* Allocate(size_t bytes) {
  if (bytes > kMaxSmall) {
    if (bytes > SIZE_MAX - kHeader) OutOfMemory(bytes);
    auto* block = static_cast<char*>(std::malloc(kHeader + bytes));
    if (block == nullptr) OutOfMemory(bytes);
    *reinterpret_cast<uint64_t*>(block) = kLarge;
    return block + kHeader;
  }
  const size_t c = bytes == 0 ? 1 : (bytes + kStep - 1) / kStep;
  Cache& k = cache;
  if (FreeBlock* b = k.lists[c]) {  // the common case
    k.lists[c] = b->next;
    return b;
  }
  if (!k.started) Start(k);
  void* p = nullptr;
  if (k.ended) {
    p = AllocFromPool(c);
  } else if (pool.has[c].load(std::memory_order_relaxed)) {
    // Adopt the pool's whole list of this class (blocks of ended threads).
    std::lock_guard<std::mutex> lock(pool.mu);
    if (FreeBlock* b = pool.lists[c]) {
      size_t n = 0;
      for (FreeBlock* x = b; x != nullptr; x = x->next) ++n;
      pool.pooled_blocks -= n;
      pool.lists[c] = nullptr;
      pool.has[c].store(false, std::memory_order_relaxed);
      k.lists[c] = b->next;
      p = b;
    }
  }
  if (p == nullptr && !k.ended && (p = Carve(c, &k.next, &k.end)) == nullptr) {
    std::lock_guard<std::mutex> lock(pool.mu);
    p = CarveLocked(c, &k.next, &k.end);
  }
  if (p == nullptr) OutOfMemory(bytes);
  return p;
}

void Release(void* payload) {
  if (payload == nullptr) return;
  const uint64_t c = ClassOf(payload);
  if (c == kLarge) {
    std::free(static_cast<char*>(payload) - kHeader);
    return;
  }
  Cache& k = cache;
  if (!k.started) Start(k);
  if (k.ended) {
    FreeToPool(payload, c);
    return;
  }
  auto* b = static_cast<FreeBlock*>(payload);
  b->next = k.lists[c];
  k.lists[c] = b;
}

void* AllocateZeroed(size_t count, size_t size) {
  if (size != 0 && count > SIZE_MAX / size) OutOfMemory(SIZE_MAX);
  void* p = Allocate(count * size);
  std::memset(p, 0, count * size);
  return p;
}

void* Reallocate(void* payload, size_t bytes) {
  if (payload == nullptr) return Allocate(bytes);
  const uint64_t c = ClassOf(payload);
  if (c == kLarge) {
    if (bytes > kMaxSmall) {
      if (bytes > SIZE_MAX - kHeader) OutOfMemory(bytes);
      auto* block =
          static_cast<char*>(std::realloc(static_cast<char*>(payload) - kHeader, kHeader + bytes));
      if (block == nullptr) OutOfMemory(bytes);
      return block + kHeader;
    }
    void* p = Allocate(bytes);  // shrinks into a size class
    std::memcpy(p, payload, bytes);
    Release(payload);
    return p;
  }
  const size_t have = c * kStep;
  if (bytes <= have) return payload;
  void* p = Allocate(bytes);
  std::memcpy(p, payload, have);
  Release(payload);
  return p;
}

// Before main() and before the constructors of ordinary globals: no tree-sitter object can have
// been allocated by another allocator yet.
__attribute__((constructor(101))) void InstallTsHeap() {
  if (kSanitized) return;
  const char* env = std::getenv("CODEKG_TS_HEAP");
  if (env != nullptr && std::string_view(env) == "0") return;
  ts_set_allocator(Allocate, AllocateZeroed, Reallocate, Release);
  installed.store(true);
}

}  // namespace

TsHeapStats GetTsHeapStats() {
  TsHeapStats s;
  s.installed = installed.load();
  s.mapped_bytes = pool.mapped_bytes.load(std::memory_order_relaxed);
  std::lock_guard<std::mutex> lock(pool.mu);
  s.pooled_blocks = pool.pooled_blocks;
  return s;
}

}  // namespace kg::ingest
