// bench/storage: codekg's GraphStore against SQLite on the same generated code-like graph.
//
// Each engine runs in its own forked child process so that peak RSS (from wait4) belongs to one
// engine alone; the parent prints one table with both and the ratios. Figures:
//   load      bulk load of all nodes and edges (edges/s); codekg through a BulkWriter, one batch
//             per file (the same semantics as ApplyBatch), durable when Finish() returns
//   hops      codekg: FindNode of the start, then one Snapshot::ExpandNeighbors call per level
//             with the whole frontier (keys only: sorted, deduplicated seeks on one out_edges
//             iterator, no edge properties decoded); SQLite: the start's key by id, then one
//             recursive CTE (an index probe of edges(src,type,dst) per frontier row)
//   warm-up   each set of probes runs twice in a row per engine; the second run is measured
//   lookup    point lookup of nodes by (label, name), p50/p99 (us), reading each match's id and
//             start_line (codekg: ScanLabelName, then one GetNodeValues projection; SQLite:
//             SELECT key, id, start_line via the (label, name) index)
//   hop1..3   1-, 2-, 3-hop expansion along CALLS from a random function, counting paths, p50/p99
//   hopN+names  the same, then the `name` of every node reached (codekg: one GetNodes of the
//             frontier; SQLite: the CTE joined with nodes), checked equal by total name bytes
//   adj.      codekg's adjacency index (Options::adjacency_index_bytes): build time and memory;
//             hops are measured with it, then again without it ("no adj. index": RocksDB seeks)
//   disk      bytes on disk after load (RocksDB folder / SQLite file incl. WAL)
//   rss       peak resident set of the child (MiB)
// SQLite: one table of nodes and one of edges with the indexes a graph engine needs
// ((label,name), (src,type,dst), (dst,type,src)), WAL mode, loaded in one transaction with
// prepared statements; hops as recursive CTEs.
//
// Usage: storage_bench [--nodes N] [--edges-per-node K] [--samples S] [--seed X] [--dir D]
//                      [--load-only 1]   (only codekg's bulk load, in-process: for profiling)

#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "storage/graph_store.h"
#include "storage/test_hooks.h"

namespace kg::bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Config {
  uint64_t nodes = 1'000'000;
  uint64_t edges_per_node = 4;
  int samples = 2000;
  uint64_t seed = 42;
  std::string dir;
  bool load_only = false;  // --load-only 1: only codekg's bulk load, in this process (profiling)
};

// ---- The generated graph: files of ~100 code entities, like a large Python repository. ----

enum Kind : uint8_t { kFile, kClass, kMethod, kFunction };
constexpr const char* kKindLabel[] = {"File", "Class", "Method", "Function"};
constexpr const char* kTypeName[] = {"CONTAINS", "HAS_METHOD", "CALLS", "INHERITS", "IMPORTS"};
enum Type : uint8_t { kContains, kHasMethod, kCalls, kInherits, kImports };

struct GenNode {
  Kind kind;
  uint32_t file;
  std::string name;
};
struct GenEdge {
  uint32_t src, dst;
  Type type;
  uint32_t line;
};
struct Graph {
  std::vector<GenNode> nodes;                              // index = node number
  std::vector<GenEdge> edges;                              // grouped by the file of src
  std::vector<uint32_t> file_first_node, file_first_edge;  // per file ranges (+1 sentinel)
  std::vector<uint32_t> functions;                         // nodes that are functions or methods
};

std::string NodeId(const Graph& g, uint32_t n) {
  return "pkg/m" + std::to_string(g.nodes[n].file) + ".py:" + g.nodes[n].name + "_" +
         std::to_string(n);
}

Graph Generate(const Config& cfg) {
  static const char* kWords[] = {"get",      "set",     "load",  "save",   "parse",
                                 "render",   "build",   "user",  "order",  "item",
                                 "cache",    "query",   "token", "config", "request",
                                 "response", "handler", "model", "view",   "session"};
  std::mt19937_64 rng(cfg.seed);
  auto word = [&] { return std::string(kWords[rng() % 20]); };
  Graph g;
  const uint32_t per_file = 100;
  uint32_t files = static_cast<uint32_t>(std::max<uint64_t>(1, cfg.nodes / per_file));
  g.nodes.reserve(cfg.nodes);
  for (uint32_t f = 0; f < files; ++f) {
    g.file_first_node.push_back(static_cast<uint32_t>(g.nodes.size()));
    g.nodes.push_back({kFile, f, "m" + std::to_string(f) + ".py"});
    for (uint32_t i = 1; i < per_file; ++i) {
      Kind k = (i % 10 == 1) ? kClass : (i % 10 < 8 ? kMethod : kFunction);
      std::string name = k == kClass ? "C" + word() + word() : word() + "_" + word();
      if (k != kClass) g.functions.push_back(static_cast<uint32_t>(g.nodes.size()));
      g.nodes.push_back({k, f, std::move(name)});
    }
  }
  g.file_first_node.push_back(static_cast<uint32_t>(g.nodes.size()));
  // Edges: structural ones inside the file, then calls (skewed to popular targets), a base
  // class per class, imports between files, until edges_per_node * nodes.
  const uint64_t target = cfg.nodes * cfg.edges_per_node;
  std::uniform_int_distribution<size_t> any_fn(0, g.functions.size() - 1);
  for (uint32_t f = 0; f < files; ++f) {
    g.file_first_edge.push_back(static_cast<uint32_t>(g.edges.size()));
    uint32_t first = g.file_first_node[f], last = g.file_first_node[f + 1];
    uint32_t cls = first;
    for (uint32_t n = first + 1; n < last; ++n) {
      if (g.nodes[n].kind == kClass) {
        cls = n;
        g.edges.push_back({first, n, kContains, 0});
        uint32_t other = g.file_first_node[rng() % files] + 1;  // first class of some file
        g.edges.push_back({n, other, kInherits, 0});
      } else if (g.nodes[n].kind == kMethod) {
        g.edges.push_back({cls, n, kHasMethod, 0});
      } else {
        g.edges.push_back({first, n, kContains, 0});
      }
    }
    g.edges.push_back({first, g.file_first_node[rng() % files], kImports, 1});
    // Calls: fill the file's share of the edge budget.
    uint64_t budget = target * (f + 1) / files;
    while (g.edges.size() < budget) {
      uint32_t src = first + 1 + static_cast<uint32_t>(rng() % (last - first - 1));
      if (g.nodes[src].kind == kClass) continue;
      // Half the calls go to a small hot set, like logging/util helpers in real code.
      size_t pick = (rng() & 1) ? any_fn(rng) : any_fn(rng) % 1000;
      g.edges.push_back({src, g.functions[pick], kCalls, static_cast<uint32_t>(rng() % 500)});
    }
  }
  g.file_first_edge.push_back(static_cast<uint32_t>(g.edges.size()));
  return g;
}

// ---- Measurement helpers ----

struct Lat {
  std::vector<double> us;
  double P(double q) {
    if (us.empty()) return 0;
    std::sort(us.begin(), us.end());
    return us[std::min(us.size() - 1, static_cast<size_t>(q * us.size()))];
  }
};

template <typename F>
double TimeUs(F&& f) {
  auto t0 = Clock::now();
  f();
  return std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
}

// The latencies of probe(n) over `starts`, and the sum of what the calls return, from the second
// of two runs in a row: the first warms the caches for it (each set of probes would otherwise
// find its blocks or pages evicted by the set measured before it).
struct Timed {
  Lat lat;
  uint64_t total = 0;
};
template <typename F>
Timed TimeWarm(const std::vector<uint32_t>& starts, F&& probe) {
  Timed t;
  for (int run = 0; run < 2; ++run) {
    t = Timed{};
    for (uint32_t n : starts) {
      uint64_t got = 0;
      t.lat.us.push_back(TimeUs([&] { got = probe(n); }));
      t.total += got;
    }
  }
  return t;
}

// CPU seconds (user + system, all threads) of this process so far: steadier than wall time on
// a shared machine.
double CpuSeconds() {
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

uint64_t DirBytes(const fs::path& p) {
  uint64_t total = 0;
  std::error_code ec;
  if (fs::is_regular_file(p, ec)) return fs::file_size(p, ec);
  for (auto& e : fs::recursive_directory_iterator(p, ec)) {
    if (e.is_regular_file(ec)) total += e.file_size(ec);
  }
  return total;
}

// Results travel from the child to the parent as "key value" lines.
using Figures = std::map<std::string, double>;

struct Probes {
  std::vector<uint32_t> lookup_nodes;  // look up by (label, name)
  std::vector<uint32_t> hop_starts;    // functions to expand from
};

Probes MakeProbes(const Graph& g, const Config& cfg) {
  std::mt19937_64 rng(cfg.seed ^ 0x9e3779b97f4a7c15ull);
  Probes p;
  for (int i = 0; i < cfg.samples; ++i) {
    p.lookup_nodes.push_back(static_cast<uint32_t>(rng() % g.nodes.size()));
    p.hop_starts.push_back(g.functions[rng() % g.functions.size()]);
  }
  return p;
}

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "storage_bench: %s\n", what.c_str());
  std::exit(2);
}

// ---- codekg ----

Figures RunCodekg(const Graph& g, const Probes& probes, const Config& cfg) {
  Figures out;
  fs::path dir = fs::path(cfg.dir) / "codekg";
  storage::Options opts;
  opts.sync_writes = false;  // the BulkWriter skips the WAL and syncs at Finish() anyway
  auto store_or = storage::GraphStore::Open(dir.string(), opts);
  if (!store_or.ok()) Die(store_or.status().ToString());
  auto store = std::move(store_or).value();
  if (auto s = store->CreateGraph("bench"); !s.ok()) Die(s.ToString());

  const double cpu0 = CpuSeconds();
  double load_us = TimeUs([&] {
    // A BulkWriter: each file is one batch with ApplyBatch's semantics; durable at Finish().
    auto writer_or = store->NewBulkWriter("bench");
    if (!writer_or.ok()) Die(writer_or.status().ToString());
    auto writer = std::move(writer_or).value();
    // Each node's id is formatted once, as the SQLite side does (not once per edge endpoint).
    std::vector<std::string> ids(g.nodes.size());
    for (uint32_t n = 0; n < g.nodes.size(); ++n) ids[n] = NodeId(g, n);
    // One batch object refilled for every file, as an efficient client would: its strings,
    // label lists and property maps keep their allocations (Add() only reads the batch).
    storage::FactBatch b;
    b.language = "python";
    for (size_t f = 0; f + 1 < g.file_first_node.size(); ++f) {
      b.path = "pkg/m" + std::to_string(f) + ".py";
      b.nodes.resize(g.file_first_node[f + 1] - g.file_first_node[f]);
      for (uint32_t n = g.file_first_node[f]; n < g.file_first_node[f + 1]; ++n) {
        storage::NodeFact& nf = b.nodes[n - g.file_first_node[f]];
        nf.id = ids[n];
        nf.labels.resize(1);
        nf.labels[0] = kKindLabel[g.nodes[n].kind];
        nf.props["name"] = g.nodes[n].name;
        nf.props["start_line"] = static_cast<int64_t>(n - g.file_first_node[f] + 1);
      }
      b.edges.resize(g.file_first_edge[f + 1] - g.file_first_edge[f]);
      for (uint32_t e = g.file_first_edge[f]; e < g.file_first_edge[f + 1]; ++e) {
        const GenEdge& ge = g.edges[e];
        storage::EdgeFact& ef = b.edges[e - g.file_first_edge[f]];
        ef.src_id = ids[ge.src];
        ef.type = kTypeName[ge.type];
        ef.dst_id = ids[ge.dst];
        if (ge.line) {
          ef.props["line"] = static_cast<int64_t>(ge.line);
        } else {
          ef.props.clear();
        }
      }
      if (auto s = writer->Add(b); !s.ok()) Die(s.ToString());
    }
    auto finish_start = Clock::now();
    if (auto s = writer->Finish(); !s.ok()) Die(s.ToString());
    out["load_finish_s"] = std::chrono::duration<double>(Clock::now() - finish_start).count();
  });
  out["load_s"] = load_us / 1e6;
  out["load_cpu_s"] = CpuSeconds() - cpu0;
  out["load_edges_per_s"] = g.edges.size() / (load_us / 1e6);
  out["load_edges_per_cpu_s"] = g.edges.size() / out["load_cpu_s"];
  if (cfg.load_only) return out;

  // The adjacency index (Options::adjacency_index_bytes): built here, in this thread, so that
  // its build time and size are figures; a server builds it in the background on first use.
  auto adj = storage::test_hooks::BuildAdjacencyIndex(*store, "bench");
  if (!adj.ok()) Die(adj.status().ToString());
  out["adj_build_s"] = adj.value().build_seconds;
  out["adj_mb"] = static_cast<double>(adj.value().bytes) / 1048576.0;
  auto snap_or = store->GetSnapshot("bench");
  if (!snap_or.ok()) Die(snap_or.status().ToString());
  auto snap = std::move(snap_or).value();
  if (adj.value().ready && !storage::test_hooks::SnapshotUsesAdjacencyIndex(*snap)) {
    Die("adjacency index built but not used");
  }
  std::vector<schema::LabelId> label_ids;
  for (const char* l : kKindLabel) label_ids.push_back(store->LabelIdFor(l).value());
  schema::EdgeTypeId calls = store->EdgeTypeIdFor("CALLS").value();

  // Every set of probes is timed warm (TimeWarm): RocksDB's block cache starts empty after an
  // ingest, SQLite's page cache holds what the load wrote.
  std::vector<storage::NodeKey> keys;
  std::vector<std::optional<storage::NodeRecord>> recs;
  std::vector<std::optional<std::vector<Value>>> projected;
  const std::vector<std::string> columns = {"id", "start_line"};  // as SQLite's SELECT
  Timed lookup = TimeWarm(probes.lookup_nodes, [&](uint32_t n) {
    auto c = snap->ScanLabelName(label_ids[g.nodes[n].kind], g.nodes[n].name);
    storage::NodeKey k;
    keys.clear();
    while (c->Next(&k)) keys.push_back(k);
    if (!snap->GetNodeValues(keys, columns, &projected).ok()) Die("GetNodeValues failed");
    uint64_t found = 0;
    for (const auto& row : projected) found += row.has_value();
    return found;
  });
  out["lookup_p50_us"] = lookup.lat.P(0.5);
  out["lookup_p99_us"] = lookup.lat.P(0.99);
  out["lookup_rows"] = static_cast<double>(lookup.total);

  // The nodes reached from generated node `n` over exactly `hops` CALLS edges (with repeats).
  // One ExpandNeighbors call per level: the whole frontier at once.
  std::vector<size_t> offsets;
  auto Walk = [&](uint32_t n, int hops) {
    auto start = snap->FindNode(NodeId(g, n));
    if (!start.ok() || !start.value()) Die("start node missing");
    std::vector<storage::NodeKey> frontier{*start.value()}, next;
    for (int h = 0; h < hops; ++h) {
      if (!snap->ExpandNeighbors(frontier, storage::Direction::kOut, calls, &next, &offsets).ok()) {
        Die("ExpandNeighbors failed");
      }
      frontier.swap(next);
    }
    return frontier;
  };
  for (int hops = 1; hops <= 3; ++hops) {
    Timed t = TimeWarm(probes.hop_starts,
                       [&](uint32_t n) { return static_cast<uint64_t>(Walk(n, hops).size()); });
    std::string h = "hop" + std::to_string(hops);
    out[h + "_p50_us"] = t.lat.P(0.5);
    out[h + "_p99_us"] = t.lat.P(0.99);
    out[h + "_paths"] = static_cast<double>(t.total);
  }
  // The same hops, then the name of every node reached (one batched read of the records).
  for (int hops = 1; hops <= 3; ++hops) {
    Timed t = TimeWarm(probes.hop_starts, [&](uint32_t n) {
      std::vector<storage::NodeKey> frontier = Walk(n, hops);
      if (!snap->GetNodes(frontier, &recs).ok()) Die("GetNodes failed");
      uint64_t name_bytes = 0;
      for (const auto& rec : recs) {
        if (rec) name_bytes += rec->props.at("name").as_string().size();
      }
      return name_bytes;
    });
    std::string h = "hop" + std::to_string(hops) + "n";
    out[h + "_p50_us"] = t.lat.P(0.5);
    out[h + "_p99_us"] = t.lat.P(0.99);
    out[h + "_name_bytes"] = static_cast<double>(t.total);
  }
  snap.reset();
  store.reset();
  out["disk_mb"] = DirBytes(dir) / 1048576.0;

  // The same hops without the adjacency index (RocksDB seeks), for comparison.
  opts.adjacency_index_bytes = 0;
  store_or = storage::GraphStore::Open(dir.string(), opts);
  if (!store_or.ok()) Die(store_or.status().ToString());
  store = std::move(store_or).value();
  snap_or = store->GetSnapshot("bench");
  if (!snap_or.ok()) Die(snap_or.status().ToString());
  snap = std::move(snap_or).value();
  for (int hops = 1; hops <= 3; ++hops) {  // Walk() reads through the new snapshot
    Timed t = TimeWarm(probes.hop_starts,
                       [&](uint32_t n) { return static_cast<uint64_t>(Walk(n, hops).size()); });
    out["hop" + std::to_string(hops) + "_p50_us_rocks"] = t.lat.P(0.5);
  }
  snap.reset();
  store.reset();
  return out;
}

// ---- SQLite ----

void Exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string m = err ? err : "?";
    sqlite3_free(err);
    Die(std::string("sqlite: ") + m + " in " + sql);
  }
}

sqlite3_stmt* Prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) Die(sqlite3_errmsg(db));
  return st;
}

Figures RunSqlite(const Graph& g, const Probes& probes, const Config& cfg) {
  Figures out;
  fs::path file = fs::path(cfg.dir) / "sqlite.db";
  sqlite3* db = nullptr;
  if (sqlite3_open(file.c_str(), &db) != SQLITE_OK) Die("sqlite open");
  Exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-262144;");
  Exec(db,
       "CREATE TABLE nodes(key INTEGER PRIMARY KEY, id TEXT NOT NULL, label INTEGER NOT NULL,"
       " name TEXT, start_line INTEGER);"
       "CREATE TABLE edges(src INTEGER NOT NULL, type INTEGER NOT NULL, dst INTEGER NOT NULL,"
       " line INTEGER);");
  const double cpu0 = CpuSeconds();
  double load_us = TimeUs([&] {
    Exec(db, "BEGIN");
    sqlite3_stmt* in = Prepare(db, "INSERT INTO nodes VALUES(?,?,?,?,?)");
    for (uint32_t n = 0; n < g.nodes.size(); ++n) {
      std::string id = NodeId(g, n);
      sqlite3_bind_int64(in, 1, n + 1);
      sqlite3_bind_text(in, 2, id.data(), static_cast<int>(id.size()), SQLITE_TRANSIENT);
      sqlite3_bind_int(in, 3, g.nodes[n].kind);
      sqlite3_bind_text(in, 4, g.nodes[n].name.data(), static_cast<int>(g.nodes[n].name.size()),
                        SQLITE_STATIC);
      sqlite3_bind_int64(in, 5, n - g.file_first_node[g.nodes[n].file] + 1);
      if (sqlite3_step(in) != SQLITE_DONE) Die(sqlite3_errmsg(db));
      sqlite3_reset(in);
    }
    sqlite3_finalize(in);
    sqlite3_stmt* ie = Prepare(db, "INSERT INTO edges VALUES(?,?,?,?)");
    for (const GenEdge& e : g.edges) {
      sqlite3_bind_int64(ie, 1, e.src + 1);
      sqlite3_bind_int(ie, 2, e.type);
      sqlite3_bind_int64(ie, 3, e.dst + 1);
      if (e.line)
        sqlite3_bind_int(ie, 4, static_cast<int>(e.line));
      else
        sqlite3_bind_null(ie, 4);
      if (sqlite3_step(ie) != SQLITE_DONE) Die(sqlite3_errmsg(db));
      sqlite3_reset(ie);
    }
    sqlite3_finalize(ie);
    Exec(db,
         "CREATE UNIQUE INDEX nodes_id ON nodes(id);"
         "CREATE INDEX nodes_label_name ON nodes(label, name);"
         "CREATE INDEX edges_out ON edges(src, type, dst);"
         "CREATE INDEX edges_in ON edges(dst, type, src);");
    Exec(db, "COMMIT");
  });
  out["load_s"] = load_us / 1e6;
  out["load_cpu_s"] = CpuSeconds() - cpu0;
  out["load_edges_per_s"] = g.edges.size() / (load_us / 1e6);
  out["load_edges_per_cpu_s"] = g.edges.size() / out["load_cpu_s"];

  sqlite3_stmt* q = Prepare(db, "SELECT key, id, start_line FROM nodes WHERE label=? AND name=?");
  Timed lookup = TimeWarm(probes.lookup_nodes, [&](uint32_t n) {  // warm, as for codekg
    sqlite3_bind_int(q, 1, g.nodes[n].kind);
    sqlite3_bind_text(q, 2, g.nodes[n].name.data(), static_cast<int>(g.nodes[n].name.size()),
                      SQLITE_STATIC);
    uint64_t found = 0;
    while (sqlite3_step(q) == SQLITE_ROW) ++found;
    sqlite3_reset(q);
    return found;
  });
  sqlite3_finalize(q);
  out["lookup_p50_us"] = lookup.lat.P(0.5);
  out["lookup_p99_us"] = lookup.lat.P(0.99);
  out["lookup_rows"] = static_cast<double>(lookup.total);

  sqlite3_stmt* key_of = Prepare(db, "SELECT key FROM nodes WHERE id=?");
  sqlite3_stmt* hop = Prepare(db,
                              "WITH RECURSIVE r(n, d) AS (SELECT ?1, 0 UNION ALL "
                              "SELECT e.dst, r.d + 1 FROM r JOIN edges e ON e.src = r.n AND "
                              "e.type = ?2 WHERE r.d < ?3) SELECT count(*) FROM r WHERE d = ?3");
  // Runs `stmt` (?1 start key, ?2 edge type, ?3 hops) from every probe start for 1..3 hops;
  // `row` reads each result row and returns what it adds to the total.
  auto measure_hops = [&](sqlite3_stmt* stmt, const std::string& suffix, const char* total_name,
                          auto row) {
    for (int hops = 1; hops <= 3; ++hops) {
      Timed t = TimeWarm(probes.hop_starts, [&](uint32_t n) {
        std::string id = NodeId(g, n);
        sqlite3_bind_text(key_of, 1, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
        if (sqlite3_step(key_of) != SQLITE_ROW) Die("start node missing in sqlite");
        int64_t key = sqlite3_column_int64(key_of, 0);
        sqlite3_reset(key_of);
        sqlite3_bind_int64(stmt, 1, key);
        sqlite3_bind_int(stmt, 2, kCalls);
        sqlite3_bind_int(stmt, 3, hops);
        uint64_t total = 0;
        int rc;
        while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) total += row(stmt);
        if (rc != SQLITE_DONE) Die(sqlite3_errmsg(db));
        sqlite3_reset(stmt);
        return total;
      });
      std::string h = "hop" + std::to_string(hops) + suffix;
      out[h + "_p50_us"] = t.lat.P(0.5);
      out[h + "_p99_us"] = t.lat.P(0.99);
      out[h + "_" + total_name] = static_cast<double>(t.total);
    }
  };
  measure_hops(hop, "", "paths",
               [](sqlite3_stmt* st) { return static_cast<uint64_t>(sqlite3_column_int64(st, 0)); });
  sqlite3_stmt* hop_names =
      Prepare(db,
              "WITH RECURSIVE r(n, d) AS (SELECT ?1, 0 UNION ALL "
              "SELECT e.dst, r.d + 1 FROM r JOIN edges e ON e.src = r.n AND "
              "e.type = ?2 WHERE r.d < ?3) SELECT n.name FROM r JOIN nodes n ON n.key = r.n "
              "WHERE r.d = ?3");
  measure_hops(hop_names, "n", "name_bytes",
               [](sqlite3_stmt* st) { return static_cast<uint64_t>(sqlite3_column_bytes(st, 0)); });
  sqlite3_finalize(hop_names);
  sqlite3_finalize(key_of);
  sqlite3_finalize(hop);
  sqlite3_close(db);
  out["disk_mb"] = (DirBytes(file) + DirBytes(file.string() + "-wal")) / 1048576.0;
  return out;
}

// Runs `fn` in a forked child; returns its figures plus its peak RSS.
Figures InChild(const std::function<Figures()>& fn) {
  int fds[2];
  if (pipe(fds) != 0) Die("pipe");
  pid_t pid = fork();
  if (pid < 0) Die("fork");
  if (pid == 0) {
    close(fds[0]);
    Figures f = fn();
    std::string text;
    for (auto& [k, v] : f) text += k + " " + std::to_string(v) + "\n";
    if (write(fds[1], text.data(), text.size()) != static_cast<ssize_t>(text.size())) _exit(3);
    _exit(0);
  }
  close(fds[1]);
  std::string text;
  char buf[4096];
  ssize_t r;
  while ((r = read(fds[0], buf, sizeof(buf))) > 0) text.append(buf, static_cast<size_t>(r));
  close(fds[0]);
  int status = 0;
  struct rusage ru {};
  wait4(pid, &status, 0, &ru);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) Die("child failed");
  Figures f;
  char key[64];
  double v;
  for (const char* p = text.c_str(); std::sscanf(p, "%63s %lf", key, &v) == 2;) {
    f[key] = v;
    p = std::strchr(p, '\n');
    if (!p) break;
    ++p;
  }
  f["peak_rss_mb"] = ru.ru_maxrss / 1024.0;
  return f;
}

int Main(int argc, char** argv) {
  Config cfg;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--nodes")
      cfg.nodes = std::strtoull(argv[i + 1], nullptr, 10);
    else if (a == "--edges-per-node")
      cfg.edges_per_node = std::strtoull(argv[i + 1], nullptr, 10);
    else if (a == "--samples")
      cfg.samples = std::atoi(argv[i + 1]);
    else if (a == "--seed")
      cfg.seed = std::strtoull(argv[i + 1], nullptr, 10);
    else if (a == "--dir")
      cfg.dir = argv[i + 1];
    else if (a == "--load-only")
      cfg.load_only = std::atoi(argv[i + 1]) != 0;
    else
      Die("unknown flag " + a);
  }
  bool own_dir = cfg.dir.empty();
  if (own_dir) {
    cfg.dir =
        (fs::temp_directory_path() / ("codekg-storage-bench-" + std::to_string(getpid()))).string();
  }
  fs::create_directories(cfg.dir);

  if (cfg.load_only) {
    Graph g = Generate(cfg);
    Probes probes = MakeProbes(g, cfg);
    Figures ck = RunCodekg(g, probes, cfg);
    if (own_dir) fs::remove_all(cfg.dir);
    std::printf(
        "codekg bulk load: %.1f edges/s, %.2f s (Finish %.2f s), %.2f CPU-s, %.1f edges/CPU-s\n",
        ck["load_edges_per_s"], ck["load_s"], ck["load_finish_s"], ck["load_cpu_s"],
        ck["load_edges_per_cpu_s"]);
    return 0;
  }
  // Each child generates the (deterministic) graph itself: generated in this process, it would
  // be shared copy-on-write with the children, whose allocations then land on pages of this
  // process's heap and pay a copy-on-write fault each (codekg's load measured 535-556k edges/s
  // that way, 593-604k this way; SQLite's 324-353k and 340-374k).
  auto in_child = [&](Figures (*run)(const Graph&, const Probes&, const Config&)) {
    return InChild([&] {
      auto t0 = Clock::now();
      Graph g = Generate(cfg);
      Probes probes = MakeProbes(g, cfg);
      const double gen_s = std::chrono::duration<double>(Clock::now() - t0).count();
      Figures f = run(g, probes, cfg);
      f["gen_nodes"] = static_cast<double>(g.nodes.size());
      f["gen_edges"] = static_cast<double>(g.edges.size());
      f["gen_files"] = static_cast<double>(g.file_first_node.size() - 1);
      f["gen_s"] = gen_s;
      return f;
    });
  };
  Figures ck = in_child(RunCodekg);
  std::printf(
      "storage_bench: %.0f nodes, %.0f edges, %.0f files, %d samples (generated in %.1fs)\n",
      ck["gen_nodes"], ck["gen_edges"], ck["gen_files"], cfg.samples, ck["gen_s"]);
  std::fflush(stdout);
  Figures sq = in_child(RunSqlite);
  if (own_dir) fs::remove_all(cfg.dir);

  // Both engines must agree on what they found, or the timing comparison means nothing.
  for (const char* k : {"lookup_rows", "hop1_paths", "hop2_paths", "hop3_paths", "hop1n_name_bytes",
                        "hop2n_name_bytes", "hop3n_name_bytes"}) {
    if (ck[k] != sq[k]) {
      std::printf("MISMATCH %s: codekg %.0f vs sqlite %.0f\n", k, ck[k], sq[k]);
      return 1;
    }
  }
  struct Row {
    const char* key;
    const char* what;
    bool higher_is_better;
  } rows[] = {
      {"load_edges_per_s", "bulk load (edges/s)", true},
      {"load_s", "bulk load time (s)", false},
      {"load_finish_s", "  of which Finish() (s)", false},
      {"load_cpu_s", "bulk load CPU (s)", false},
      {"load_edges_per_cpu_s", "bulk load (edges/CPU-s)", true},
      {"lookup_p50_us", "lookup by name p50 (us)", false},
      {"lookup_p99_us", "lookup by name p99 (us)", false},
      {"hop1_p50_us", "1-hop CALLS p50 (us)", false},
      {"hop1_p99_us", "1-hop CALLS p99 (us)", false},
      {"hop2_p50_us", "2-hop CALLS p50 (us)", false},
      {"hop2_p99_us", "2-hop CALLS p99 (us)", false},
      {"hop3_p50_us", "3-hop CALLS p50 (us)", false},
      {"hop3_p99_us", "3-hop CALLS p99 (us)", false},
      {"hop1_p50_us_rocks", "1-hop p50, no adj. index", false},
      {"hop2_p50_us_rocks", "2-hop p50, no adj. index", false},
      {"hop3_p50_us_rocks", "3-hop p50, no adj. index", false},
      {"hop1n_p50_us", "1-hop + names p50 (us)", false},
      {"hop1n_p99_us", "1-hop + names p99 (us)", false},
      {"hop2n_p50_us", "2-hop + names p50 (us)", false},
      {"hop2n_p99_us", "2-hop + names p99 (us)", false},
      {"hop3n_p50_us", "3-hop + names p50 (us)", false},
      {"hop3n_p99_us", "3-hop + names p99 (us)", false},
      {"adj_build_s", "adj. index build (s)", false},
      {"adj_mb", "adj. index memory (MiB)", false},
      {"disk_mb", "disk (MiB)", false},
      {"peak_rss_mb", "peak RSS (MiB)", false},
  };
  std::printf("\n| %-26s | %12s | %12s | %22s |\n", "figure", "codekg", "sqlite",
              "codekg advantage (x)");
  std::printf("|%s|%s|%s|%s|\n", std::string(28, '-').c_str(), std::string(14, '-').c_str(),
              std::string(14, '-').c_str(), std::string(24, '-').c_str());
  for (const Row& r : rows) {
    double a = ck[r.key], b = sq[r.key];
    // Rows without a SQLite figure of their own compare with the matching SQLite hop figure.
    std::string key = r.key;
    if (key.size() > 6 && key.compare(key.size() - 6, 6, "_rocks") == 0) {
      b = sq[key.substr(0, key.size() - 6)];
    }
    double ratio = r.higher_is_better ? (b > 0 ? a / b : 0) : (a > 0 ? b / a : 0);
    std::printf("| %-26s | %12.1f | %12.1f | %22.2f |\n", r.what, a, b, ratio);
  }
  std::printf(
      "\npaths checked equal: hop1 %.0f, hop2 %.0f, hop3 %.0f; lookup rows %.0f "
      "(%.1f rows per lookup)\n",
      ck["hop1_paths"], ck["hop2_paths"], ck["hop3_paths"], ck["lookup_rows"],
      ck["lookup_rows"] / cfg.samples);
  return 0;
}

}  // namespace
}  // namespace kg::bench

int main(int argc, char** argv) { return kg::bench::Main(argc, argv); }
