#pragma once
// TsHeap: tree-sitter's memory, in a heap of its own.
//
// A parse allocates and frees millions of small blocks (subtrees, child arrays, stack nodes),
// and a one-file-at-a-time ingest frees each tree before the next parse. With the process's
// malloc, the blocks a tree gave back are taken meanwhile by the facts kept of that file (strings
// and vectors of the same sizes), so the next parse gets its blocks from wherever the heap has
// room: its trees end up spread over much more memory than one tree needs, and the parse, the
// query walk and the extraction over it miss the cache more (on Django at -j1, tree-sitter's own
// code ran ~10% slower inside an ingest than in a loop that only parses). Here the blocks a tree
// gives back serve only the next trees.
//
// Installed with tree-sitter's ts_set_allocator() by a constructor that runs before main() in
// every program that links the extractor (so that no tree-sitter object was allocated by another
// allocator before). Blocks up to 2 KiB come from size classes (16-byte steps) carved from 2 MiB
// regions (MADV_HUGEPAGE), each thread with its own free lists; larger blocks go to malloc. A
// block joins the free lists of the thread that frees it, whichever thread allocated it. A
// thread that ends hands its free blocks and the rest of its region to a shared pool that the
// next threads draw from, so memory is bounded by the most tree-sitter memory that was in use at
// once. Memory is kept for reuse, not returned to the kernel.
//
// Not installed in sanitizer builds (their allocators should see every block), nor when the
// environment has CODEKG_TS_HEAP=0.
//
// Thread-safety: the functions below may be called from any thread.

#include <cstddef>

namespace kg::ingest {

struct TsHeapStats {
  bool installed = false;    // tree-sitter allocates here
  size_t mapped_bytes = 0;   // regions taken from the kernel so far (never given back)
  size_t pooled_blocks = 0;  // free blocks in the shared pool (handed over by ended threads)
};
TsHeapStats GetTsHeapStats();

}  // namespace kg::ingest
