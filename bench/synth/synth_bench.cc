// synth_bench: throughput of the synthesis jobs and of dedup.
//
//   synth_bench [--source DIR] [--pairs N] [--dir WORKDIR] [--strategies a,b] [--repeat N]
//   synth_bench --pairs 1000000 --source none     (dedup only)
//   synth_bench --pairs 0 --strategies relation_qa (one strategy only)
//
// 1. Ingests DIR (a Python tree, e.g. the Django package) into a fresh store, then runs each
//    strategy as a job (API check on, dedup on) and prints records/s. The peer is the engine
//    alone: the time to run the walk's own queries, so "x engine" says what the walk adds.
// 2. Dedups N synthetic templated pairs (default 1,000,000; 1% near-copies, 1% exact copies):
//    exact + MinHash/LSH near dedup, against exact dedup alone as the peer.
// Output is line-buffered so partial figures survive a timeout.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "ingest/ingest.h"
#include "query/engine.h"
#include "storage/graph_store.h"
#include "synth/dedup.h"
#include "synth/job.h"
#include "synth/prng.h"
#include "synth/strategies.h"
#include "synth/walks/relation_qa/relation_qa.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// CPU seconds of this process (all threads): on a shared, loaded machine wall time also counts
// the time spent waiting for a core, so both are printed.
double CpuSeconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

class Counter : public kg::synth::SynthObserver {
 public:
  void OnProgress(uint64_t, uint64_t) override {}
  kg::Status OnRecord(std::string_view line) override {
    bytes += line.size();
    ++records;
    // Order-sensitive digest of every record, so runs of two builds can be compared.
    digest = kg::synth::Mix64(digest ^ kg::synth::Fnv1a64(line));
    return kg::Status::OK();
  }
  bool Cancelled() override { return false; }
  uint64_t records = 0, bytes = 0, digest = 0;
};

// Templated pairs about random identifiers (as real code has distinct names), plus 1% near
// copies (one character added to the question) and 1% exact question copies.
std::vector<kg::synth::TrainingPair> SyntheticPairs(size_t n) {
  static const char* kVerbs[] = {"define", "inherit from", "call", "import", "override"};
  uint64_t x = 42;
  auto word = [&](size_t len) {
    std::string w;
    for (size_t k = 0; k < len; ++k) {
      w.push_back(static_cast<char>('a' + (x = kg::synth::Mix64(x)) % 26));
    }
    return w;
  };
  std::vector<kg::synth::TrainingPair> pairs;
  pairs.reserve(n);
  for (size_t i = 0; pairs.size() < n; ++i) {
    uint64_t h = kg::synth::Mix64(i);
    kg::synth::TrainingPair p;
    std::string module = word(8), cls = word(10);
    p.instruction =
        "Which methods does the class `pkg." + module + "." + cls + "` " + kVerbs[h % 5] + "?";
    p.input = "File: pkg/" + module + ".py";
    p.output = "`" + cls + "` defines " + std::to_string(1 + h % 9) + " methods:\n- `" + word(9) +
               "(self)`\n- `" + word(7) + "(self, " + word(6) + ")`";
    pairs.push_back(p);
    if (h % 100 == 0 && pairs.size() < n) {  // a near copy
      p.instruction += "!";
      pairs.push_back(p);
    } else if (h % 100 == 1 && pairs.size() < n) {  // an exact copy of the question
      pairs.push_back(p);
    }
  }
  return pairs;
}

}  // namespace

int main(int argc, char** argv) {
  std::string source = CODEKG_DJANGO_DIR;
  std::string work = (fs::temp_directory_path() / "codekg_synth_bench").string();
  size_t n = 1000000;
  std::string only;  // comma-separated strategy names; empty = all
  int repeat = 1;    // each strategy runs `repeat` times; the best time is reported
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::printf(
          "usage: synth_bench [--source DIR] [--pairs N] [--dir WORKDIR] [--strategies a,b] "
          "[--repeat N]\n"
          "  --source DIR       Python tree to ingest and synthesize from (default %s);\n"
          "                     a missing DIR (e.g. 'none') skips the strategies\n"
          "  --strategies a,b   only these strategies (default: all)\n"
          "  --repeat N         run each strategy N times, report the best (default 1)\n"
          "  --pairs N          synthetic pairs to dedup afterwards (default 1000000; 0 = "
          "skip)\n"
          "  --dir WORKDIR      scratch folder for the store (default %s)\n",
          CODEKG_DJANGO_DIR, work.c_str());
      return 0;
    }
  }
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--source") source = argv[i + 1];
    if (a == "--pairs") n = std::strtoull(argv[i + 1], nullptr, 10);
    if (a == "--dir") work = argv[i + 1];
    if (a == "--strategies") only = "," + std::string(argv[i + 1]) + ",";
    if (a == "--repeat") repeat = std::max(1, std::atoi(argv[i + 1]));
  }
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  std::error_code ec;
  fs::remove_all(work, ec);
  fs::create_directories(work, ec);

  if (fs::exists(source)) {
    auto store = kg::storage::GraphStore::Open(work + "/db", kg::storage::Options{});
    if (!store.ok()) {
      std::fprintf(stderr, "open: %s\n", store.status().ToString().c_str());
      return 2;
    }
    auto t0 = Clock::now();
    auto report = kg::ingest::IngestPath(**store, "bench", source);
    if (!report.ok()) {
      std::fprintf(stderr, "ingest: %s\n", report.status().ToString().c_str());
      return 2;
    }
    std::printf("ingest %s: %.2f s\n", source.c_str(), Seconds(t0));
    // Peer: the engine alone running relation_qa's two main queries.
    auto tq = Clock::now();
    kg::query::QueryOptions options;
    options.max_rows = int64_t{1} << 40;
    options.timeout_ms = 600000;
    uint64_t rows = 0;
    for (auto q : {kg::synth::relation_qa::kInheritsQuery, kg::synth::relation_qa::kMethodsQuery}) {
      auto r = kg::query::ExecuteQuery(**store, "bench", q, options);
      if (r.ok()) rows += r->rows.size();
    }
    double query_s = Seconds(tq);
    std::printf("engine: relation_qa INHERITS+HAS_METHOD queries: %llu rows in %.3f s\n",
                static_cast<unsigned long long>(rows), query_s);
    for (const auto& s : kg::synth::Strategies()) {
      if (!only.empty() && only.find("," + std::string(s.name) + ",") == std::string::npos) {
        continue;
      }
      kg::synth::SynthSpec spec;
      spec.mix = {{std::string(s.name), 1.0}};
      if (!s.format.empty()) spec.format = std::string(s.format);  // cpt_corpus: text
      Counter c;
      double sec = 1e300, cpu = 1e300;
      kg::Result<nlohmann::json> r = kg::Status::Internal("not run");
      for (int k = 0; k < repeat; ++k) {
        c = Counter();
        auto t = Clock::now();
        double c0 = CpuSeconds();
        r = kg::synth::RunSynthJob(**store, "bench", spec, &c);
        sec = std::min(sec, Seconds(t));
        cpu = std::min(cpu, CpuSeconds() - c0);
      }
      if (!r.ok()) {
        std::printf("%-12s error %s\n", std::string(s.name).c_str(), r.status().ToString().c_str());
        continue;
      }
      std::printf(
          "%-12s %8llu records in %7.3f s = %9.0f records/s; CPU %7.3f s = %9.0f records/CPU-s "
          "(api rejects %llu, near dups %llu, output digest %016llx)\n",
          std::string(s.name).c_str(), static_cast<unsigned long long>(c.records), sec,
          static_cast<double>(c.records) / sec, cpu, static_cast<double>(c.records) / cpu,
          static_cast<unsigned long long>((*r)["api_check"]["rejected"].get<uint64_t>()),
          static_cast<unsigned long long>((*r)["duplicates_removed"]["near"].get<uint64_t>()),
          static_cast<unsigned long long>(c.digest));
      std::printf("             stages (ms, last run): %s\n", (*r)["stage_ms"].dump().c_str());
      std::printf("             stages (CPU ms, last run): %s\n",
                  (*r)["stage_cpu_ms"].dump().c_str());
    }
  } else {
    std::printf("source %s not found: strategy throughput skipped\n", source.c_str());
  }

  if (n == 0) {
    fs::remove_all(work, ec);
    return 0;
  }
  // Dedup of n synthetic pairs.
  auto pairs = SyntheticPairs(n);
  auto copy = pairs;
  auto te = Clock::now();
  double ce = CpuSeconds();
  uint64_t exact_only = kg::synth::DedupExact(&copy);
  double exact_s = Seconds(te), exact_cpu = CpuSeconds() - ce;
  copy.clear();
  auto td = Clock::now();
  double cd = CpuSeconds();
  uint64_t exact = kg::synth::DedupExact(&pairs);
  uint64_t near = kg::synth::DedupNear(&pairs, {0.9, 5});
  double dedup_s = Seconds(td), dedup_cpu = CpuSeconds() - cd;
  std::printf(
      "dedup %zu pairs: exact %llu + near %llu removed in %.2f s, CPU %.2f s (peer: exact dedup "
      "alone %.2f s, CPU %.2f s, %llu removed; ratio %.1fx wall, %.1fx CPU)\n",
      n, static_cast<unsigned long long>(exact), static_cast<unsigned long long>(near), dedup_s,
      dedup_cpu, exact_s, exact_cpu, static_cast<unsigned long long>(exact_only), dedup_s / exact_s,
      dedup_cpu / exact_cpu);
  fs::remove_all(work, ec);
  return 0;
}
