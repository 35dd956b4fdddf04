// common/huge_page_heap.cc, as linked into codekgd and the benchmarks: tcmalloc takes its memory
// from 2 MiB-aligned MADV_HUGEPAGE regions, unless CODEKG_HUGE_PAGES=0.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace {

// The VmFlags of the mapping of this process that holds `p` (from /proc/self/smaps), or nullopt
// if none does.
std::optional<std::string> VmFlagsOf(const void* p) {
  const uintptr_t at = reinterpret_cast<uintptr_t>(p);
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    uintptr_t lo = 0, hi = 0;
    char dash = 0;
    std::istringstream head(line);
    if (head >> std::hex >> lo >> dash >> hi && dash == '-') {
      inside = lo <= at && at < hi;
      continue;
    }
    if (inside && line.rfind("VmFlags:", 0) == 0) return line.substr(8) + " ";
  }
  return std::nullopt;
}

bool MarkedHuge(const void* p) {
  std::optional<std::string> flags = VmFlagsOf(p);
  return flags && flags->find(" hg ") != std::string::npos;
}

bool OptedOut() {
  const char* env = std::getenv("CODEKG_HUGE_PAGES");
  return env != nullptr && std::strcmp(env, "0") == 0;
}

// Run by the tests below in this process, and again in a child with CODEKG_HUGE_PAGES=0: heap
// memory of every size is usable, and lies in MADV_HUGEPAGE regions exactly when not opted out.
TEST(HugePageHeap, HeapMemoryIsInHugePageRegionsUnlessOptedOut) {
  const bool want = !OptedOut();
  // Small objects (tcmalloc's size classes), a large span, one larger than a region.
  std::vector<std::unique_ptr<char[]>> small;
  for (int i = 0; i < 100000; ++i) {
    small.emplace_back(new char[48]);
    std::memset(small.back().get(), i & 0xff, 48);
  }
  for (size_t bytes : {size_t{3} << 20, size_t{40} << 20, size_t{100} << 20}) {
    std::unique_ptr<char[]> big(new char[bytes]);
    std::memset(big.get(), 7, bytes);  // usable end to end
    EXPECT_EQ(big[bytes - 1], 7);
    EXPECT_EQ(MarkedHuge(big.get()), want) << bytes << " bytes";
  }
  // The first objects may come from memory tcmalloc took at start-up, before the allocator was
  // installed (about half a megabyte); the later ones come from regions it took afterwards.
  int marked = 0, sampled = 0;
  for (size_t i = small.size() / 2; i < small.size(); i += 101, ++sampled) {
    marked += MarkedHuge(small[i].get());
  }
  EXPECT_EQ(marked, want ? sampled : 0);
  for (int i = 0; i < 100000; i += 997) EXPECT_EQ(small[i][47], static_cast<char>(i & 0xff));
}

TEST(HugePageHeap, OverAlignedAllocationsAreAlignedAndUsable) {
  for (size_t alignment : {size_t{4096}, size_t{2} << 20, size_t{8} << 20}) {
    void* p = nullptr;
    ASSERT_EQ(posix_memalign(&p, alignment, 5u << 20), 0) << alignment;
    EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % alignment, 0u) << alignment;
    std::memset(p, 1, 5u << 20);
    std::free(p);
  }
}

TEST(HugePageHeap, OptOutKeepsTcmallocsOwnAllocator) {
  if (OptedOut()) return;  // this process is the child below
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    setenv("CODEKG_HUGE_PAGES", "0", 1);
    execl("/proc/self/exe", "huge_page_heap_test",
          "--gtest_filter=HugePageHeap.HeapMemoryIsInHugePageRegionsUnlessOptedOut", nullptr);
    _exit(127);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "the child (CODEKG_HUGE_PAGES=0) saw huge-page regions";
}

}  // namespace
