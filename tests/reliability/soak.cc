// soak: readers, ingest and synthesis against one codekgd at the same time, on loopback, for a
// set time. Every request must succeed (no errors, no dropped connections); codekgd's resident
// memory (VmRSS from /proc/<pid>/status) is sampled every second and its growth from the end of
// the warm-up to the end is reported (and bounded by --max-rss-growth-mb); query latency
// percentiles are reported per kind.
// Usage: soak --codekgd PATH [--seconds N] [--readers R] [--max-rss-growth-mb M]
//             [--max-requests K] [--sample-every S] [-- CODEKGD_FLAGS...]
// Flags after "--" go to codekgd (e.g. smaller memory budgets: -- --block-cache-mb 16).
// Each reader thread runs at most --max-requests requests (bounded request counts).
// --sample-every S prints a line every S seconds: elapsed time, RSS, request/ingest/synth counts
// and errors so far, and storage's memory parts from /metrics (the RSS curve of a long run:
// plateau or steady growth, and which part grows).
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "tests/server/codekgd_process.h"

namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::atomic<int> g_errors{0};

void Error(const std::string& what) {
  if (++g_errors <= 20) std::fprintf(stderr, "soak: ERROR: %s\n", what.c_str());
}

long RssKb(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

// Storage's memory parts from GET /metrics (codekgd_memory_bytes{part=...}), in MiB, as
// "memtables=M block_cache=B adjacency_index=A table_readers=T" ("metrics unreadable" on error).
std::string StorageMemory(httplib::Client& c) {
  auto r = c.Get("/metrics");
  if (!r || r->status != 200) return "metrics unreadable";
  std::string out;
  for (const char* part : {"memtables", "block_cache", "adjacency_index", "table_readers"}) {
    const std::string series = std::string("codekgd_memory_bytes{part=\"") + part + "\"} ";
    size_t at = r->body.find(series);
    if (at == std::string::npos) return "metrics without " + std::string(part);
    double mb = std::atof(r->body.c_str() + at + series.size()) / (1 << 20);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s%s=%.1fMB", out.empty() ? "" : " ", part, mb);
    out += buf;
  }
  return out;
}

// A Python tree of `files` modules; `version` changes every file's content.
void WriteTree(const std::string& root, int files, int version) {
  for (int i = 0; i < files; ++i) {
    std::string dir = root + "/pkg" + std::to_string(i % 5);
    fs::create_directories(dir);
    std::ofstream out(dir + "/m" + std::to_string(i) + ".py");
    out << "import os\n\nV = " << version << "\n\n";
    for (int c = 0; c < 4; ++c) {
      out << "class K" << i << "_" << c << ":\n"
          << "    \"\"\"Class " << c << " of module " << i << ".\"\"\"\n"
          << "    def go(self, x):\n"
          << "        return os.path.basename(str(x)) + '" << version << "'\n\n"
          << "def use" << i << "_" << c << "(y):\n"
          << "    return K" << i << "_" << c << "().go(y)\n\n";
    }
  }
}

struct Latencies {
  std::mutex mu;
  std::vector<double> ms;
  void Add(double v) {
    std::lock_guard<std::mutex> lock(mu);
    ms.push_back(v);
  }
  std::string Summary() {
    std::lock_guard<std::mutex> lock(mu);
    if (ms.empty()) return "n=0";
    std::sort(ms.begin(), ms.end());
    auto pct = [&](double p) { return ms[std::min(ms.size() - 1, size_t(p * ms.size()))]; };
    char buf[160];
    std::snprintf(buf, sizeof(buf), "n=%zu p50=%.2fms p99=%.2fms max=%.2fms", ms.size(), pct(0.5),
                  pct(0.99), ms.back());
    return buf;
  }
};

}  // namespace

int main(int argc, char** argv) {
  std::string binary;
  int seconds = 20, readers = 4;
  long max_growth_mb = 200;
  long max_requests = 1000000;
  int sample_every = 0;
  std::vector<std::string> server_args;  // after "--": passed to codekgd as they are
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--") {
      server_args.assign(argv + i + 1, argv + argc);
      break;
    }
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "soak: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--codekgd") {
      binary = next();
    } else if (a == "--seconds") {
      seconds = std::max(2, std::atoi(next().c_str()));
    } else if (a == "--readers") {
      readers = std::max(1, std::atoi(next().c_str()));
    } else if (a == "--max-rss-growth-mb") {
      max_growth_mb = std::atol(next().c_str());
    } else if (a == "--max-requests") {
      max_requests = std::max(1L, std::atol(next().c_str()));
    } else if (a == "--sample-every") {
      sample_every = std::max(0, std::atoi(next().c_str()));
    } else {
      std::fprintf(stderr,
                   "usage: soak --codekgd PATH [--seconds N] [--readers R] "
                   "[--max-rss-growth-mb M] [--max-requests K] [--sample-every S] "
                   "[-- CODEKGD_FLAGS...]\n");
      return 2;
    }
  }
  if (binary.empty()) {
    std::fprintf(stderr, "soak: --codekgd PATH is required\n");
    return 2;
  }
  kg::server::testing::TempDir dir;
  std::string tree = dir.path() + "/tree";
  WriteTree(tree, 60, 0);
  std::string error;
  std::vector<std::string> args = {"--data", dir.path() + "/data", "--port",
                                   "0",      "--threads",          std::to_string(readers + 4)};
  args.insert(args.end(), server_args.begin(), server_args.end());
  auto proc =
      kg::server::testing::CodekgdProcess::Start(binary, args, &error, dir.path() + "/codekgd.log");
  if (!proc) {
    std::fprintf(stderr, "soak: codekgd did not start: %s\n", error.c_str());
    return 1;
  }
  int port = proc->port();
  auto client = [port] {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", port);
    c->set_keep_alive(true);
    c->set_read_timeout(120s);
    return c;
  };
  {
    auto c = client();
    auto r = c->Post("/v1/graphs/soak/ingest?wait=true", Json{{"path", tree}}.dump(),
                     "application/json");
    if (!r || r->status != 200) {
      std::fprintf(stderr, "soak: initial ingest failed\n");
      return 1;
    }
  }

  std::atomic<bool> stop{false};
  std::atomic<long> requests{0}, ingests{0}, synths{0};
  Latencies point, hop2, search;
  std::vector<std::thread> threads;
  for (int t = 0; t < readers; ++t) {
    threads.emplace_back([&, t] {
      auto c = client();
      for (long i = 0; !stop && i < max_requests; ++i) {
        auto start = Clock::now();
        Latencies* lat = &search;
        httplib::Result r = [&] {
          switch ((i + t) % 3) {
            case 0:
              lat = &point;
              return c->Post("/v1/graphs/soak/query",
                             Json{{"query", "MATCH (c:Class {name: $n}) RETURN c.id"},
                                  {"params", {{"n", "K" + std::to_string(i % 60) + "_1"}}}}
                                 .dump(),
                             "application/json");
            case 1:
              lat = &hop2;
              return c->Post(
                  "/v1/graphs/soak/query",
                  Json{{"query",
                        "MATCH (f:Function)-[:CALLS]->(m:Method)<-[:HAS_METHOD]-(k:Class) "
                        "WHERE f.name = $n RETURN k.name"},
                       {"params", {{"n", "use" + std::to_string(i % 60) + "_2"}}}}
                      .dump(),
                  "application/json");
            default:
              return c->Get("/v1/graphs/soak/search?q=K" + std::to_string(i % 60) + "&limit=5");
          }
        }();
        double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        ++requests;
        if (!r || r->status != 200) {
          Error("reader request failed: " +
                (r ? std::to_string(r->status) + " " + r->body.substr(0, 200)
                   : std::string("no answer (") + httplib::to_string(r.error()) + ")"));
          continue;
        }
        lat->Add(ms);
      }
    });
  }
  // Ingest: a new version of the tree, again and again.
  threads.emplace_back([&] {
    auto c = client();
    for (int v = 1; !stop; ++v) {
      WriteTree(tree, 60, v);
      auto r = c->Post("/v1/graphs/soak/ingest?wait=true", Json{{"path", tree}}.dump(),
                       "application/json");
      if (!r || r->status != 200) {
        Error("ingest failed: " + (r ? r->body.substr(0, 200) : std::string("no answer")));
      } else {
        ++ingests;
      }
      std::this_thread::sleep_for(200ms);
    }
  });
  // Synthesis: a job at a time, waited for.
  threads.emplace_back([&] {
    auto c = client();
    for (int s = 0; !stop; ++s) {
      auto r = c->Post("/v1/graphs/soak/synth?wait=true", Json{{"seed", s}, {"count", 300}}.dump(),
                       "application/json");
      if (!r || r->status != 200) {
        Error("synth failed: " + (r ? r->body.substr(0, 200) : std::string("no answer")));
        continue;
      }
      std::string id = Json::parse(r->body)["job"]["id"];
      auto res = c->Get("/v1/jobs/" + id + "/results");
      if (!res || res->status != 200) Error("synth results of " + id + " unreadable");
      ++synths;
    }
  });

  // RSS: sampled every second; growth measured from the end of a warm-up (a fifth of the run).
  auto begin = Clock::now();
  long warm_rss = -1, peak = 0, last = 0;
  int warm_s = std::max(1, seconds / 5);
  auto metrics_client = client();
  for (int s = 1; s <= seconds; ++s) {
    std::this_thread::sleep_until(begin + std::chrono::seconds(s));
    last = RssKb(proc->pid());
    peak = std::max(peak, last);
    if (s == warm_s) warm_rss = last;
    if (sample_every > 0 && s % sample_every == 0) {
      std::printf("soak: t=%ds rss_kb=%ld requests=%ld ingests=%ld synth_jobs=%ld errors=%d %s\n",
                  s, last, requests.load(), ingests.load(), synths.load(), g_errors.load(),
                  StorageMemory(*metrics_client).c_str());
      std::fflush(stdout);
    }
  }
  stop = true;
  for (auto& th : threads) th.join();
  double secs = std::chrono::duration<double>(Clock::now() - begin).count();
  long growth_kb = last - warm_rss;
  std::printf(
      "soak: seconds=%.1f readers=%d requests=%ld (%.0f/s) ingests=%ld synth_jobs=%ld "
      "errors=%d\n",
      secs, readers, requests.load(), requests.load() / secs, ingests.load(), synths.load(),
      g_errors.load());
  std::printf("soak: point query %s\n", point.Summary().c_str());
  std::printf("soak: 2-hop query %s\n", hop2.Summary().c_str());
  std::printf("soak: search %s\n", search.Summary().c_str());
  std::printf("soak: rss_kb after warm-up (%ds)=%ld end=%ld peak=%ld growth=%ld\n", warm_s,
              warm_rss, last, peak, growth_kb);
  std::printf("soak: storage memory at the end: %s\n", StorageMemory(*metrics_client).c_str());
  int code = proc->SignalAndWait(SIGTERM);
  if (code != 0) Error("codekgd exit code after SIGTERM: " + std::to_string(code));
  if (ingests == 0 || synths == 0) Error("no ingest or no synthesis finished during the soak");
  if (growth_kb > max_growth_mb * 1024) {
    Error("RSS grew by " + std::to_string(growth_kb / 1024) + " MB (limit " +
          std::to_string(max_growth_mb) + ")");
  }
  return g_errors == 0 ? 0 : 1;
}
