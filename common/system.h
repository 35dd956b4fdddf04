#pragma once
// Small Linux system helpers shared by storage, ingest and the allocator set-up.
// Thread-safe: each call works on its own arguments only.

#include <unistd.h>

#include <cstddef>

namespace kg {

// Owns a file descriptor: closes it when destroyed. Not copyable.
class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) : fd_(fd) {}
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// 2 MiB, the size of a transparent huge page on x86-64 and arm64 (4 KiB base pages).
inline constexpr size_t kHugePageBytes = size_t{2} << 20;

// Maps `bytes` (a multiple of kHugePageBytes) of fresh zeroed memory aligned to `alignment` (a
// power of two, at least kHugePageBytes) and marks it MADV_HUGEPAGE, so that where the kernel
// offers transparent huge pages, touching it faults in 2 MiB at a time instead of 4 KiB (a hint:
// without THP it is ordinary memory). Address space only until touched (MAP_NORESERVE). Returns
// nullptr when the kernel refuses; release with munmap(p, bytes). Allocates no heap memory (the
// allocator's own system allocator calls it).
void* MapHugePageAligned(size_t bytes, size_t alignment = kHugePageBytes);

}  // namespace kg
