// bench/query/query_loop: runs one query many times against an existing store, for profiling
// (perf record) and per-query CPU figures without the SQLite side or graph loading.
//
// Usage: query_loop --db DIR --graph NAME --runs N [--print] [--pollute-kb K] QUERY
//   DIR is a RocksDB store folder (e.g. the gen_db a `query_bench --reuse --dir D` run left in
//   D). Prints the row count and the p50 wall and mean thread-CPU microseconds per query; with
//   --print also the rows of the last run, one per line (e.g. to diff two builds' results).
//   --pollute-kb K writes a K KiB buffer between runs (not timed), as another workload would
//   between an agent's queries: the figures then include the cache misses a warm loop hides
//   (query_bench alternates codekg and SQLite, which has the same effect).

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "query/engine.h"
#include "storage/graph_store.h"
#include "storage/test_hooks.h"

namespace {

double ThreadCpuUs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

int Die(const std::string& what) {
  std::fprintf(stderr, "query_loop: %s\n", what.c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string db, graph = "gen", query;
  int runs = 1000;
  bool print = false;
  size_t pollute_kb = 0;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--db" && i + 1 < argc) {
      db = argv[++i];
    } else if (a == "--graph" && i + 1 < argc) {
      graph = argv[++i];
    } else if (a == "--runs" && i + 1 < argc) {
      runs = std::atoi(argv[++i]);
    } else if (a == "--pollute-kb" && i + 1 < argc) {
      pollute_kb = static_cast<size_t>(std::atol(argv[++i]));
    } else if (a == "--print") {
      print = true;
    } else {
      query = a;
    }
  }
  if (db.empty() || query.empty() || runs < 1) {
    return Die(
        "usage: query_loop --db DIR [--graph NAME] [--runs N] [--print] [--pollute-kb K] QUERY");
  }
  kg::storage::Options options;
  options.create_if_missing = false;
  options.block_cache_bytes = 512u << 20;
  auto store = kg::storage::GraphStore::Open(db, options);
  if (!store.ok()) return Die(store.status().ToString());
  auto index = kg::storage::test_hooks::BuildAdjacencyIndex(**store, graph);
  if (!index.ok()) return Die(index.status().ToString());
  std::vector<double> wall;
  size_t rows = 0;
  kg::query::QueryResult last;
  std::vector<unsigned char> junk(pollute_kb * 1024);
  double cpu_total = 0;
  for (int i = 0; i < runs; ++i) {
    for (size_t j = 0; j < junk.size(); j += 64) junk[j] = static_cast<unsigned char>(junk[j] + i);
    const double c = ThreadCpuUs();
    const auto a = std::chrono::steady_clock::now();
    auto r = kg::query::ExecuteQuery(**store, graph, query);
    const auto b = std::chrono::steady_clock::now();
    cpu_total += ThreadCpuUs() - c;
    if (!r.ok()) return Die(r.status().ToString());
    rows = r->rows.size();
    if (print && i + 1 == runs) last = std::move(r).value();
    wall.push_back(std::chrono::duration<double, std::micro>(b - a).count());
  }
  const double cpu = cpu_total / runs;
  std::sort(wall.begin(), wall.end());
  for (const auto& row : last.rows) {
    std::string line;
    for (const auto& v : row) line += (line.empty() ? "" : "\t") + v.DebugString();
    std::printf("%s\n", line.c_str());
  }
  std::printf("rows %zu  p50 %.2f us  cpu %.2f us/query  (%d runs)\n", rows, wall[wall.size() / 2],
              cpu, runs);
  return 0;
}
