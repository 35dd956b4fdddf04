// tcmalloc's memory in transparent huge pages.
//
// Linked (by codekg_use_malloc in CMakeLists.txt) into every executable that uses tcmalloc: a
// global constructor installs a tcmalloc system allocator (gperftools' pluggable SysAllocator,
// as its own hugetlbfs allocator in memfs_malloc.cc) that takes address space from the kernel in
// 2 MiB-aligned regions marked MADV_HUGEPAGE. Where the kernel offers transparent huge pages
// ("madvise" or "always" mode), the heap then faults in 2 MiB at a time instead of 4 KiB: the
// first touch of heap memory costs one fault per 2 MiB instead of 512 of them. On a VM where a
// page fault is a trip through the hypervisor (about 13 us per 4 KiB page on the CI machines,
// against 0.25 us per 4 KiB of a huge page), faults were about a sixth of an ingest's time.
// Without THP ("never"), the regions are ordinary memory faulted in 4 KiB at a time, as before.
//
// Cost: resident memory grows in steps of up to 2 MiB (tcmalloc still returns free spans to the
// kernel, which splits huge pages as needed). CODEKG_HUGE_PAGES=0 in the environment keeps
// tcmalloc's default system allocator.

#include <gperftools/malloc_extension.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>

#include "common/system.h"

namespace kg {
namespace {

constexpr size_t kHugePage = kHugePageBytes;
// Address space reserved at a time; only what tcmalloc hands out gets touched.
constexpr size_t kRegion = size_t{64} << 20;

size_t RoundUp(size_t n, size_t to) { return (n + to - 1) & ~(to - 1); }

// Hands out memory from 2 MiB-aligned MADV_HUGEPAGE mappings, front to back (the tail of a
// region too small for a request is left unused: address space only, never touched); falls back
// to tcmalloc's default allocator when a mapping fails. Thread-safe (tcmalloc calls it under its
// page-heap lock; the mutex makes that an assumption we do not rely on).
class HugePageSysAllocator final : public SysAllocator {
 public:
  explicit HugePageSysAllocator(SysAllocator* fallback) : fallback_(fallback) {}

  void* Alloc(size_t size, size_t* actual_size, size_t alignment) override {
    if (size == 0 || alignment == 0 || (alignment & (alignment - 1)) != 0 ||
        size > (size_t{1} << 46)) {
      return Fallback(size, actual_size, alignment);
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (alignment > kHugePage || size >= kRegion / 2) {  // a mapping of its own
      void* p = MapHugePageAligned(RoundUp(size, kHugePage), std::max(alignment, kHugePage));
      if (p == nullptr) return Fallback(size, actual_size, alignment);
      if (actual_size != nullptr) *actual_size = size;
      return p;
    }
    uintptr_t at = RoundUp(next_, alignment);
    if (next_ == 0 || at + size > end_) {
      void* region = MapHugePageAligned(kRegion);
      if (region == nullptr) return Fallback(size, actual_size, alignment);
      next_ = reinterpret_cast<uintptr_t>(region);
      end_ = next_ + kRegion;
      at = next_;  // 2 MiB-aligned: any alignment up to that holds
    }
    next_ = at + size;
    if (actual_size != nullptr) *actual_size = size;
    return reinterpret_cast<void*>(at);
  }

 private:
  void* Fallback(size_t size, size_t* actual_size, size_t alignment) {
    return fallback_ != nullptr ? fallback_->Alloc(size, actual_size, alignment) : nullptr;
  }

  SysAllocator* const fallback_;
  std::mutex mu_;
  uintptr_t next_ = 0;  // the current region's unused part: [next_, end_)
  uintptr_t end_ = 0;
};

// Installs the allocator before main() (tcmalloc, a shared library, is initialized before this
// executable's constructors run). Never destroyed: tcmalloc may call it until the process ends.
struct InstallHugePageHeap {
  InstallHugePageHeap() {
    const char* env = std::getenv("CODEKG_HUGE_PAGES");
    if (env != nullptr && std::strcmp(env, "0") == 0) return;
    MallocExtension* ext = MallocExtension::instance();
    SysAllocator* fallback = ext->GetSystemAllocator();
    if (fallback == nullptr) return;  // not tcmalloc: nothing pluggable
    alignas(HugePageSysAllocator) static unsigned char storage[sizeof(HugePageSysAllocator)];
    ext->SetSystemAllocator(new (storage) HugePageSysAllocator(fallback));
  }
} install_huge_page_heap;

}  // namespace
}  // namespace kg
