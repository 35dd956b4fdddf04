// crash_loop: kill -9 codekgd again and again under load, and check after every restart that
// nothing acknowledged was lost.
//
// Each round starts codekgd on the same data folder, checks the previous rounds' promises, then
// drives, over real HTTP and at the same time,
//   - ingests (?wait=true) of small Python trees whose files change version between ingests;
//     a 200 answer is an acknowledgement of that exact version of every file,
//   - synthesis jobs (202 answers are acknowledged jobs),
//   - a query storm on two connections,
// and kills the server with SIGKILL at a random moment. After the restart it checks:
//   1. every job acknowledged so far exists; once the resumed jobs settle, none is left queued or
//      running, and each succeeded or failed/cancelled with an error saying why;
//   2. every acknowledged ingest is present and whole: each file of the graph has the content
//      hash (SHA-256) of the acknowledged version of that file, or of the version a later
//      (unacknowledged, then resumed) ingest wrote; no file is missing, none is extra; when the
//      graph's last ingest job succeeded, the graph equals the tree on disk exactly;
//   3. fsck of every graph is clean (POST /v1/graphs/{g}/fsck);
//   4. a succeeded synthesis job's results are whole JSON lines, as many as its summary says;
//   5. queries answer.
// Usage: crash_loop --codekgd PATH [--kills N] [--seed S] [--max-kill-ms M] [--keep]
// Exit status 0 when every check passed; the summary line gives the counts.
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "ingest/sha256.h"
#include "tests/server/codekgd_process.h"

namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
using kg::server::testing::CodekgdProcess;

constexpr int kGraphs = 3;
constexpr int kFilesPerTree = 16;

int g_failures = 0;

void Fail(const std::string& what) {
  ++g_failures;
  std::fprintf(stderr, "crash_loop: FAIL: %s\n", what.c_str());
}

// One Python tree on disk, one graph. File i of version v has a known text.
struct Tree {
  std::string graph;
  std::string root;
  int version = 0;                                       // version on disk now
  std::map<std::string, std::string> acked;              // path -> hash of the acknowledged version
  std::map<std::string, std::set<std::string>> allowed;  // path -> hashes that may be stored
  bool ever_acked = false;
};

std::string FileText(const std::string& graph, int file, int version) {
  std::ostringstream out;
  out << "\"\"\"Module " << file << " of " << graph << ", version " << version << ".\"\"\"\n"
      << "import os\n\n"
      << "VERSION = " << version << "\n\n";
  // The shape changes with the version, so facts (not only text) differ between versions.
  for (int c = 0; c < 3 + (version + file) % 4; ++c) {
    out << "class C" << file << "_" << c << "_v" << version << "(object):\n"
        << "    def run_" << c << "(self, x):\n"
        << "        return os.path.join(str(x), '" << version << "')\n\n"
        << "def f" << file << "_" << c << "(a):\n"
        << "    return C" << file << "_" << c << "_v" << version << "().run_" << c << "(a)\n\n";
  }
  return out.str();
}

// Writes version `v` of the tree (atomically per file: write + rename).
void WriteVersion(Tree& t, int v) {
  for (int i = 0; i < kFilesPerTree; ++i) {
    std::string rel = "pkg" + std::to_string(i % 4) + "/mod" + std::to_string(i) + ".py";
    fs::create_directories((fs::path(t.root) / rel).parent_path());
    std::string text = FileText(t.graph, i, v);
    std::string tmp = t.root + "/.tmp";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out << text;
    }
    fs::rename(tmp, fs::path(t.root) / rel);
    t.allowed[rel].insert(kg::ingest::Sha256Hex(text));
  }
  t.version = v;
}

std::map<std::string, std::string> HashesOnDisk(const Tree& t) {
  std::map<std::string, std::string> out;
  for (int i = 0; i < kFilesPerTree; ++i) {
    std::string rel = "pkg" + std::to_string(i % 4) + "/mod" + std::to_string(i) + ".py";
    out[rel] = kg::ingest::Sha256Hex(FileText(t.graph, i, t.version));
  }
  return out;
}

struct Counters {
  std::atomic<int> ingests_acked{0}, ingests_unacked{0}, synth_acked{0}, queries_ok{0},
      queries_failed{0};
  int jobs_resumed = 0, jobs_failed_truthfully = 0, checks = 0, fscks = 0, restarts = 0;
};

class Loop {
 public:
  Loop(std::string binary, std::string work, uint64_t seed, int max_kill_ms)
      : binary_(std::move(binary)), work_(std::move(work)), rng_(seed), max_kill_ms_(max_kill_ms) {
    for (int g = 0; g < kGraphs; ++g) {
      Tree t;
      t.graph = "g" + std::to_string(g);
      t.root = work_ + "/trees/" + t.graph;
      WriteVersion(t, 0);
      trees_.push_back(std::move(t));
    }
  }

  bool Start() {
    std::string error;
    proc_ = CodekgdProcess::Start(binary_,
                                  {"--data", work_ + "/data", "--port", "0", "--threads", "8",
                                   "--job-workers", "2", "--keep-alive-s", "2"},
                                  &error, work_ + "/codekgd.log");
    if (!proc_) {
      Fail("codekgd did not start: " + error);
      return false;
    }
    ++counters_.restarts;
    return true;
  }

  std::unique_ptr<httplib::Client> Client() {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", proc_->port());
    c->set_connection_timeout(2s);
    c->set_read_timeout(60s);
    c->set_write_timeout(10s);
    return c;
  }

  // Checks every promise made so far. REQUIRES: the server is up.
  void Verify(bool final_round) {
    ++counters_.checks;
    auto c = Client();
    // 1. Jobs: every acknowledged one exists; wait for resumed ones to settle.
    auto deadline = std::chrono::steady_clock::now() + 60s;
    Json jobs;
    while (true) {
      auto r = c->Get("/v1/jobs?limit=10000");
      if (!r || r->status != 200) {
        Fail("GET /v1/jobs failed");
        return;
      }
      jobs = Json::parse(r->body)["jobs"];
      bool busy = false;
      for (const Json& j : jobs) {
        std::string s = j.value("state", "");
        if (s == "queued" || s == "running") busy = true;
      }
      if (!busy) break;
      if (std::chrono::steady_clock::now() > deadline) {
        Fail("jobs still queued/running 60 s after restart: " + jobs.dump().substr(0, 500));
        return;
      }
      std::this_thread::sleep_for(50ms);
    }
    std::map<std::string, Json> by_id;
    for (const Json& j : jobs) by_id[j.value("id", "")] = j;
    for (const std::string& id : acked_jobs_) {
      auto it = by_id.find(id);
      if (it == by_id.end()) {
        Fail("acknowledged job " + id + " is gone");
        continue;
      }
      const Json& j = it->second;
      std::string s = j.value("state", "");
      if (s != "succeeded" && s != "failed" && s != "cancelled") Fail("job " + id + " is " + s);
      if (s != "succeeded" && (!j.contains("error") || !j["error"].is_object() ||
                               j["error"].value("message", "").empty())) {
        Fail("job " + id + " is " + s + " without an error saying why: " + j.dump());
      }
    }
    for (const Json& j : jobs) {
      std::string id = j.value("id", "");
      if (j.value("attempts", 1) > 1 && !resumed_seen_.count(id)) {
        resumed_seen_.insert(id);
        ++counters_.jobs_resumed;
        if (j.value("state", "") != "succeeded") ++counters_.jobs_failed_truthfully;
      }
      // 4. Results of succeeded synthesis jobs are whole.
      if (j.value("kind", "") == "synth" && j.value("state", "") == "succeeded" &&
          !checked_results_.count(id)) {
        checked_results_.insert(id);
        auto r = c->Get("/v1/jobs/" + id + "/results");
        if (!r || r->status != 200) {
          Fail("results of succeeded job " + id + " unreadable");
          continue;
        }
        std::istringstream lines(r->body);
        std::string line;
        int64_t n = 0;
        while (std::getline(lines, line)) {
          if (!Json::accept(line)) {
            Fail("results of job " + id + " have a broken line: " + line.substr(0, 100));
            break;
          }
          ++n;
        }
        int64_t pairs = j["summary"].is_object() ? j["summary"].value("pairs", int64_t{-1}) : -1;
        if (pairs >= 0 && pairs != n) {
          Fail("job " + id + ": summary says " + std::to_string(pairs) + " pairs, results have " +
               std::to_string(n));
        }
      }
    }
    // Last ingest job per graph (jobs are newest first).
    std::map<std::string, std::string> last_ingest_state;
    for (const Json& j : jobs) {
      if (j.value("kind", "") != "ingest") continue;
      last_ingest_state.emplace(j.value("graph", ""), j.value("state", ""));
    }
    // 2. Acknowledged ingests are present and whole; 3. fsck clean.
    for (Tree& t : trees_) {
      if (!t.ever_acked) continue;
      Json body = {{"query", "MATCH (f:File) RETURN f.path, f.hash"}, {"limit", 100000}};
      auto r = c->Post("/v1/graphs/" + t.graph + "/query", body.dump(), "application/json");
      if (!r || r->status != 200) {
        Fail("graph " + t.graph + " with acknowledged ingests cannot be queried: " +
             (r ? r->body : std::string("no answer")));
        continue;
      }
      std::map<std::string, std::string> stored;
      Json answer = Json::parse(r->body);
      for (const Json& row : answer["rows"]) {
        stored[row[0].get<std::string>()] = row[1].is_string() ? row[1].get<std::string>() : "";
      }
      // After a succeeded last ingest the graph is one whole version: the tree on disk (the
      // resumed or last answered ingest) or the acknowledged one (a newer version was written
      // but its ingest never reached the server).
      if (last_ingest_state[t.graph] == "succeeded") {
        std::map<std::string, std::string> disk = HashesOnDisk(t);
        if (stored != disk && stored != t.acked) {
          int as_disk = 0, as_acked = 0, other = 0;
          for (const auto& [path, hash] : stored) {
            if (disk[path] == hash) {
              ++as_disk;
            } else if (t.acked[path] == hash) {
              ++as_acked;
            } else {
              ++other;
            }
          }
          Fail(t.graph + ": after a succeeded ingest the graph is neither the tree on disk (v" +
               std::to_string(t.version) +
               ") nor the acknowledged version: " + std::to_string(stored.size()) + " files, " +
               std::to_string(as_disk) + " as on disk, " + std::to_string(as_acked) +
               " as acknowledged, " + std::to_string(other) + " other");
        }
        t.acked = stored;
      }
      for (const auto& [path, hash] : t.acked) {
        auto it = stored.find(path);
        if (it == stored.end()) {
          Fail(t.graph + ": acknowledged file " + path + " is missing");
          continue;
        }
        if (it->second != hash && !t.allowed[path].count(it->second)) {
          Fail(t.graph + ": " + path + " has a hash of no version that was ever ingested");
        }
      }
      for (const auto& [path, hash] : stored) {
        if (!t.acked.count(path)) Fail(t.graph + ": extra file " + path);
      }
      auto f = c->Post("/v1/graphs/" + t.graph + "/fsck", "", "application/json");
      ++counters_.fscks;
      if (!f || f->status != 200) {
        Fail("fsck of " + t.graph + " failed to run");
      } else {
        Json fj = Json::parse(f->body, nullptr, false);
        if (!fj.is_object() || !fj["fsck"].value("ok", false)) {
          Fail("fsck of " + t.graph + " is not clean: " + f->body.substr(0, 500));
        }
      }
    }
    // 5. Queries answer.
    Json q = {{"query", "MATCH (c:Class) RETURN count(c)"}};
    for (Tree& t : trees_) {
      if (!t.ever_acked) continue;
      auto r = c->Post("/v1/graphs/" + t.graph + "/query", q.dump(), "application/json");
      if (!r || r->status != 200) Fail("query on " + t.graph + " failed after restart");
    }
    (void)final_round;
  }

  // Drives the workload until `stop`. Threads report acknowledgements under mu_.
  void Drive(std::atomic<bool>& stop, uint64_t seed) {
    std::vector<std::thread> threads;
    // Ingest: one tree at a time, never two ingests of one graph at once.
    threads.emplace_back([this, &stop, seed] {
      std::mt19937_64 rng(seed);
      auto c = Client();
      while (!stop) {
        Tree& t = trees_[rng() % trees_.size()];
        // A new version on disk (only when no ingest of this graph is in flight: this thread is
        // the only ingester and the previous one was answered or the server died).
        if (t.ever_acked || rng() % 2 == 0) WriteVersion(t, t.version + 1);
        Json body = {{"path", t.root}};
        auto r =
            c->Post("/v1/graphs/" + t.graph + "/ingest?wait=true", body.dump(), "application/json");
        if (r && r->status == 200) {
          std::lock_guard<std::mutex> lock(mu_);
          t.acked = HashesOnDisk(t);
          t.ever_acked = true;
          ++counters_.ingests_acked;
          Json j = Json::parse(r->body, nullptr, false);
          if (j.is_object() && j.contains("job")) acked_jobs_.insert(j["job"].value("id", ""));
        } else {
          ++counters_.ingests_unacked;
          if (r && r->status != 503 && r->status < 500 && r->status != 409) {
            Fail("ingest answered " + std::to_string(r->status) + ": " + r->body.substr(0, 300));
          }
          if (!r) return;  // the server is gone
        }
      }
    });
    // Synthesis: asynchronous jobs on graphs that have data.
    threads.emplace_back([this, &stop, seed] {
      std::mt19937_64 rng(seed + 1);
      auto c = Client();
      while (!stop) {
        std::string graph;
        {
          std::lock_guard<std::mutex> lock(mu_);
          for (const Tree& t : trees_) {
            if (t.ever_acked && rng() % 2 == 0) graph = t.graph;
          }
        }
        if (graph.empty()) {
          std::this_thread::sleep_for(20ms);
          continue;
        }
        Json body = {{"seed", static_cast<int>(rng() % 1000)}, {"count", 100}};
        auto r = c->Post("/v1/graphs/" + graph + "/synth", body.dump(), "application/json");
        if (!r) return;
        if (r->status == 202) {
          std::lock_guard<std::mutex> lock(mu_);
          acked_jobs_.insert(Json::parse(r->body)["job"].value("id", ""));
          ++counters_.synth_acked;
        } else if (r->status != 404) {
          Fail("synth answered " + std::to_string(r->status) + ": " + r->body.substr(0, 300));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200 + rng() % 400));
      }
    });
    // Query storm.
    for (int q = 0; q < 2; ++q) {
      threads.emplace_back([this, &stop, q] {
        auto c = Client();
        const char* queries[] = {
            "MATCH (c:Class)-[:HAS_METHOD]->(m) RETURN c.name, m.name LIMIT 50",
            "MATCH (f:Function)-[:CALLS]->(x) RETURN f.name, x.name LIMIT 50",
            "MATCH (n) RETURN labels(n)[0] AS l, count(*) ORDER BY l"};
        for (int i = 0; !stop; ++i) {
          Json body = {{"query", queries[i % 3]}};
          std::string graph = "g" + std::to_string((i + q) % kGraphs);
          auto r = c->Post("/v1/graphs/" + graph + "/query", body.dump(), "application/json");
          if (!r) return;
          if (r->status == 200) {
            ++counters_.queries_ok;
          } else if (r->status != 404) {
            ++counters_.queries_failed;
            Fail("query answered " + std::to_string(r->status) + ": " + r->body.substr(0, 300));
          }
        }
      });
    }
    std::mt19937_64 rng(seed + 7);
    auto until =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(50 + rng() % max_kill_ms_);
    while (std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(5ms);
    // kill -9 while everything runs.
    kill(proc_->pid(), SIGKILL);
    stop = true;
    for (auto& th : threads) th.join();
    proc_.reset();  // reaps the child
  }

  int Run(int kills) {
    auto start = std::chrono::steady_clock::now();
    for (int k = 0; k < kills; ++k) {
      if (!Start()) return 1;
      Verify(false);
      std::atomic<bool> stop{false};
      Drive(stop, rng_());
      if (g_failures > 0) break;
    }
    // Final restart: everything must hold, then a clean SIGTERM.
    if (Start()) {
      Verify(true);
      int code = proc_->SignalAndWait(SIGTERM);
      if (code != 0) Fail("SIGTERM exit code " + std::to_string(code));
      proc_.reset();
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf(
        "crash_loop: kills=%d restarts=%d seconds=%.1f ingests_acked=%d ingests_unacked=%d "
        "synth_acked=%d jobs_resumed=%d jobs_resumed_not_succeeded=%d checks=%d fscks=%d "
        "queries_ok=%d queries_failed=%d failures=%d\n",
        kills, counters_.restarts, secs, counters_.ingests_acked.load(),
        counters_.ingests_unacked.load(), counters_.synth_acked.load(), counters_.jobs_resumed,
        counters_.jobs_failed_truthfully, counters_.checks, counters_.fscks,
        counters_.queries_ok.load(), counters_.queries_failed.load(), g_failures);
    return g_failures == 0 ? 0 : 1;
  }

 private:
  std::string binary_, work_;
  std::mt19937_64 rng_;
  int max_kill_ms_;
  std::vector<Tree> trees_;
  std::unique_ptr<CodekgdProcess> proc_;
  std::mutex mu_;
  std::set<std::string> acked_jobs_;  // GUARDED_BY(mu_) while Drive runs
  std::set<std::string> resumed_seen_, checked_results_;
  Counters counters_;
};

}  // namespace

int main(int argc, char** argv) {
  std::string binary;
  int kills = 20;
  uint64_t seed = 1;
  int max_kill_ms = 1500;
  bool keep = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "crash_loop: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--codekgd") {
      binary = next();
    } else if (a == "--kills") {
      kills = std::atoi(next().c_str());
    } else if (a == "--seed") {
      seed = std::strtoull(next().c_str(), nullptr, 10);
    } else if (a == "--max-kill-ms") {
      max_kill_ms = std::max(1, std::atoi(next().c_str()));
    } else if (a == "--keep") {
      keep = true;
    } else {
      std::fprintf(stderr,
                   "usage: crash_loop --codekgd PATH [--kills N] [--seed S] [--max-kill-ms M] "
                   "[--keep]\n");
      return 2;
    }
  }
  if (binary.empty()) {
    std::fprintf(stderr, "crash_loop: --codekgd PATH is required\n");
    return 2;
  }
  kg::server::testing::TempDir dir;
  if (dir.path().empty()) return 2;
  int rc;
  {
    Loop loop(binary, dir.path(), seed, max_kill_ms);
    rc = loop.Run(kills);
  }
  if (keep) {
    std::string kept = dir.path() + "_kept";
    std::error_code ec;
    fs::rename(dir.path(), kept, ec);
    std::printf("crash_loop: data kept in %s\n", kept.c_str());
  }
  return rc;
}
