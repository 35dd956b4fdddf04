// bench/ingest: how fast codekg turns a Python tree into a graph, against two peers on the same
// files in the same run:
//   raw-ts      tree-sitter alone: read and parse every file, walk nothing (the floor)
//   ctags       universal-ctags: `ctags -R --languages=Python -f - <tree>` (output discarded)
//   extract     codekg's per-file work alone (read, hash, parse, tags query, facts), one thread
//   codekg -jN  IngestPath(): walk, read, hash, extract (tags query), resolve, write every file's
//               facts to a fresh RocksDB (sync_writes off), with N parse threads
// Each mode runs in its own forked child (ctags: its own process), so peak RSS (wait4) belongs to
// that mode alone. The best of --repeat runs is reported; the modes take turns, one run of each
// per round, so that a burst of load on a shared machine slows one run of every mode. Figures:
// files, MB of source, seconds, MB/s, time ratio against raw-ts, CPU seconds (user + system, from
// wait4; steadier than wall time on a shared machine) and their ratio, peak RSS, and for codekg the
// time of IngestPath alone
// ("ingest s": without opening and closing RocksDB). tree-sitter allocates from the same heap in
// every mode: codekg's (ingest/ts_heap.h) unless CODEKG_TS_HEAP=0 (then malloc), as printed.
//
// Usage: ingest_bench [--repeat R] [--dir D] [--in-process] [--only MODE] [--threads N] [SOURCE...]
//   --threads N: codekg ingest with N threads only (default: -j1 and -j2)
//   SOURCE: folders copied side by side into D/tree (default: the Debian-installed flask and
//   requests packages under /usr/lib/python3/dist-packages).
//        ingest_bench --dump OUT [SOURCE...]   (the graph as sorted text lines, for diffs)
//        ingest_bench --accuracy [SOURCE...]
//   Precision and recall per kind (definitions, bases, imports) of codekg's graph of each SOURCE
//   package (default: requests, flask and django, all of it) against the reference extractor
//   ../shared/tools/py_groundtruth.py, found next to the source tree (CODEKG_SOURCE_DIR/..).

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <tree_sitter/api.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "ingest/extractor.h"
#include "ingest/ingest.h"
#include "ingest/languages/registry.h"
#include "ingest/sha256.h"
#include "ingest/source_file.h"
#include "ingest/ts_heap.h"
#include "storage/graph_store.h"
#include "tests/ingest/real_groundtruth.h"

extern "C" const TSLanguage* tree_sitter_python(void);

namespace kg::bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Tree {
  std::vector<fs::path> files;
  uint64_t bytes = 0;
};

Tree ListPython(const fs::path& root) {
  Tree t;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.is_regular_file() && e.path().extension() == ".py") {
      t.files.push_back(e.path());
      t.bytes += e.file_size();
    }
  }
  return t;
}

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Raw tree-sitter: read + parse each file, keep nothing. Returns seconds, or -1.
double RunRawTreeSitter(const Tree& tree) {
  auto start = Clock::now();
  TSParser* parser = ts_parser_new();
  if (!ts_parser_set_language(parser, tree_sitter_python())) return -1;
  uint64_t nodes = 0;
  for (const fs::path& f : tree.files) {
    std::string text = ReadAll(f);
    TSTree* t =
        ts_parser_parse_string(parser, nullptr, text.data(), static_cast<uint32_t>(text.size()));
    if (t == nullptr) return -1;
    nodes += ts_node_child_count(ts_tree_root_node(t));  // touch the result, walk nothing
    ts_tree_delete(t);
  }
  ts_parser_delete(parser);
  if (nodes == 0) return -1;
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// codekg's per-file work alone, one thread: read, hash, UTF-8 check, parse + tags query + facts
// (ingest's Extractor), no resolution, no storage. Returns seconds, or -1.
double RunExtractOnly(const Tree& tree) {
  auto start = Clock::now();
  auto extractor = ingest::Extractor::ForLanguage(*ingest::languages::LanguageByName("python"));
  if (!extractor.ok()) return -1;
  uint64_t defs = 0;
  for (const fs::path& f : tree.files) {
    ingest::SourceLoad load = ingest::LoadSourceFile(f, 8u << 20);
    if (!load.skip_reason.empty()) continue;
    std::string hash = ingest::Sha256Hex(load.text);
    auto facts = (*extractor)->Extract(f.filename().string(), load.text, {"m", false});
    if (!facts.ok()) return -1;
    defs += facts->definitions.size() + hash.size() * 0;
  }
  if (defs == 0) return -1;
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// codekg full ingest into a fresh RocksDB folder `db`. Returns seconds, or -1.
// `*ingest_s` gets IngestPath's own time (without opening and closing the database).
double RunCodekg(const fs::path& tree, const fs::path& db, int threads, uint64_t* parsed,
                 double* ingest_s) {
  std::error_code ec;
  fs::remove_all(db, ec);
  // The previous run's files are deleted (discarded, on a disk mounted with discard) and the
  // tree's copy may still be dirty: settled before the clock starts, or this run's first fsync
  // waits for them (seen at 0.1-0.4 s).
  ::sync();
  storage::Options options;
  options.sync_writes = false;
  auto start = Clock::now();
  auto store = storage::GraphStore::Open(db.string(), options);
  if (!store.ok()) {
    std::fprintf(stderr, "open: %s\n", store.status().ToString().c_str());
    return -1;
  }
  const double open_s = std::chrono::duration<double>(Clock::now() - start).count();
  ingest::IngestOptions io;
  io.threads = threads;
  auto report = ingest::IngestPath(**store, "bench", tree.string(), io);
  if (!report.ok()) {
    std::fprintf(stderr, "ingest: %s\n", report.status().ToString().c_str());
    return -1;
  }
  auto close_start = Clock::now();
  store->reset();  // closing (flush) is part of the cost
  const double close_s = std::chrono::duration<double>(Clock::now() - close_start).count();
  *parsed = report->files_parsed;
  *ingest_s = report->elapsed_ms / 1000.0;
  std::fprintf(stderr,
               "  codekg -j%d: open %.0f ms, walk %.0f ms, parse %.0f ms, resolve %.0f ms, write "
               "%.0f ms, close %.0f ms (%llu nodes, %llu edges)\n",
               threads, open_s * 1e3, report->walk_ms, report->parse_ms, report->resolve_ms,
               report->write_ms, close_s * 1e3,
               static_cast<unsigned long long>(report->nodes_written),
               static_cast<unsigned long long>(report->edges_written));
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct Run {
  double seconds = -1;
  double rss_mib = 0;
  double cpu_s = -1;  // user + system CPU seconds of the run's process (robust under load)
  uint64_t files = 0;
  double inner_s = -1;  // codekg: IngestPath alone (no database open/close)
};

// Runs `fn` (returning seconds, or -1) in a forked child; its result comes back through a pipe.
bool g_in_process = false;  // --in-process: no fork (for debuggers); RSS is then meaningless

template <typename Fn>
Run InChild(Fn fn) {
  if (g_in_process) {
    Run run;
    run.seconds = fn(&run.files, &run.inner_s);
    return run;
  }
  int fds[2];
  if (pipe(fds) != 0) return {};
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    uint64_t files = 0;
    double inner = -1;
    double s = fn(&files, &inner);
    double out[3] = {s, static_cast<double>(files), inner};
    ssize_t w = write(fds[1], out, sizeof(out));
    _exit(w == sizeof(out) ? 0 : 1);
  }
  close(fds[1]);
  double in[3] = {-1, 0, -1};
  ssize_t r = read(fds[0], in, sizeof(in));
  close(fds[0]);
  int status = 0;
  struct rusage usage {};
  wait4(pid, &status, 0, &usage);
  Run run;
  if (r == sizeof(in) && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    run.seconds = in[0];
    run.files = static_cast<uint64_t>(in[1]);
    run.inner_s = in[2];
  } else if (WIFSIGNALED(status)) {
    std::fprintf(stderr, "child killed by signal %d\n", WTERMSIG(status));
  }
  run.rss_mib = usage.ru_maxrss / 1024.0;
  run.cpu_s = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec +
              usage.ru_stime.tv_usec / 1e6;
  return run;
}

// universal-ctags in its own process, output to /dev/null.
Run RunCtags(const fs::path& tree) {
  auto start = Clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY);
    if (null >= 0) dup2(null, 1);
    execlp("ctags", "ctags", "-R", "--languages=Python", "-f", "-", tree.c_str(),
           static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  struct rusage usage {};
  wait4(pid, &status, 0, &usage);
  Run run;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    run.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  }
  run.rss_mib = usage.ru_maxrss / 1024.0;
  run.cpu_s = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec +
              usage.ru_stime.tv_usec / 1e6;
  return run;
}

// `best` with run `r` taken into account: the fastest run's figures, with CPU the least and RSS
// the most over the runs; a failed run (seconds < 0) makes the result failed. `first`: `best`
// holds no run yet.
Run Better(const Run& best, const Run& r, bool first) {
  if (r.seconds < 0) return r;
  Run out = first || r.seconds < best.seconds ? r : best;
  if (!first) {
    out.cpu_s =
        best.cpu_s < 0 ? r.cpu_s : (r.cpu_s < 0 ? best.cpu_s : std::min(best.cpu_s, r.cpu_s));
    out.rss_mib = std::max(best.rss_mib, r.rss_mib);
  }
  return out;
}

// --dump OUT: ingests the SOURCE folders (one thread, or --threads N) and writes every node (id,
// labels, properties) and every edge (source, type, target, properties) of the graph to OUT, one
// per line, sorted: two builds' outputs compared with diff show whether a change altered the graph.
int Dump(const fs::path& out_path, const fs::path& tree, const fs::path& db, int threads) {
  std::error_code ec;
  fs::remove_all(db, ec);
  storage::Options options;
  options.sync_writes = false;
  auto store = storage::GraphStore::Open(db.string(), options);
  if (!store.ok()) return 1;
  ingest::IngestOptions io;
  io.threads = threads;
  auto report = ingest::IngestPath(**store, "dump", tree.string(), io);
  if (!report.ok()) {
    std::fprintf(stderr, "ingest: %s\n", report.status().ToString().c_str());
    return 1;
  }
  auto snap = std::move((*store)->GetSnapshot("dump")).value();
  std::vector<std::string> lines;
  auto props = [](const Properties& p) {
    std::string s;
    for (const auto& [k, v] : p) s += " " + k + "=" + v.DebugString();
    return s;
  };
  auto cursor = snap->ScanAll();
  storage::NodeKey key;
  while (cursor->Next(&key)) {
    auto node = snap->GetNode(key);
    if (!node.ok() || !*node) continue;
    std::string labels;
    for (storage::LabelId l : (*node)->labels) labels += ":" + *(*store)->LabelNameOf(l);
    lines.push_back("N " + (*node)->id + labels + props((*node)->props));
    auto edges = snap->Expand(key, storage::Direction::kOut);
    storage::EdgeRecord e;
    while (edges->Next(&e)) {
      auto dst = snap->GetNode(e.dst);
      std::string dst_id = dst.ok() && *dst ? (*dst)->id : "?";
      lines.push_back("E " + (*node)->id + " -" + *(*store)->EdgeTypeNameOf(e.type) + "-> " +
                      dst_id + props(e.props));
    }
  }
  std::sort(lines.begin(), lines.end());
  std::ofstream out(out_path);
  for (const std::string& l : lines) out << l << "\n";
  std::fprintf(stderr, "%zu lines -> %s\n", lines.size(), out_path.c_str());
  return 0;
}

// --accuracy: scores each package; returns 0 when every target is met.
int Accuracy(std::vector<fs::path> sources) {
  if (sources.empty()) {
    for (const char* p : {"requests", "flask", "django"}) {
      sources.push_back(fs::path("/usr/lib/python3/dist-packages") / p);
    }
  }
  const fs::path tool =
      fs::path(CODEKG_SOURCE_DIR) / ".." / "shared" / "tools" / "py_groundtruth.py";
  std::string tmpl = (fs::temp_directory_path() / "kg_ingest_acc_XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) {
    std::perror("mkdtemp");
    return 1;
  }
  fs::path dir = tmpl;
  int rc = 0;
  for (const fs::path& src : sources) {
    fs::path root = dir / src.filename() / "src";
    ingest::groundtruth::CopyPython(src, root / src.filename());
    std::vector<std::string> errors;
    auto want = ingest::groundtruth::RunReference(tool, root, dir / src.filename() / "truth.jsonl",
                                                  &errors);
    for (const std::string& e : errors) std::fprintf(stderr, "%s\n", e.c_str());
    storage::Options options;
    options.sync_writes = false;
    auto store = storage::GraphStore::Open((dir / src.filename() / "db").string(), options);
    if (!store.ok()) {
      std::fprintf(stderr, "open: %s\n", store.status().ToString().c_str());
      return 1;
    }
    auto report = ingest::IngestPath(**store, "g", root.string());
    if (!report.ok()) {
      std::fprintf(stderr, "ingest: %s\n", report.status().ToString().c_str());
      return 1;
    }
    auto got = ingest::groundtruth::ReadGraph(**store, "g");
    std::string table;
    auto scores = ingest::groundtruth::Compare(
        want, got,
        src.filename().string() + " (" + std::to_string(report->files_parsed) + " files)", &table,
        8);
    std::printf("%s", table.c_str());
    for (const auto& [kind, s] : scores) {
      double target = kind == "definitions" ? 0.99 : 0.97;
      if (s.precision() < target || s.recall() < target) rc = 1;
    }
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  return rc;
}

// The median of `v` (the mean of the middle two for an even count); -1 when empty.
double MedianOf(std::vector<double> v) {
  if (v.empty()) return -1;
  std::sort(v.begin(), v.end());
  return v.size() % 2 == 1 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

int Main(int argc, char** argv) {
  int repeat = 3;
  fs::path dir;
  std::vector<fs::path> sources;
  bool accuracy = false;
  fs::path dump;     // --dump OUT
  std::string only;  // --only raw|ctags|extract|codekg[,...]: just those modes (for profiling)
  std::vector<int> thread_counts = {1, 2};  // --threads N: codekg with N threads only
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--accuracy") {
      accuracy = true;
    } else if (a == "--repeat" && i + 1 < argc) {
      repeat = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--only" && i + 1 < argc) {
      only = argv[++i];
    } else if (a == "--threads" && i + 1 < argc) {
      thread_counts = {std::max(1, std::atoi(argv[++i]))};
    } else if (a == "--dump" && i + 1 < argc) {
      dump = argv[++i];
    } else if (a == "--in-process") {
      g_in_process = true;
    } else if (a == "--dir" && i + 1 < argc) {
      dir = argv[++i];
    } else if (a == "-h" || a == "--help" || a.starts_with("--")) {
      std::fprintf(stderr,
                   "usage: ingest_bench [--repeat R] [--dir D] [--in-process] "
                   "[--only raw|ctags|extract|codekg] [--threads N] [SOURCE...]\n"
                   "       ingest_bench --dump OUT [SOURCE...]\n"
                   "       ingest_bench --accuracy [SOURCE...]\n");
      return a.starts_with("--h") || a == "-h" ? 0 : 2;
    } else {
      sources.push_back(a);
    }
  }
  if (accuracy) return Accuracy(sources);
  if (sources.empty()) {
    sources = {"/usr/lib/python3/dist-packages/flask", "/usr/lib/python3/dist-packages/requests"};
  }
  bool own_dir = dir.empty();
  if (own_dir) {
    std::string tmpl = (fs::temp_directory_path() / "kg_ingest_bench_XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) {
      std::perror("mkdtemp");
      return 1;
    }
    dir = tmpl;
  }
  fs::path tree = dir / "tree";
  std::error_code ec;
  fs::remove_all(tree, ec);
  for (const fs::path& s : sources) {
    if (!fs::is_directory(s)) {
      std::fprintf(stderr, "not a folder: %s\n", s.c_str());
      return 2;
    }
    fs::path to = tree / s.filename();
    fs::create_directories(to);
    for (const auto& e : fs::recursive_directory_iterator(s)) {
      if (e.path().string().find("__pycache__") != std::string::npos) continue;
      // (Lexical: the iterator's paths all start with `s`; fs::relative would readlink every
      // component of both paths for every entry.)
      fs::path rel = e.path().lexically_relative(s);
      if (e.is_directory()) fs::create_directories(to / rel);
      if (e.is_regular_file() && e.path().extension() == ".py") fs::copy_file(e.path(), to / rel);
    }
  }
  if (!dump.empty()) {
    int rc = Dump(dump, tree, dir / "db", thread_counts.size() == 1 ? thread_counts[0] : 1);
    if (own_dir) fs::remove_all(dir, ec);
    return rc;
  }
  Tree files = ListPython(tree);
  double mb = files.bytes / 1e6;
  std::printf("tree: %s (%zu .py files, %.2f MB); best of %d runs\n", tree.c_str(),
              files.files.size(), mb, repeat);
  std::printf("tree-sitter allocates from %s, in every mode\n",
              ingest::GetTsHeapStats().installed ? "codekg's heap (ingest/ts_heap.h)" : "malloc");

  struct Row {
    Row(std::string n, std::function<Run()> f) : name(std::move(n)), once(std::move(f)) {}
    std::string name;
    std::function<Run()> once;     // one run of the mode
    Run run;                       // the best so far
    std::vector<double> all;       // seconds of every run
    std::vector<double> by_round;  // seconds per round, -1 where the run failed
    // The median of the runs' seconds (the mean of the middle two for an even count).
    double Median() const { return MedianOf(all); }
  };
  std::vector<Row> rows;
  auto wanted = [&only](const char* mode) {  // --only takes one mode or a comma-separated list
    return only.empty() ||
           ("," + only + ",").find("," + std::string(mode) + ",") != std::string::npos;
  };
  if (wanted("raw")) {
    rows.push_back({"raw tree-sitter (parse only)", [&] {
                      return InChild([&](uint64_t* n, double*) {
                        *n = files.files.size();
                        return RunRawTreeSitter(files);
                      });
                    }});
  }
  if (wanted("ctags")) {
    rows.push_back({"universal-ctags", [&] {
                      Run r = RunCtags(tree);
                      r.files = files.files.size();
                      return r;
                    }});
  }
  if (wanted("extract")) {
    rows.push_back({"codekg extract only -j1", [&] {
                      return InChild([&](uint64_t* n, double*) {
                        *n = files.files.size();
                        return RunExtractOnly(files);
                      });
                    }});
  }
  for (int threads : thread_counts) {
    if (!wanted("codekg")) break;
    rows.push_back({"codekg ingest -j" + std::to_string(threads), [&, threads] {
                      return InChild([&](uint64_t* n, double* inner) {
                        return RunCodekg(tree, dir / "db", threads, n, inner);
                      });
                    }});
  }
  // Round by round, every mode once per round: a burst of load on a shared machine then slows
  // one run of each mode rather than all the runs of one (which skewed the ratios).
  for (int round = 0; round < repeat; ++round) {
    for (Row& row : rows) {
      if (round > 0 && row.run.seconds < 0) continue;  // failed
      const Run r = row.once();
      if (r.seconds >= 0) row.all.push_back(r.seconds);
      row.by_round.push_back(r.seconds);
      row.run = Better(row.run, r, round == 0);
    }
  }
  double raw = wanted("raw") ? rows[0].run.seconds : -1;
  double raw_cpu = wanted("raw") ? rows[0].run.cpu_s : -1;
  double raw_median = wanted("raw") ? rows[0].Median() : -1;
  // "med x raw": the median run against raw's median run (the best runs alone flatter a mode
  // whose runs vary more, as ingest's write phase does on a shared machine). "rnd x raw": the
  // median over rounds of the run against raw's run of the same round (a shared machine's
  // speed drifts by tens of percent within minutes; runs a few seconds apart see the same).
  auto round_ratio = [&](const Row& r) {
    if (!wanted("raw")) return 0.0;
    std::vector<double> ratios;
    for (size_t i = 0; i < r.by_round.size() && i < rows[0].by_round.size(); ++i) {
      if (r.by_round[i] > 0 && rows[0].by_round[i] > 0) {
        ratios.push_back(r.by_round[i] / rows[0].by_round[i]);
      }
    }
    return std::max(0.0, MedianOf(ratios));
  };
  std::printf("%-30s %6s %7s %9s %8s %9s %9s %9s %8s %9s %9s %10s\n", "mode", "files", "MB",
              "seconds", "MB/s", "x raw-ts", "med x raw", "rnd x raw", "cpu s", "cpu x raw",
              "rss MiB", "ingest s");
  int rc = 0;
  for (const Row& r : rows) {
    if (r.run.seconds < 0) {
      std::printf("%-30s failed\n", r.name.c_str());
      rc = 1;
      continue;
    }
    std::printf("%-30s %6llu %7.2f %9.3f %8.2f %9.2f %9.2f %9.2f %8.3f %9.2f %9.1f", r.name.c_str(),
                static_cast<unsigned long long>(r.run.files), mb, r.run.seconds, mb / r.run.seconds,
                raw > 0 ? r.run.seconds / raw : 0.0, raw_median > 0 ? r.Median() / raw_median : 0.0,
                round_ratio(r), r.run.cpu_s,
                raw_cpu > 0 && r.run.cpu_s >= 0 ? r.run.cpu_s / raw_cpu : 0.0, r.run.rss_mib);
    if (r.run.inner_s >= 0) {
      std::printf(" %10.3f", r.run.inner_s);
    }
    std::printf("\n");
  }
  if (own_dir) fs::remove_all(dir, ec);
  return rc;
}

}  // namespace
}  // namespace kg::bench

int main(int argc, char** argv) { return kg::bench::Main(argc, argv); }
