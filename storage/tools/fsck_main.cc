// codekg-fsck: offline integrity check of a codekg data directory.
//
//   codekg-fsck --data DIR [--graph G]
//
// Opens the database (it must not be open in another process: RocksDB locks it), runs
// GraphStore::Fsck on graph G or on every graph, and prints one summary line per graph and one
// line per problem. Exit code: 0 every checked graph is consistent, 1 problems were found,
// 2 error (bad arguments, cannot open the database, unknown graph, read failure).

#include <cstdio>
#include <string>
#include <vector>

#include "storage/graph_store.h"

namespace {

int Usage(const char* message) {
  std::fprintf(stderr, "codekg-fsck: %s\nusage: codekg-fsck --data DIR [--graph G]\n", message);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string data, graph;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if ((arg == "--data" || arg == "--graph") && i + 1 < argc) {
      (arg == "--data" ? data : graph) = argv[++i];
    } else if (arg == "-h" || arg == "--help") {
      std::printf("usage: codekg-fsck --data DIR [--graph G]\n");
      return 0;
    } else {
      return Usage(("unexpected argument '" + arg + "'").c_str());
    }
  }
  if (data.empty()) return Usage("--data DIR is required");

  kg::storage::Options options;
  options.create_if_missing = false;
  options.block_cache_bytes = 64u << 20;
  auto store = kg::storage::GraphStore::Open(data, options);
  if (!store.ok()) {
    std::fprintf(stderr, "codekg-fsck: %s\n", store.status().ToString().c_str());
    return 2;
  }
  std::vector<std::string> graphs;
  if (!graph.empty()) {
    graphs.push_back(graph);
  } else {
    auto list = (*store)->ListGraphs();
    if (!list.ok()) {
      std::fprintf(stderr, "codekg-fsck: %s\n", list.status().ToString().c_str());
      return 2;
    }
    for (const auto& info : *list) graphs.push_back(info.name);
  }
  bool clean = true;
  for (const std::string& g : graphs) {
    auto report = (*store)->Fsck(g);
    if (!report.ok()) {
      std::fprintf(stderr, "codekg-fsck: %s\n", report.status().ToString().c_str());
      return 2;
    }
    std::printf("graph %s: %s (%llu nodes, %llu edges, %llu index entries, %llu files)\n",
                g.c_str(), report->ok() ? "ok" : "PROBLEMS",
                static_cast<unsigned long long>(report->nodes),
                static_cast<unsigned long long>(report->edges),
                static_cast<unsigned long long>(report->index_entries),
                static_cast<unsigned long long>(report->files));
    for (const std::string& p : report->problems) std::printf("  %s\n", p.c_str());
    clean = clean && report->ok();
  }
  if (graphs.empty()) std::printf("no graphs\n");
  return clean ? 0 : 1;
}
