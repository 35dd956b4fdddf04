// http_bench: HTTP overhead and throughput of codekgd.
//
//   http_bench [--source DIR] [--duration S] [--connections N] [--soak S] [--wrk PATH]
//
// Ingests DIR (default: the repository's samples/python) into a temp data folder through a real
// in-process codekg Server (the same code codekgd runs), serves it on a loopback port, and drives
// it with wrk (keep-alive, 2 threads, a Lua script for the POST body) for
//   point   MATCH (c:Class) WHERE c.name = 'X' RETURN c.qualified_name       (one index lookup)
//   2-hop   MATCH (c:Class)-[:HAS_METHOD]->(m)-[:CALLS]->(f) WHERE c.name = 'X' RETURN m.name,
//   f.name
// and runs the same queries in-process (query::ExecuteQuery, 2 threads, same duration) as the
// peer, printing throughput, p50/p99 and the ratios. Then a soak: wrk on the point query for
// --soak seconds while another thread re-ingests a changing copy of DIR in a loop; every non-200
// response, socket error and failed ingest is counted. Targets (issue 6): point >= 10k q/s,
// p99 < 5 ms, zero soak errors.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

#include "ingest/ingest.h"
#include "query/engine.h"
#include "server/server.h"

namespace kg::bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Args {
  std::string source = std::string(CODEKG_SOURCE_DIR) + "/samples/python";
  int duration_s = 10;
  int connections = 8;
  int soak_s = 60;
  std::string wrk = "wrk";
};

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "http_bench: %s\n", what.c_str());
  std::exit(1);
}

Args ParseArgs(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string f = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) Die(f + " needs a value");
      return argv[++i];
    };
    if (f == "--source") {
      a.source = next();
    } else if (f == "--duration") {
      a.duration_s = std::atoi(next().c_str());
    } else if (f == "--connections") {
      a.connections = std::atoi(next().c_str());
    } else if (f == "--soak") {
      a.soak_s = std::atoi(next().c_str());
    } else if (f == "--wrk") {
      a.wrk = next();
    } else {
      Die("usage: http_bench [--source DIR] [--duration S] [--connections N] [--soak S] "
          "[--wrk PATH]");
    }
  }
  if (a.duration_s < 1 || a.connections < 1 || a.soak_s < 0) Die("bad numbers");
  return a;
}

struct WrkResult {
  double rps = 0, p50_ms = 0, p99_ms = 0;
  uint64_t requests = 0, non_2xx = 0, socket_errors = 0;
};

double ToMs(const std::string& num, const std::string& unit) {
  double v = std::atof(num.c_str());
  if (unit == "us") return v / 1000;
  if (unit == "s") return v * 1000;
  if (unit == "m") return v * 60000;
  return v;  // ms
}

std::string RunCapture(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) Die("cannot run " + cmd);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  int rc = pclose(p);
  if (rc != 0) Die("'" + cmd + "' failed:\n" + out);
  return out;
}

WrkResult RunWrk(const Args& args, int port, const std::string& lua, int seconds) {
  std::string cmd = args.wrk + " -t2 -c" + std::to_string(args.connections) + " -d" +
                    std::to_string(seconds) + "s --latency -s " + lua +
                    " http://127.0.0.1:" + std::to_string(port) + "/v1/graphs/bench/query 2>&1";
  std::string out = RunCapture(cmd);
  WrkResult r;
  std::smatch m;
  if (std::regex_search(out, m, std::regex(R"(Requests/sec:\s+([0-9.]+))"))) {
    r.rps = std::atof(m[1].str().c_str());
  } else {
    Die("cannot parse wrk output:\n" + out);
  }
  if (std::regex_search(out, m, std::regex(R"(50%\s+([0-9.]+)(us|ms|s|m))"))) {
    r.p50_ms = ToMs(m[1], m[2]);
  }
  if (std::regex_search(out, m, std::regex(R"(99%\s+([0-9.]+)(us|ms|s|m))"))) {
    r.p99_ms = ToMs(m[1], m[2]);
  }
  if (std::regex_search(out, m, std::regex(R"((\d+) requests in)"))) {
    r.requests = std::strtoull(m[1].str().c_str(), nullptr, 10);
  }
  if (std::regex_search(out, m, std::regex(R"(Non-2xx or 3xx responses:\s+(\d+))"))) {
    r.non_2xx = std::strtoull(m[1].str().c_str(), nullptr, 10);
  }
  if (std::regex_search(
          out, m,
          std::regex(R"(Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+))"))) {
    for (int i = 1; i <= 4; ++i) r.socket_errors += std::strtoull(m[i].str().c_str(), nullptr, 10);
  }
  return r;
}

std::string LuaScript(const std::string& dir, const std::string& name, const std::string& body) {
  std::string path = dir + "/" + name + ".lua";
  std::string escaped;
  for (char c : body) {
    if (c == '\\' || c == '"') escaped.push_back('\\');
    escaped.push_back(c);
  }
  std::ofstream(path) << "wrk.method = \"POST\"\n"
                      << "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
                      << "wrk.body = \"" << escaped << "\"\n";
  return path;
}

struct InProcess {
  double rps = 0, p50_ms = 0, p99_ms = 0;
};

// The same query through query::ExecuteQuery on 2 threads for `seconds`.
InProcess RunInProcess(storage::GraphStore& store, const std::string& q, int seconds) {
  std::vector<std::vector<double>> lat(2);
  std::atomic<bool> stop{false};
  std::atomic<bool> failed{false};
  std::vector<std::thread> threads;
  auto start = Clock::now();
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      while (!stop) {
        auto s = Clock::now();
        auto r = query::ExecuteQuery(store, "bench", q, query::QueryOptions());
        if (!r.ok()) failed = true;
        lat[t].push_back(std::chrono::duration<double, std::milli>(Clock::now() - s).count());
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  stop = true;
  for (auto& th : threads) th.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  if (failed) Die("in-process query failed: " + q);
  std::vector<double> all;
  for (auto& v : lat) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  InProcess r;
  r.rps = static_cast<double>(all.size()) / elapsed;
  r.p50_ms = all[all.size() / 2];
  r.p99_ms = all[std::min(all.size() - 1, all.size() * 99 / 100)];
  return r;
}

// A class name with methods that call something, for both queries to have rows.
std::string PickClass(storage::GraphStore& store) {
  auto r = query::ExecuteQuery(store, "bench",
                               "MATCH (c:Class)-[:HAS_METHOD]->(m)-[:CALLS]->(f) "
                               "RETURN c.name, count(f) AS n ORDER BY n DESC, c.name LIMIT 1",
                               query::QueryOptions());
  if (!r.ok() || r->rows.empty()) Die("no class with calling methods in the source");
  if (!r->rows[0][0].is_string()) Die("unexpected class name value");
  return r->rows[0][0].as_string();
}

int Main(int argc, char** argv) {
  Args args = ParseArgs(argc, argv);
  std::string tmpl = (fs::temp_directory_path() / "codekg_http_bench_XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) Die("mkdtemp failed");
  const std::string dir = tmpl;

  server::ServerOptions options;
  options.data_dir = dir + "/data";
  options.port = 0;
  // httplib serves a keep-alive connection on one thread: one per wrk connection, plus spares
  // for the soak's ingest requests.
  options.threads = args.connections + 4;
  auto srv = server::Server::Open(options);
  if (!srv.ok()) Die(srv.status().ToString());
  storage::GraphStore& store = (*srv)->context().store();
  auto t0 = Clock::now();
  if (auto s = store.EnsureGraph("bench"); !s.ok()) Die(s.ToString());
  auto report = ingest::IngestPath(store, "bench", args.source);
  if (!report.ok()) Die("ingest: " + report.status().ToString());
  auto info = store.GetGraph("bench");
  std::printf("http_bench: %s: %llu nodes, %llu edges, %llu files (ingested in %.1f s)\n",
              args.source.c_str(), static_cast<unsigned long long>(info->node_count),
              static_cast<unsigned long long>(info->edge_count),
              static_cast<unsigned long long>(info->file_count),
              std::chrono::duration<double>(Clock::now() - t0).count());
  std::string cls = PickClass(store);
  const std::string point = "MATCH (c:Class) WHERE c.name = '" + cls + "' RETURN c.qualified_name";
  const std::string two_hop = "MATCH (c:Class)-[:HAS_METHOD]->(m)-[:CALLS]->(f) WHERE c.name = '" +
                              cls + "' RETURN m.name, f.name";

  auto port = (*srv)->Bind();
  if (!port.ok()) Die(port.status().ToString());
  std::thread serve([&] { (void)(*srv)->Serve(); });
  httplib::Client probe("127.0.0.1", *port);
  for (int i = 0; i < 100 && !probe.Get("/healthz"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::printf("wrk: 2 threads, %d keep-alive connections, %d s per run; in-process: 2 threads\n\n",
              args.connections, args.duration_s);

  struct Row {
    const char* name;
    std::string query;
    WrkResult http;
    InProcess local;
  };
  std::vector<Row> rows = {{"point", point, {}, {}}, {"2-hop", two_hop, {}, {}}};
  for (Row& row : rows) {
    std::string body = "{\"query\": \"" + row.query + "\"}";
    row.http = RunWrk(args, *port, LuaScript(dir, row.name, body), args.duration_s);
    row.local = RunInProcess(store, row.query, args.duration_s);
  }
  std::printf("| %-6s | %12s | %9s | %9s | %12s | %9s | %9s | %10s | %7s |\n", "query", "http q/s",
              "http p50", "http p99", "inproc q/s", "inp p50", "inp p99", "http/inproc", "errors");
  std::printf(
      "|--------|--------------|-----------|-----------|--------------|-----------|"
      "-----------|------------|---------|\n");
  for (const Row& r : rows) {
    std::printf(
        "| %-6s | %12.0f | %7.3fms | %7.3fms | %12.0f | %7.3fms | %7.3fms | %10.2f | %7llu |\n",
        r.name, r.http.rps, r.http.p50_ms, r.http.p99_ms, r.local.rps, r.local.p50_ms,
        r.local.p99_ms, r.local.rps > 0 ? r.http.rps / r.local.rps : 0.0,
        static_cast<unsigned long long>(r.http.non_2xx + r.http.socket_errors));
  }
  const Row& p = rows[0];
  std::printf("\ntarget point >= 10000 q/s: %s (%.0f); p99 < 5 ms: %s (%.3f ms)\n",
              p.http.rps >= 10000 ? "MET" : "MISSED", p.http.rps,
              p.http.p99_ms < 5 ? "MET" : "MISSED", p.http.p99_ms);

  if (args.soak_s > 0) {
    // Soak: wrk on the point query while a client re-ingests a changing copy of the source.
    std::string copy = dir + "/soak_src";
    fs::copy(args.source, copy, fs::copy_options::recursive);
    std::atomic<bool> stop{false};
    std::atomic<uint64_t> ingests{0}, ingest_errors{0};
    std::thread writer([&] {
      httplib::Client c("127.0.0.1", *port);
      c.set_read_timeout(std::chrono::seconds(120));
      std::string body = "{\"path\": \"" + copy + "\"}";
      for (int i = 0; !stop; ++i) {
        std::ofstream(copy + "/zz_soak_" + std::to_string(i % 3) + ".py")
            << "class Soak" << i << ":\n    def go(self):\n        return " << i << "\n";
        auto r = c.Post("/v1/graphs/soak/ingest?wait=true", body, "application/json");
        ++ingests;
        if (!r || r->status != 200) ++ingest_errors;
      }
    });
    std::string lua = LuaScript(dir, "soak", "{\"query\": \"" + point + "\"}");
    WrkResult soak = RunWrk(args, *port, lua, args.soak_s);
    stop = true;
    writer.join();
    uint64_t errors = soak.non_2xx + soak.socket_errors + ingest_errors;
    std::printf(
        "\nsoak %d s: %llu queries (%.0f q/s, p99 %.3f ms) with %llu concurrent ingests: "
        "%llu errors (non-2xx %llu, socket %llu, ingest %llu) -> %s\n",
        args.soak_s, static_cast<unsigned long long>(soak.requests), soak.rps, soak.p99_ms,
        static_cast<unsigned long long>(ingests.load()), static_cast<unsigned long long>(errors),
        static_cast<unsigned long long>(soak.non_2xx),
        static_cast<unsigned long long>(soak.socket_errors),
        static_cast<unsigned long long>(ingest_errors.load()), errors == 0 ? "MET" : "MISSED");
  }

  (*srv)->Stop();
  serve.join();
  (*srv)->Close();
  std::error_code ec;
  fs::remove_all(dir, ec);
  return 0;
}

}  // namespace
}  // namespace kg::bench

int main(int argc, char** argv) { return kg::bench::Main(argc, argv); }
