// bench/query: the agent workload (../shared/agent-workload.md) through codekg's query engine
// against the same queries written as SQL on SQLite (recursive CTEs for variable-length paths),
// both over the same graph, in the same run.
//
// Graphs:
//   django     a real package ingested with ingest::IngestPath (--django DIR, e.g. the
//              `django` folder of a Python installation); skipped when not given
//   generated  a code-like graph of --nodes nodes (files of classes, methods and functions with
//              CONTAINS, HAS_METHOD, INHERITS, CALLS), bulk-loaded into both engines
// SQLite gets the graph as nodes(k, id, label, name, qualified_name, path, start_line,
// end_line, signature) and edges(src, type, dst, line) with indexes on (label, name),
// (qualified_name), (path, start_line), (id), (src, type) and (dst, type).
// Both engines hand their rows to the caller: codekg's QueryResult holds Values, and the SQLite
// side reads every column of every row into the same Values (sqlite3_column_*), as a client
// does; neither side's result is freed inside the timed part.
// Targets are picked from the graph (a class with many methods and subclasses, the most called
// function, a file with many entities) so that every query returns rows.
// Printed per graph and query: rows (codekg / SQLite), p50 and p99 latency in ms for each
// engine and the ratio SQLite p50 / codekg p50 (> 1: codekg faster); then the mean thread CPU
// time per query of each engine and their ratio (SQLite / codekg).
//
// Usage: query_bench [--django DIR] [--nodes N] [--runs R] [--dir D] [--only PREFIX] [--profile]
//                    [--stages]
//   --nodes 0      skips the generated graph
//   --only PREFIX  runs only the queries whose name starts with PREFIX (e.g. "19")
//   --profile      also prints the PROFILE of each codekg query (one extra run, not timed)
//   --stages       also prints the median parse, bind+plan and execution time of each query
//   --reuse        with --dir: keeps the generated graph (RocksDB and SQLite) in D after the run
//                  and loads it from there when D already holds one of the same --nodes

#include <sqlite3.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "ingest/ingest.h"
#include "query/engine.h"
#include "storage/graph_store.h"
#include "storage/test_hooks.h"

namespace kg::bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Config {
  std::string django;
  uint64_t nodes = 1'000'000;
  int runs = 100;
  std::string dir;
  std::string only;
  bool profile = false;
  bool stages = false;
  bool reuse = false;
};

double Ms(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

// CPU time of the calling thread in ms (steadier than wall time on a loaded machine).
double ThreadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

void Die(const std::string& what) {
  std::fprintf(stderr, "query_bench: %s\n", what.c_str());
  std::exit(2);
}

// ---- SQLite ----

class Sql {
 public:
  // A new database at `path`, or (open_existing) the finished one a previous run left there.
  explicit Sql(const std::string& path, bool open_existing = false) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) Die("sqlite open failed");
    Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;");
    if (open_existing) return;
    Exec(
        "CREATE TABLE nodes(k INTEGER PRIMARY KEY, id TEXT, label TEXT, name TEXT, "
        "qualified_name TEXT, path TEXT, start_line INT, end_line INT, signature TEXT);"
        "CREATE TABLE edges(src INT, type TEXT, dst INT, line INT);");
    node_ = Prepare("INSERT INTO nodes VALUES(?,?,?,?,?,?,?,?,?)");
    edge_ = Prepare("INSERT INTO edges VALUES(?,?,?,?)");
    Exec("BEGIN");
  }
  ~Sql() {
    sqlite3_finalize(node_);
    sqlite3_finalize(edge_);
    sqlite3_close(db_);
  }
  void Exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      Die(std::string("sqlite: ") + (err ? err : "?") + " in " + sql);
    }
  }
  sqlite3_stmt* Prepare(const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
      Die("sqlite prepare: " + std::string(sqlite3_errmsg(db_)) + " in " + sql);
    }
    return s;
  }
  static void Text(sqlite3_stmt* s, int i, const Value* v) {
    if (v != nullptr && v->is_string()) {
      sqlite3_bind_text(s, i, v->as_string().c_str(), -1, SQLITE_TRANSIENT);
    } else {
      sqlite3_bind_null(s, i);
    }
  }
  static void Int(sqlite3_stmt* s, int i, const Value* v) {
    if (v != nullptr && v->is_int()) {
      sqlite3_bind_int64(s, i, v->as_int());
    } else {
      sqlite3_bind_null(s, i);
    }
  }
  void AddNode(uint64_t key, const std::string& id, const std::string& label,
               const Properties& props) {
    auto get = [&](const char* k) -> const Value* {
      auto it = props.find(k);
      return it == props.end() ? nullptr : &it->second;
    };
    sqlite3_bind_int64(node_, 1, static_cast<int64_t>(key));
    sqlite3_bind_text(node_, 2, id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(node_, 3, label.c_str(), -1, SQLITE_TRANSIENT);
    Text(node_, 4, get("name"));
    Text(node_, 5, get("qualified_name"));
    Text(node_, 6, get("path"));
    Int(node_, 7, get("start_line"));
    Int(node_, 8, get("end_line"));
    Text(node_, 9, get("signature"));
    if (sqlite3_step(node_) != SQLITE_DONE) Die("sqlite insert node");
    sqlite3_reset(node_);
  }
  void AddEdge(uint64_t src, const std::string& type, uint64_t dst, const Value* line) {
    sqlite3_bind_int64(edge_, 1, static_cast<int64_t>(src));
    sqlite3_bind_text(edge_, 2, type.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(edge_, 3, static_cast<int64_t>(dst));
    Int(edge_, 4, line);
    if (sqlite3_step(edge_) != SQLITE_DONE) Die("sqlite insert edge");
    sqlite3_reset(edge_);
  }
  void Finish() {
    Exec("COMMIT");
    Exec(
        "CREATE INDEX n_label_name ON nodes(label, name); CREATE INDEX n_qn ON "
        "nodes(qualified_name); CREATE INDEX n_path ON nodes(path, start_line); CREATE INDEX n_id "
        "ON nodes(id); CREATE INDEX e_src ON edges(src, type); CREATE INDEX e_dst ON edges(dst, "
        "type); ANALYZE;");
  }
  // Runs `sql` with text/int parameters; returns the number of rows. With `out`, the rows are
  // also read into it as Values, as codekg's engine returns them (a client reads its results).
  int64_t Run(sqlite3_stmt* s, const std::vector<Value>& params,
              std::vector<ValueList>* out = nullptr) {
    sqlite3_reset(s);
    for (size_t i = 0; i < params.size(); ++i) {
      if (params[i].is_int()) {
        sqlite3_bind_int64(s, static_cast<int>(i + 1), params[i].as_int());
      } else {
        sqlite3_bind_text(s, static_cast<int>(i + 1), params[i].as_string().c_str(), -1,
                          SQLITE_TRANSIENT);
      }
    }
    int64_t rows = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      ++rows;
      if (out == nullptr) continue;
      ValueList& row = out->emplace_back();
      const int columns = sqlite3_column_count(s);
      row.reserve(static_cast<size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        switch (sqlite3_column_type(s, c)) {
          case SQLITE_INTEGER:
            row.emplace_back(static_cast<int64_t>(sqlite3_column_int64(s, c)));
            break;
          case SQLITE_FLOAT:
            row.emplace_back(sqlite3_column_double(s, c));
            break;
          case SQLITE_NULL:
            row.emplace_back();
            break;
          default:
            row.emplace_back(std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, c)),
                                         static_cast<size_t>(sqlite3_column_bytes(s, c))));
        }
      }
    }
    if (rc != SQLITE_DONE) Die("sqlite step: " + std::string(sqlite3_errmsg(db_)));
    return rows;
  }
  // The first column of the first row of `sql` as text ("" if none).
  std::string Scalar(const std::string& sql) {
    sqlite3_stmt* s = Prepare(sql);
    std::string out;
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) != nullptr) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    }
    sqlite3_finalize(s);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* node_ = nullptr;
  sqlite3_stmt* edge_ = nullptr;
};

// Copies graph `graph` of `store` into SQLite.
void Export(storage::GraphStore& store, const std::string& graph, Sql* sql) {
  auto snap = store.GetSnapshot(graph);
  if (!snap.ok()) Die(snap.status().ToString());
  auto cursor = (*snap)->ScanAll();
  storage::NodeKey key = 0;
  std::vector<storage::NodeKey> keys;
  while (cursor->Next(&key)) keys.push_back(key);
  std::vector<std::optional<storage::NodeRecord>> records;
  if (!(*snap)->GetNodes(keys, &records).ok()) Die("GetNodes failed");
  for (const auto& r : records) {
    if (!r) continue;
    std::string label = "";
    if (!r->labels.empty()) {
      auto name = store.LabelNameOf(r->labels[0]);
      if (name.ok()) label = *name;
    }
    sql->AddNode(r->key, r->id, label, r->props);
    auto edges = (*snap)->Expand(r->key, storage::Direction::kOut);
    storage::EdgeRecord e;
    while (edges->Next(&e)) {
      auto type = store.EdgeTypeNameOf(e.type);
      auto line = e.props.find("line");
      sql->AddEdge(e.src, type.ok() ? *type : "?", e.dst,
                   line == e.props.end() ? nullptr : &line->second);
    }
  }
  sql->Finish();
}

// ---- The generated graph ----

void Generate(storage::GraphStore& store, const std::string& graph, uint64_t nodes, Sql* sql) {
  std::mt19937_64 rng(42);
  const uint64_t per_file = 200;  // 1 file + 10 classes x 15 methods + 39 functions
  const uint64_t files = std::max<uint64_t>(1, nodes / per_file);
  auto bw = store.NewBulkWriter(graph);
  if (!bw.ok()) Die(bw.status().ToString());
  auto id_of = [&](uint64_t f, const std::string& local) {
    return "pkg/m" + std::to_string(f) + ".py:" + local;
  };
  // SQLite keys by deterministic position: file f, index i within the file.
  auto key_of = [&](uint64_t f, uint64_t i) { return 1 + f * per_file + i; };
  for (uint64_t f = 0; f < files; ++f) {
    storage::FactBatch b;
    const std::string path = "pkg/m" + std::to_string(f) + ".py";
    const std::string module = "pkg.m" + std::to_string(f);
    b.path = path;
    b.language = "python";
    auto node = [&](uint64_t i, const std::string& label, const std::string& local,
                    const std::string& name, const std::string& qn, int64_t start, int64_t end) {
      storage::NodeFact n;
      n.id = label == "File" ? path : id_of(f, local);
      n.labels = {label};
      n.props["name"] = Value(name);
      n.props["path"] = Value(path);
      if (!qn.empty()) n.props["qualified_name"] = Value(qn);
      if (label != "File") {
        n.props["start_line"] = Value(start);
        n.props["end_line"] = Value(end);
        n.props["signature"] = Value("def " + name + "(self)");
      }
      sql->AddNode(key_of(f, i), n.id, label, n.props);
      b.nodes.push_back(std::move(n));
    };
    auto edge = [&](uint64_t src_f, uint64_t src_i, const std::string& src_id,
                    const std::string& type, uint64_t dst_f, uint64_t dst_i,
                    const std::string& dst_id, int64_t line) {
      storage::EdgeFact e;
      e.src_id = src_id;
      e.type = type;
      e.dst_id = dst_id;
      Value l(line);
      if (type == "CALLS") e.props["line"] = l;
      sql->AddEdge(key_of(src_f, src_i), type, key_of(dst_f, dst_i),
                   type == "CALLS" ? &l : nullptr);
      b.edges.push_back(std::move(e));
    };
    node(0, "File", "", "m" + std::to_string(f) + ".py", "", 0, 0);
    uint64_t i = 1;
    std::vector<std::pair<uint64_t, std::string>> callables;
    for (int c = 0; c < 10; ++c) {
      const std::string cls = "C" + std::to_string(f) + "_" + std::to_string(c);
      const uint64_t ci = i++;
      const int64_t start = 1 + c * 100;
      node(ci, "Class", cls, cls, module + "." + cls, start, start + 95);
      edge(f, 0, path, "CONTAINS", f, ci, id_of(f, cls), 0);
      if (f > 0) {  // inherits from a class of an earlier file
        const uint64_t bf = rng() % f;
        const uint64_t bc = rng() % 10;
        const std::string base = "C" + std::to_string(bf) + "_" + std::to_string(bc);
        edge(f, ci, id_of(f, cls), "INHERITS", bf, 1 + bc * 16, id_of(bf, base), 0);
      }
      for (int m = 0; m < 15; ++m) {
        const std::string meth = cls + ".m" + std::to_string(m);
        const uint64_t mi = i++;
        node(mi, "Method", meth, "m" + std::to_string(m), module + "." + meth, start + 1 + m * 6,
             start + 5 + m * 6);
        edge(f, ci, id_of(f, cls), "HAS_METHOD", f, mi, id_of(f, meth), 0);
        callables.emplace_back(mi, meth);
      }
    }
    for (int fn = 0; i < per_file; ++fn) {
      const std::string name = "f" + std::to_string(fn);
      const uint64_t fi = i++;
      node(fi, "Function", name, name, module + "." + name, 1001 + fn * 5, 1004 + fn * 5);
      edge(f, 0, path, "CONTAINS", f, fi, id_of(f, name), 0);
      callables.emplace_back(fi, name);
    }
    // Calls: each callable calls 3 callables of this or an earlier file (skewed to recent).
    for (const auto& [ci, local] : callables) {
      for (int k = 0; k < 3; ++k) {
        const uint64_t tf = f == 0 ? 0 : f - std::min<uint64_t>(f, rng() % 8);
        const auto pick = rng() % (per_file - 1);  // index 1..per_file-1
        const uint64_t ti = 1 + pick;
        std::string tlocal;
        if ((ti - 1) / 16 < 10) {  // class or method
          const uint64_t c = (ti - 1) / 16, m = (ti - 1) % 16;
          tlocal = "C" + std::to_string(tf) + "_" + std::to_string(c);
          if (m > 0) tlocal += ".m" + std::to_string(m - 1);
        } else {
          tlocal = "f" + std::to_string(ti - 161);
        }
        edge(f, ci, id_of(f, local), "CALLS", tf, ti, id_of(tf, tlocal),
             static_cast<int64_t>(k + 1));
      }
    }
    Status s = (*bw)->Add(b);
    if (!s.ok()) Die("bulk add: " + s.ToString());
  }
  Status s = (*bw)->Finish();
  if (!s.ok()) Die("bulk finish: " + s.ToString());
  sql->Finish();
}

// ---- The workload ----

struct Workload {
  std::string name;
  std::string cypher;
  std::string sql;
  std::vector<Value> sql_params;
  bool multi_hop = false;  // a 2-3 hop query (the >= 3x target)
};

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "'";
}

// Targets picked from a graph (through its SQLite copy) so that every query finds something:
// the class with the most methods, the class with the most subclasses, the most called function,
// the file that contains the most entities and a line inside its longest entity, the top folder.
struct Targets {
  std::string cls, base, callee_qn, callee_name, file, root;
  int64_t at_line = 1;
};

Targets PickTargets(Sql* sql) {
  Targets t;
  t.cls = sql->Scalar(
      "SELECT c.name FROM nodes c JOIN edges e ON e.src = c.k AND e.type = 'HAS_METHOD' "
      "WHERE c.label = 'Class' GROUP BY c.k ORDER BY count(*) DESC LIMIT 1");
  t.base = sql->Scalar(
      "SELECT b.name FROM nodes b JOIN edges e ON e.dst = b.k AND e.type = 'INHERITS' "
      "WHERE b.label = 'Class' GROUP BY b.k ORDER BY count(*) DESC LIMIT 1");
  t.callee_qn = sql->Scalar(
      "SELECT f.qualified_name FROM nodes f JOIN edges e ON e.dst = f.k AND e.type = 'CALLS' "
      "WHERE f.label = 'Function' AND f.qualified_name IS NOT NULL GROUP BY f.k "
      "ORDER BY count(*) DESC LIMIT 1");
  t.callee_name =
      sql->Scalar("SELECT name FROM nodes WHERE qualified_name = " + Quote(t.callee_qn));
  t.file = sql->Scalar(
      "SELECT f.path FROM nodes f JOIN edges e ON e.src = f.k AND e.type = 'CONTAINS' "
      "WHERE f.label = 'File' GROUP BY f.k ORDER BY count(*) DESC LIMIT 1");
  const std::string line =
      sql->Scalar("SELECT start_line + 1 FROM nodes WHERE path = " + Quote(t.file) +
                  " AND start_line IS NOT NULL ORDER BY end_line - start_line DESC LIMIT 1");
  t.at_line = line.empty() ? 1 : std::atoll(line.c_str());
  t.root = sql->Scalar(
      "SELECT path FROM nodes WHERE label = 'Directory' AND path IS NOT NULL ORDER BY "
      "length(path), path LIMIT 1");
  return t;
}

// Returns the targets it picked.
Targets RunWorkload(const std::string& title, storage::GraphStore& store, const std::string& graph,
                    Sql* sql, const Config& cfg) {
  const int runs = cfg.runs;
  // Hops are served from the in-memory adjacency index once it is built (lazily, in the
  // background, after the first hop read): build it now so that every run measures it.
  auto index = storage::test_hooks::BuildAdjacencyIndex(store, graph);
  if (!index.ok()) Die("adjacency index: " + index.status().ToString());
  std::printf("%s adjacency index: %s, %.1f MiB, built in %.2f s\n", title.c_str(),
              index->ready ? "ready" : "NOT READY (hops read RocksDB)",
              static_cast<double>(index->bytes) / (1 << 20), index->build_seconds);
  const Targets t = PickTargets(sql);
  const std::string &cls = t.cls, &base = t.base, &callee_qn = t.callee_qn,
                    &callee_name = t.callee_name, &file = t.file;
  const int64_t at_line = t.at_line;
  std::printf("\n== %s: class %s, base %s, callee %s, file %s:%lld ==\n", title.c_str(),
              cls.c_str(), base.c_str(), callee_qn.c_str(), file.c_str(),
              static_cast<long long>(at_line));

  std::vector<Workload> w = {
      {"01 class by name",
       "MATCH (c:Class {name: " + Quote(cls) + "}) RETURN c.id, c.qualified_name, c.path",
       "SELECT id, qualified_name, path FROM nodes WHERE label = 'Class' AND name = ?",
       {Value(cls)}},
      {"03 methods of a class",
       "MATCH (c:Class {name: " + Quote(cls) +
           "})-[:HAS_METHOD]->(m:Method) RETURN m.name, m.signature ORDER BY m.start_line",
       "SELECT m.name, m.signature FROM nodes c JOIN edges e ON e.src = c.k AND e.type = "
       "'HAS_METHOD' JOIN nodes m ON m.k = e.dst AND m.label = 'Method' WHERE c.label = 'Class' "
       "AND c.name = ? ORDER BY m.start_line",
       {Value(cls)}},
      {"10 name search CONTAINS",
       "MATCH (n:Function) WHERE n.name CONTAINS " + Quote(callee_name) +
           " RETURN n.qualified_name LIMIT 50",
       "SELECT qualified_name FROM nodes WHERE label = 'Function' AND instr(name, ?) > 0 LIMIT "
       "50",
       {Value(callee_name)}},
      {"12 subclasses *1..3",
       "MATCH (s:Class)-[:INHERITS*1..3]->(:Class {name: " + Quote(base) +
           "}) RETURN DISTINCT s.qualified_name LIMIT 100",
       "WITH RECURSIVE r(k, d) AS (SELECT k, 0 FROM nodes WHERE label = 'Class' AND name = ? "
       "UNION SELECT e.src, r.d + 1 FROM r JOIN edges e ON e.dst = r.k AND e.type = 'INHERITS' "
       "WHERE r.d < 3) SELECT DISTINCT n.qualified_name FROM r JOIN nodes n ON n.k = r.k WHERE "
       "r.d >= 1 AND n.label = 'Class' LIMIT 100",
       {Value(base)},
       true},
      {"13 callers with call sites",
       "MATCH (caller)-[r:CALLS]->(:Function {qualified_name: " + Quote(callee_qn) +
           "}) RETURN caller.id, r.line ORDER BY caller.id LIMIT 100",
       "SELECT c.id, e.line FROM nodes f JOIN edges e ON e.dst = f.k AND e.type = 'CALLS' JOIN "
       "nodes c ON c.k = e.src WHERE f.qualified_name = ? AND f.label = 'Function' ORDER BY c.id "
       "LIMIT 100",
       {Value(callee_qn)}},
      {"15 callers *1..3",
       "MATCH (c)-[:CALLS*1..3]->(:Function {qualified_name: " + Quote(callee_qn) +
           "}) RETURN DISTINCT c.id LIMIT 100",
       "WITH RECURSIVE r(k, d) AS (SELECT k, 0 FROM nodes WHERE qualified_name = ? AND label = "
       "'Function' UNION SELECT e.src, r.d + 1 FROM r JOIN edges e ON e.dst = r.k AND e.type = "
       "'CALLS' WHERE r.d < 3) SELECT DISTINCT n.id FROM r JOIN nodes n ON n.k = r.k WHERE r.d "
       ">= 1 LIMIT 100",
       {Value(callee_qn)},
       true},
      {"19 file contents *1..2",
       "MATCH (:File {path: " + Quote(file) +
           "})-[:CONTAINS|HAS_METHOD*1..2]->(n) RETURN n.id, n.start_line ORDER BY n.start_line",
       "WITH RECURSIVE r(k, d) AS (SELECT k, 0 FROM nodes WHERE label = 'File' AND path = ? "
       "UNION ALL SELECT e.dst, r.d + 1 FROM r JOIN edges e ON e.src = r.k AND e.type IN "
       "('CONTAINS', 'HAS_METHOD') WHERE r.d < 2) SELECT n.id, n.start_line FROM r JOIN nodes n "
       "ON n.k = r.k WHERE r.d >= 1 ORDER BY n.start_line",
       {Value(file)},
       true},
      {"21 entity at file:line",
       "MATCH (n) WHERE n.path = " + Quote(file) + " AND n.start_line <= " +
           std::to_string(at_line) + " AND n.end_line >= " + std::to_string(at_line) +
           " RETURN n.id ORDER BY n.end_line - n.start_line LIMIT 1",
       "SELECT id FROM nodes WHERE path = ? AND start_line <= ? AND end_line >= ? ORDER BY "
       "end_line - start_line LIMIT 1",
       {Value(file), Value(at_line), Value(at_line)}},
      {"22 dead code (first 50)",
       "MATCH (f:Function) WHERE NOT ()-[:CALLS]->(f) RETURN f.id LIMIT 50",
       "SELECT f.id FROM nodes f WHERE f.label = 'Function' AND NOT EXISTS (SELECT 1 FROM edges "
       "e WHERE e.dst = f.k AND e.type = 'CALLS') LIMIT 50",
       {}},
      {"25 two-hop callees",
       "MATCH (:Function {qualified_name: " + Quote(callee_qn) +
           "})<-[:CALLS]-(a)<-[:CALLS]-(b) RETURN count(*) AS paths",
       // e2 <> e1: Cypher's relationship uniqueness (a self-loop a = f is not walked twice).
       "SELECT count(*) FROM nodes f JOIN edges e1 ON e1.dst = f.k AND e1.type = 'CALLS' JOIN "
       "edges e2 ON e2.dst = e1.src AND e2.type = 'CALLS' AND e2.rowid <> e1.rowid WHERE "
       "f.qualified_name = ? AND f.label = 'Function'",
       {Value(callee_qn)},
       true},
  };
  // The workload's other bounded var-length queries, as written there: the repository map two
  // levels down (graphs with folders only) and the innermost entity at a line through CONTAINS.
  const std::string& root = t.root;
  if (!root.empty()) {
    w.push_back(
        {"20 repo map *1..2",
         "MATCH (:Directory {path: " + Quote(root) +
             "})-[:CONTAINS*1..2]->(x) WHERE x:Directory OR x:File RETURN x.path ORDER BY x.path",
         "WITH RECURSIVE r(k, d) AS (SELECT k, 0 FROM nodes WHERE label = 'Directory' AND path = "
         "? UNION ALL SELECT e.dst, r.d + 1 FROM r JOIN edges e ON e.src = r.k AND e.type = "
         "'CONTAINS' WHERE r.d < 2) SELECT n.path FROM r JOIN nodes n ON n.k = r.k WHERE r.d >= 1 "
         "AND n.label IN ('Directory', 'File') ORDER BY n.path",
         {Value(root)},
         true});
  }
  w.push_back(
      {"21b innermost at line *1..3",
       "MATCH (:File {path: " + Quote(file) + "})-[:CONTAINS*1..3]->(n) WHERE n.start_line <= " +
           std::to_string(at_line) + " AND n.end_line >= " + std::to_string(at_line) +
           " RETURN n.id, n.start_line, n.end_line ORDER BY n.end_line - n.start_line LIMIT 1",
       "WITH RECURSIVE r(k, d) AS (SELECT k, 0 FROM nodes WHERE label = 'File' AND path = ? "
       "UNION ALL SELECT e.dst, r.d + 1 FROM r JOIN edges e ON e.src = r.k AND e.type = "
       "'CONTAINS' WHERE r.d < 3) SELECT n.id, n.start_line, n.end_line FROM r JOIN nodes n ON "
       "n.k = r.k WHERE r.d >= 1 AND n.start_line <= ? AND n.end_line >= ? ORDER BY n.end_line - "
       "n.start_line LIMIT 1",
       {Value(file), Value(at_line), Value(at_line)},
       true});
  std::printf("%-26s %9s %9s %9s %9s %9s %9s %8s %9s %9s %8s\n", "query", "rows kg", "rows sql",
              "kg p50", "kg p99", "sql p50", "sql p99", "sql/kg", "kg cpu", "sql cpu", "cpu s/k");
  for (const auto& q : w) {
    if (q.name.rfind(cfg.only, 0) != 0) continue;
    query::QueryOptions options;
    if (cfg.profile) {
      auto r = query::ExecuteQuery(store, graph, "PROFILE " + q.cypher, options);
      if (!r.ok()) Die(q.name + ": " + r.status().ToString());
      std::printf("-- PROFILE %s (%zu rows, %llu edges expanded)\n", q.name.c_str(), r->rows.size(),
                  static_cast<unsigned long long>(r->stats.edges_expanded));
      for (const auto& p : r->profile) {
        std::printf("  %*s%s  rows=%llu  %.3f ms\n", 2 * p.depth, "", p.op.c_str(),
                    static_cast<unsigned long long>(p.rows), p.time_ms);
      }
    }
    std::vector<double> kg_ms, sql_ms;
    std::vector<double> parse_ms, plan_ms, exec_ms;
    int64_t kg_rows = -1, sql_rows = -1;
    double kg_cpu = 0, sql_cpu = 0;
    sqlite3_stmt* stmt = sql->Prepare(q.sql);
    std::vector<ValueList> sql_result;
    for (int i = 0; i < runs; ++i) {
      double c = ThreadCpuMs();
      auto a = Clock::now();
      auto r = query::ExecuteQuery(store, graph, q.cypher, options);
      auto b = Clock::now();
      kg_cpu += ThreadCpuMs() - c;
      if (!r.ok()) Die(q.name + ": " + r.status().ToString());
      kg_rows = static_cast<int64_t>(r->rows.size());
      if (q.name.rfind("25", 0) == 0 && !r->rows.empty()) kg_rows = r->rows[0][0].as_int();
      kg_ms.push_back(Ms(a, b));
      parse_ms.push_back(r->stats.parse_ms);
      plan_ms.push_back(r->stats.plan_ms);
      exec_ms.push_back(r->stats.exec_ms);
      c = ThreadCpuMs();
      a = Clock::now();
      sql_rows = sql->Run(stmt, q.sql_params, &sql_result);
      b = Clock::now();
      sql_cpu += ThreadCpuMs() - c;
      sql_ms.push_back(Ms(a, b));
      sql_result.clear();  // outside the timed part, as codekg's result is freed
    }
    if (q.name.rfind("25", 0) == 0) {
      sqlite3_reset(stmt);
      sqlite3_bind_text(stmt, 1, q.sql_params[0].as_string().c_str(), -1, SQLITE_TRANSIENT);
      if (sqlite3_step(stmt) == SQLITE_ROW) sql_rows = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
    const double kp50 = Percentile(kg_ms, 0.5), kp99 = Percentile(kg_ms, 0.99);
    const double sp50 = Percentile(sql_ms, 0.5), sp99 = Percentile(sql_ms, 0.99);
    kg_cpu /= std::max(runs, 1);
    sql_cpu /= std::max(runs, 1);
    std::printf("%-26s %9lld %9lld %9.3f %9.3f %9.3f %9.3f %7.2fx %9.3f %9.3f %7.2fx%s\n",
                q.name.c_str(), static_cast<long long>(kg_rows), static_cast<long long>(sql_rows),
                kp50, kp99, sp50, sp99, kp50 > 0 ? sp50 / kp50 : 0.0, kg_cpu, sql_cpu,
                kg_cpu > 0 ? sql_cpu / kg_cpu : 0.0, q.multi_hop ? "  (multi-hop)" : "");
    if (cfg.stages && runs > 0) {
      std::printf("%-26s p50 parse %.3f ms, bind+plan %.3f ms, exec %.3f ms\n", "",
                  Percentile(parse_ms, 0.5), Percentile(plan_ms, 0.5), Percentile(exec_ms, 0.5));
    }
  }
  return t;
}

// Every query of the agent workload (../shared/agent-workload.md, 29 queries, in its order and
// as written there), through codekg alone, on an ingested package: the "every workload query
// p99 under 20 ms" figure. The names, paths and keywords the workload names come from its
// sample repositories; here each is picked from the graph (through the SQLite copy) so that the
// query finds something: the class with the most methods, its base, the most called function,
// and so on. A query that still finds nothing (27: no documentation files) is timed all the
// same and shows 0 rows.
void RunAgentLatency(storage::GraphStore& store, const std::string& graph, Sql* sql,
                     const Targets& t, const Config& cfg) {
  auto pick = [&](const std::string& q) { return sql->Scalar(q); };
  auto two = [&](const std::string& q) {
    std::string v = sql->Scalar(q);
    size_t tab = v.find('\t');
    return tab == std::string::npos ? std::pair<std::string, std::string>{v, ""}
                                    : std::pair{v.substr(0, tab), v.substr(tab + 1)};
  };
  const std::string &cls = t.cls, &base = t.base, &callee_qn = t.callee_qn,
                    &callee_name = t.callee_name, &file = t.file, &root = t.root;
  const std::string line = std::to_string(t.at_line);
  const std::string cls_path =
      pick("SELECT path FROM nodes WHERE label = 'Class' AND name = " + Quote(cls) +
           " ORDER BY k LIMIT 1");
  const std::string method = pick(
      "SELECT m.name FROM nodes c JOIN edges e ON e.src = c.k AND e.type = 'HAS_METHOD' JOIN "
      "nodes m ON m.k = e.dst WHERE c.label = 'Class' AND c.name = " +
      Quote(cls) + " ORDER BY m.start_line LIMIT 1");
  const auto [field_mod, field_cls] = two(
      "SELECT m.name || char(9) || c.name FROM nodes m JOIN edges e ON e.src = m.k AND e.type = "
      "'CONTAINS' JOIN nodes c ON c.k = e.dst AND c.label = 'Class' JOIN edges h ON h.src = c.k "
      "AND h.type = 'HAS_FIELD' WHERE m.label = 'Module' GROUP BY c.k ORDER BY count(*) DESC "
      "LIMIT 1");
  const auto [sub, base_method] = two(
      "SELECT s.name || char(9) || m.name FROM nodes s JOIN edges e ON e.src = s.k AND e.type = "
      "'INHERITS' JOIN nodes b ON b.k = e.dst AND b.label = 'Class' AND b.name = " +
      Quote(base) +
      " JOIN edges h ON h.src = b.k AND h.type = 'HAS_METHOD' JOIN nodes m ON m.k = h.dst WHERE "
      "s.label = 'Class' ORDER BY s.k, m.start_line LIMIT 1");
  const std::string fn_mod = pick(
      "SELECT m.name FROM nodes m JOIN edges e ON e.src = m.k AND e.type = 'CONTAINS' JOIN nodes "
      "f ON f.k = e.dst AND f.label = 'Function' WHERE m.label = 'Module' GROUP BY m.k ORDER BY "
      "count(*) DESC LIMIT 1");
  const std::string callee_id =
      pick("SELECT id FROM nodes WHERE qualified_name = " + Quote(callee_qn) + " LIMIT 1");
  const std::string caller_qn = pick(
      "SELECT m.qualified_name FROM nodes m JOIN edges e ON e.src = m.k AND e.type = 'CALLS' "
      "WHERE m.label = 'Method' GROUP BY m.k ORDER BY count(*) DESC LIMIT 1");
  const auto [chain_from, chain_to] = two(
      "SELECT a.name || char(9) || c.name FROM nodes a JOIN edges e1 ON e1.src = a.k AND e1.type "
      "= 'CALLS' JOIN nodes b ON b.k = e1.dst AND b.label = 'Function' JOIN edges e2 ON e2.src = "
      "b.k AND e2.type = 'CALLS' JOIN nodes c ON c.k = e2.dst AND c.label = 'Function' WHERE "
      "a.label = 'Function' AND c.k <> b.k ORDER BY a.k LIMIT 1");
  const std::string imported = pick(
      "SELECT m.name FROM nodes m JOIN edges e ON e.dst = m.k AND e.type = 'IMPORTS' WHERE "
      "m.label = 'Module' GROUP BY m.k ORDER BY count(*) DESC LIMIT 1");
  const std::string variable = pick(
      "SELECT v.name FROM nodes v JOIN edges e ON e.dst = v.k AND e.type = 'USES' WHERE v.label "
      "= 'Variable' GROUP BY v.k ORDER BY count(*) DESC LIMIT 1");
  const std::string overridden = pick(
      "SELECT b.qualified_name FROM nodes b JOIN edges e ON e.dst = b.k AND e.type = "
      "'OVERRIDES' GROUP BY b.k ORDER BY count(*) DESC LIMIT 1");
  const auto [caller_file, callee_file] = two(
      "SELECT c.path || char(9) || t.path FROM nodes c JOIN edges e ON e.src = c.k AND e.type = "
      "'CALLS' JOIN nodes t ON t.k = e.dst AND t.label = 'Function' AND t.name = " +
      Quote(callee_name) + " WHERE c.label = 'Function' AND c.path <> t.path LIMIT 1");
  auto base_name = [](const std::string& path) {
    size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
  };
  const std::vector<std::pair<std::string, std::string>> queries = {
      {"1 class by name", "MATCH (c:Class {name: " + Quote(cls) +
                              "}) RETURN c.id, c.qualified_name, c.path, c.signature"},
      {"2 fuzzy module lookup",
       "MATCH (m:Module) WHERE m.name =~ '(?i).*utils.*' RETURN m.name, m.path LIMIT 50"},
      {"3 methods of a class in a file",
       "MATCH (c:Class {name: " + Quote(cls) + ", path: " + Quote(cls_path) +
           "})-[:HAS_METHOD]->(m:Method) RETURN m.name, m.signature ORDER BY m.start_line"},
      {"4 methods and fields",
       "MATCH (:Module {name: " + Quote(field_mod) +
           "})-[:CONTAINS]->(c:Class {name: " + Quote(field_cls) +
           "}) OPTIONAL MATCH (c)-[:HAS_METHOD]->(m:Method) OPTIONAL MATCH "
           "(c)-[:HAS_FIELD]->(f:Field) RETURN c.qualified_name, collect(DISTINCT m.name) AS "
           "methods, collect(DISTINCT f.name) AS fields"},
      {"5 fields of a class", "MATCH (:Class {name: " + Quote(field_cls) +
                                  "})-[:HAS_FIELD]->(f:Field) RETURN f.name, f.code"},
      {"6 code of a method", "MATCH (:Class {name: " + Quote(cls) +
                                 "})-[:HAS_METHOD]->(m:Method {name: " + Quote(method) +
                                 "}) RETURN m.id, m.code"},
      {"7 method from nearest base",
       "MATCH p = (:Class {name: " + Quote(sub) +
           "})-[:INHERITS*0..5]->(b:Class)-[:HAS_METHOD]->(m:Method {name: " + Quote(base_method) +
           "}) RETURN b.qualified_name AS declared_in, m.code ORDER BY length(p) LIMIT 1"},
      {"8 functions of a module", "MATCH (:Module {name: " + Quote(fn_mod) +
                                      "})-[:CONTAINS]->(f:Function) RETURN f.name, f.signature"},
      {"9 module functions by keyword",
       "MATCH (:Module {name: " + Quote(fn_mod) +
           "})-[:CONTAINS]->(f:Function) WHERE f.name CONTAINS 'get' RETURN f.name, f.signature"},
      {"10 repo-wide name search",
       "MATCH (n) WHERE (n:Function OR n:Method) AND toLower(n.name) CONTAINS 'filter' RETURN "
       "labels(n)[0] AS kind, n.qualified_name, n.path, n.signature LIMIT 50"},
      {"11 direct base classes", "MATCH (:Class {name: " + Quote(sub) +
                                     "})-[r:INHERITS]->(b) RETURN b.qualified_name, labels(b)[0] "
                                     "AS kind ORDER BY r.index"},
      {"12 subclasses *1..3", "MATCH (s:Class)-[:INHERITS*1..3]->(:Class {name: " + Quote(base) +
                                  "}) RETURN DISTINCT s.qualified_name, s.path LIMIT 100"},
      {"13 callers with call sites",
       "MATCH (caller)-[r:CALLS]->(:Function {name: " + Quote(callee_name) +
           "}) RETURN caller.id, r.line, r.resolution ORDER BY caller.id LIMIT 100"},
      {"14 what X calls", "MATCH (:Method {qualified_name: " + Quote(caller_qn) +
                              "})-[r:CALLS]->(t) RETURN t.id, labels(t)[0] AS kind, r.line"},
      {"15 callers *1..3", "MATCH (c)-[:CALLS*1..3]->(:Function {qualified_name: " +
                               Quote(callee_qn) + "}) RETURN DISTINCT c.id LIMIT 100"},
      {"16 call chain *1..5",
       "MATCH p = (:Function {name: " + Quote(chain_from) +
           "})-[:CALLS*1..5]->(:Function {name: " + Quote(chain_to) +
           "}) RETURN [n IN nodes(p) | n.id] AS chain ORDER BY length(p) LIMIT 5"},
      {"17 importers of a module", "MATCH (f:File)-[i:IMPORTS]->(:Module {name: " +
                                       Quote(imported) + "}) RETURN f.path, i.alias, i.line"},
      {"18 users of a variable", "MATCH (u)-[a:USES]->(:Variable {name: " + Quote(variable) +
                                     "}) RETURN u.id, a.access, a.line"},
      {"19 defined in a file *1..2",
       "MATCH (:File {path: " + Quote(file) +
           "})-[:CONTAINS*1..2]->(n) RETURN labels(n)[0] AS kind, n.id, n.start_line, "
           "n.end_line ORDER BY n.start_line"},
      {"20 repository map *1..2",
       "MATCH (:Directory {path: " + Quote(root) +
           "})-[:CONTAINS*1..2]->(x) WHERE x:Directory OR x:File RETURN x.path ORDER BY x.path"},
      {"21 innermost entity *1..3",
       "MATCH (:File {path: " + Quote(file) +
           "})-[:CONTAINS*1..3]->(n) WHERE n.start_line <= " + line + " AND n.end_line >= " + line +
           " RETURN n.id, n.start_line, n.end_line ORDER BY n.end_line - n.start_line LIMIT 1"},
      {"22 dead code",
       "MATCH (f:Function) WHERE NOT ()-[:CALLS]->(f) AND NOT f.is_test AND NOT f.name STARTS "
       "WITH '_' RETURN f.id LIMIT 50"},
      {"23 most-called functions",
       "MATCH (c)-[:CALLS]->(f) WHERE f:Function OR f:Method RETURN f.id, count(DISTINCT c) AS "
       "fan_in ORDER BY fan_in DESC LIMIT 20"},
      {"24 decorated functions",
       "MATCH (n) WHERE (n:Function OR n:Method) AND ANY(d IN n.decorators WHERE toLower(d) IN "
       "['property', 'classmethod']) RETURN n.qualified_name, n.path LIMIT 50"},
      {"25 overriding methods", "MATCH (m:Method)-[:OVERRIDES]->(:Method {qualified_name: " +
                                    Quote(overridden) + "}) RETURN m.id"},
      {"26 search documentation",
       "MATCH (n) WHERE n.docstring IS NOT NULL AND toLower(n.docstring) CONTAINS 'error "
       "response' RETURN labels(n)[0] AS kind, n.id LIMIT 50"},
      {"27 docs of a symbol", "MATCH (d:DocSection)-[:DOCUMENTS]->(:Class {name: " + Quote(cls) +
                                  "}) RETURN d.path, d.heading, d.start_line"},
      {"28 incoming relations", "MATCH (a)-[r]->(t {id: " + Quote(callee_id) +
                                    "}) RETURN type(r) AS rel, a.id, labels(a)[0] AS kind LIMIT "
                                    "100"},
      {"29 calls across files",
       "MATCH (c:Function)-[:CALLS]->(t:Function {name: " + Quote(callee_name) +
           "}) WHERE c.path ENDS WITH " + Quote(base_name(caller_file)) + " AND t.path ENDS WITH " +
           Quote(base_name(callee_file)) + " RETURN c.name"},
  };
  std::printf("\n== %s: all %zu agent-workload queries (codekg alone; p99 target < 20 ms) ==\n",
              graph.c_str(), queries.size());
  std::printf("%-32s %7s %9s %9s\n", "query", "rows", "p50 ms", "p99 ms");
  double worst = 0;
  std::string worst_name;
  for (const auto& [name, cypher] : queries) {
    std::vector<double> ms;
    size_t rows = 0;
    query::QueryOptions options;
    for (int i = 0; i < cfg.runs; ++i) {
      auto a = Clock::now();
      auto r = query::ExecuteQuery(store, graph, cypher, options);
      auto b = Clock::now();
      if (!r.ok()) Die(name + ": " + r.status().ToString());
      if (r->truncated) Die(name + ": truncated (" + r->limit_hit + ")");
      rows = r->rows.size();
      ms.push_back(Ms(a, b));
    }
    const double p99 = Percentile(ms, 0.99);
    if (p99 > worst) {
      worst = p99;
      worst_name = name;
    }
    std::printf("%-32s %7zu %9.3f %9.3f\n", name.c_str(), rows, Percentile(ms, 0.5), p99);
  }
  std::printf("worst p99: %.3f ms (%s)\n", worst, worst_name.c_str());
}

std::unique_ptr<storage::GraphStore> OpenStore(const fs::path& dir) {
  storage::Options options;
  options.sync_writes = false;
  options.block_cache_bytes = 512u << 20;
  auto store = storage::GraphStore::Open(dir.string(), options);
  if (!store.ok()) Die(store.status().ToString());
  return std::move(store).value();
}

int Main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress is visible when redirected
  Config cfg;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char* flag) -> std::string {
      if (i + 1 >= argc) Die(std::string("missing value for ") + flag);
      return argv[++i];
    };
    if (a == "--django") {
      cfg.django = value("--django");
    } else if (a == "--nodes") {
      cfg.nodes = std::strtoull(value("--nodes").c_str(), nullptr, 10);
    } else if (a == "--runs") {
      cfg.runs = std::atoi(value("--runs").c_str());
    } else if (a == "--dir") {
      cfg.dir = value("--dir");
    } else if (a == "--only") {
      cfg.only = value("--only");
    } else if (a == "--profile") {
      cfg.profile = true;
    } else if (a == "--stages") {
      cfg.stages = true;
    } else if (a == "--reuse") {
      cfg.reuse = true;
    } else {
      Die("usage: query_bench [--django DIR] [--nodes N] [--runs R] [--dir D] [--only PREFIX] "
          "[--profile] [--stages] [--reuse]");
    }
  }
  const fs::path dir = cfg.dir.empty() ? fs::temp_directory_path() /
                                             ("codekg_query_bench_" + std::to_string(getpid()))
                                       : fs::path(cfg.dir);
  if (cfg.reuse && cfg.dir.empty()) Die("--reuse needs --dir");
  // What a reusable folder holds: the generated graph of this many nodes, complete.
  const fs::path marker = dir / "generated.nodes";
  auto reusable = [&] {
    if (!cfg.reuse) return false;
    std::FILE* f = std::fopen(marker.c_str(), "r");
    if (f == nullptr) return false;
    unsigned long long n = 0;
    const bool same = std::fscanf(f, "%llu", &n) == 1 && n == cfg.nodes;
    std::fclose(f);
    return same;
  };
  const bool reuse_generated = reusable();
  if (!reuse_generated) fs::remove_all(dir);
  fs::remove_all(dir / "django_db");
  fs::remove(dir / "django.sqlite");
  fs::create_directories(dir);
  if (!cfg.django.empty()) {
    auto store = OpenStore(dir / "django_db");
    auto t0 = Clock::now();
    auto report = ingest::IngestPath(*store, "django", cfg.django);
    if (!report.ok()) Die("ingest: " + report.status().ToString());
    Sql sql((dir / "django.sqlite").string());
    Export(*store, "django", &sql);
    auto info = store->GetGraph("django");
    std::printf("django: %llu nodes, %llu edges, %llu files (ingest + export %.1f s)\n",
                static_cast<unsigned long long>(info.ok() ? info->node_count : 0),
                static_cast<unsigned long long>(info.ok() ? info->edge_count : 0),
                static_cast<unsigned long long>(info.ok() ? info->file_count : 0),
                Ms(t0, Clock::now()) / 1000);
    const Targets targets = RunWorkload("django", *store, "django", &sql, cfg);
    if (cfg.only.empty()) RunAgentLatency(*store, "django", &sql, targets, cfg);
  }
  if (cfg.nodes > 0) {
    auto store = OpenStore(dir / "gen_db");
    auto t0 = Clock::now();
    std::unique_ptr<Sql> sql;
    if (reuse_generated) {
      sql = std::make_unique<Sql>((dir / "gen.sqlite").string(), /*open_existing=*/true);
    } else {
      if (!store->CreateGraph("gen").ok()) Die("create graph");
      sql = std::make_unique<Sql>((dir / "gen.sqlite").string());
      Generate(*store, "gen", cfg.nodes, sql.get());
      if (cfg.reuse) {
        std::FILE* f = std::fopen(marker.c_str(), "w");
        if (f == nullptr) Die("cannot write " + marker.string());
        std::fprintf(f, "%llu\n", static_cast<unsigned long long>(cfg.nodes));
        std::fclose(f);
      }
    }
    auto info = store->GetGraph("gen");
    std::printf("\ngenerated: %llu nodes, %llu edges (%s %.1f s)\n",
                static_cast<unsigned long long>(info.ok() ? info->node_count : 0),
                static_cast<unsigned long long>(info.ok() ? info->edge_count : 0),
                reuse_generated ? "reopened in" : "load into both", Ms(t0, Clock::now()) / 1000);
    RunWorkload("generated", *store, "gen", sql.get(), cfg);
  }
  if (!cfg.reuse) fs::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace kg::bench

int main(int argc, char** argv) { return kg::bench::Main(argc, argv); }
