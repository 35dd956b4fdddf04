// Helper of crash_test.cc: writes generations of FactBatches through the public GraphStore API
// with sync_writes (as the server does) and reports each acknowledged generation on stdout
// (8 bytes, little-endian) until it is killed.
//
//   storage_crash_writer DB_DIR FIRST_GENERATION
//   storage_crash_writer DB_DIR bulk GRAPH [spill]
//
// What generation j writes is defined by crash_workload.h, shared with the checking parent. The
// second form creates GRAPH, bulk-loads crash::BulkBatchOf(0 .. kBulkFiles-1) through one
// BulkWriter, acknowledges once Finish() returned OK, then waits to be killed. With `spill`, the
// load spills sorted runs every 64 KiB (so Finish() ingests SST files; otherwise this small load
// is stored with one WriteBatch).

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "storage/graph_store.h"
#include "storage/test_hooks.h"
#include "tests/storage/crash_workload.h"

int main(int argc, char** argv) {
  if (argc != 3 && !((argc == 4 || argc == 5) && std::string(argv[2]) == "bulk")) {
    std::fprintf(stderr,
                 "usage: storage_crash_writer DB_DIR FIRST_GENERATION\n"
                 "       storage_crash_writer DB_DIR bulk GRAPH [spill]\n");
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
  if (argc >= 4) {
    if (argc == 5) kg::storage::test_hooks::SetFreshLoadSpillBytes(64u << 10);
    if (!(*store)->CreateGraph(argv[3]).ok()) return 3;
    auto writer = (*store)->NewBulkWriter(argv[3]);
    if (!writer.ok()) return 3;
    for (int f = 0; f < kg::storage::crash::kBulkFiles; ++f) {
      if (!(*writer)->Add(kg::storage::crash::BulkBatchOf(f)).ok()) return 4;
    }
    if (!(*writer)->Finish().ok()) return 4;
    unsigned char ack[8] = {1};
    if (::write(STDOUT_FILENO, ack, 8) != 8) return 5;
    for (;;) ::pause();
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
