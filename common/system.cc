#include "common/system.h"

#include <sys/mman.h>

#include <cstdint>

namespace kg {

void* MapHugePageAligned(size_t bytes, size_t alignment) {
  // Over-map by `alignment` and trim both ends, so that the block starts on the boundary.
  void* raw = mmap(nullptr, bytes + alignment, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (raw == MAP_FAILED) return nullptr;
  const uintptr_t start = reinterpret_cast<uintptr_t>(raw);
  const uintptr_t aligned = (start + alignment - 1) & ~uintptr_t{alignment - 1};
  const uintptr_t end = aligned + bytes, raw_end = start + bytes + alignment;
  if (aligned > start) munmap(raw, aligned - start);
  if (raw_end > end) munmap(reinterpret_cast<void*>(end), raw_end - end);
  (void)madvise(reinterpret_cast<void*>(aligned), bytes, MADV_HUGEPAGE);  // a hint
  return reinterpret_cast<void*>(aligned);
}

}  // namespace kg
