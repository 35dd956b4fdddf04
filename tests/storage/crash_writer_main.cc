// Helper of crash_test.cc: writes generations of FactBatches through the public GraphStore API
// with sync_writes (as the server does) and reports each acknowledged generation on stdout
// (8 bytes, little-endian) until it is killed.
//
//   storage_crash_writer DB_DIR FIRST_GENERATION
//
// What generation j writes is defined by crash_workload.h, shared with the checking parent.

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "storage/graph_store.h"
#include "tests/storage/crash_workload.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: storage_crash_writer DB_DIR FIRST_GENERATION\n");
    return 2;
  }
  kg::storage::Options options;
  options.sync_writes = true;
  options.block_cache_bytes = 8u << 20;
  auto store = kg::storage::GraphStore::Open(argv[1], options);
  if (!store.ok()) {
    std::fprintf(stderr, "open: %s\n", store.status().ToString().c_str());
    return 3;
  }
  if (!(*store)->EnsureGraph(kg::storage::crash::kGraph).ok()) return 3;
  for (uint64_t gen = std::strtoull(argv[2], nullptr, 10);; ++gen) {
    kg::Status s = kg::storage::crash::WriteGeneration(**store, gen);
    if (!s.ok()) {
      std::fprintf(stderr, "generation %llu: %s\n", static_cast<unsigned long long>(gen),
                   s.ToString().c_str());
      return 4;
    }
    unsigned char buf[8];
    for (int i = 0; i < 8; ++i) buf[i] = static_cast<unsigned char>(gen >> (8 * i));
    if (::write(STDOUT_FILENO, buf, 8) != 8) return 5;
  }
}
