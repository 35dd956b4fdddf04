#pragma once
// ServerContext: what every handler may use (the store, the jobs, the options, the watches),
// owned by Server.
//
// Thread-safety: shared by all request threads. GraphStore, JobStore and JobManager are
// thread-safe; writers of one graph (ingest jobs, watch start, delete) additionally serialize on
// GraphWriteMutex(graph), because ingest::IngestPath must not run twice on one graph at once.
// A graph with an active watch (ingest::Watcher) belongs to the watcher: other writers refuse it.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/watch.h"
#include "server/job_manager.h"
#include "server/job_store.h"
#include "server/metrics.h"
#include "storage/graph_store.h"

namespace kg::server {

struct ServerOptions {
  std::string data_dir;  // RocksDB lives in <data_dir>/db, jobs in <data_dir>/jobs
  std::string host = "127.0.0.1";
  int port = 7420;                   // 0 = pick a free port
  int threads = 0;                   // request threads; 0 = max(4, hardware concurrency)
  size_t max_body_bytes = 8u << 20;  // larger request bodies get 413
  int64_t max_query_rows = 100000;   // upper bound for a query's `limit`
  int64_t default_query_rows = 10000;
  int64_t default_query_timeout_ms = 30000;
  int64_t max_query_timeout_ms = 600000;  // upper bound for a query's `timeout_ms`
  int64_t max_expansions = 10'000'000;    // query::QueryOptions::max_expansions
  int job_workers = 2;                    // jobs running at once
  int64_t job_retention = 1000;           // finished jobs kept (records + results); 0 = all
  int64_t block_cache_mb = 256;           // storage::Options::block_cache_bytes, in MiB
  int64_t adjacency_index_mb = 256;       // storage::Options::adjacency_index_bytes, in MiB
  int64_t write_buffer_mb = 128;          // storage::Options::write_buffer_bytes, in MiB
  int read_timeout_s = 5;                 // slow senders are disconnected after this
  int write_timeout_s = 5;                // slow readers are disconnected after this
  int keep_alive_s = 5;                   // idle keep-alive connections close after this
  // A request header must arrive within keep_alive_s + request_timeout_s of the connection going
  // idle (or opening), and its body within request_timeout_s of the header; slower clients are
  // disconnected (slowloris), so they cannot pin request threads.
  int request_timeout_s = 30;
  std::string token;        // when set, routes that write need "Authorization: Bearer <token>"
  bool auth_reads = false;  // with a token: every route but /healthz and /metrics needs it
  // Ingest roots must lie inside one of these (canonical) folders; empty = anywhere.
  std::vector<std::string> allowed_roots;
  bool access_log = false;  // one JSON line per request on stderr (see server.h)
};

class ServerContext {
 public:
  ServerContext(ServerOptions options, std::unique_ptr<storage::GraphStore> store,
                std::unique_ptr<JobStore> jobs)
      : options_(std::move(options)), store_(std::move(store)), jobs_(std::move(jobs)) {}
  ~ServerContext() { CloseStore(); }
  ServerContext(const ServerContext&) = delete;
  ServerContext& operator=(const ServerContext&) = delete;

  const ServerOptions& options() const { return options_; }
  storage::GraphStore& store() { return *store_; }
  JobStore& jobs() { return *jobs_; }
  Metrics& metrics() { return metrics_; }
  // REQUIRES: SetJobManager() was called (Server::Open does).
  JobManager& job_manager() { return *job_manager_; }
  void SetJobManager(std::unique_ptr<JobManager> manager) { job_manager_ = std::move(manager); }

  // ---- Watches (one per graph at most) ----
  // Registers the watcher of `graph`. AlreadyExists if the graph has one.
  // REQUIRES: GraphWriteMutex(graph) held.
  Status AddWatch(const std::string& graph, std::unique_ptr<ingest::Watcher> watcher) {
    std::lock_guard<std::mutex> lock(mu_);
    auto& slot = watches_[graph];
    if (slot) return Status::AlreadyExists("graph '" + graph + "' is already watched");
    slot = std::move(watcher);
    return Status::OK();
  }
  // The watched root of `graph`, or "" when none.
  std::string WatchedRoot(std::string_view graph) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = watches_.find(graph);
    return it == watches_.end() || !it->second ? std::string() : it->second->root();
  }
  // Stops and removes the watcher of `graph`; returns false when there was none.
  bool RemoveWatch(std::string_view graph) {
    std::unique_ptr<ingest::Watcher> w;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = watches_.find(graph);
      if (it == watches_.end() || !it->second) return false;
      w = std::move(it->second);
      watches_.erase(it);
    }
    w->Stop();  // outside mu_: the watcher's report callback may use the context
    return true;
  }

  // The mutex serializing writers of `graph`. Never null; stable for the context's lifetime.
  std::mutex& GraphWriteMutex(std::string_view graph) {
    std::lock_guard<std::mutex> lock(mu_);
    auto& m = graph_mutexes_[std::string(graph)];
    if (!m) m = std::make_unique<std::mutex>();
    return *m;
  }

  // Stops background work (jobs: running ones are interrupted and resumed at the next start;
  // watches). Idempotent; may run while requests are in flight.
  void StopBackground() {
    if (job_manager_) job_manager_->Shutdown();
    std::map<std::string, std::unique_ptr<ingest::Watcher>, std::less<>> watches;
    {
      std::lock_guard<std::mutex> lock(mu_);
      watches.swap(watches_);
    }
    for (auto& [graph, w] : watches) {
      if (w) w->Stop();
    }
  }

  // Stops background work, then destroys the store (closing RocksDB). REQUIRES: no request is in
  // flight.
  void CloseStore() {
    StopBackground();
    job_manager_.reset();
    jobs_.reset();
    store_.reset();
  }

 private:
  const ServerOptions options_;
  std::unique_ptr<storage::GraphStore> store_;
  Metrics metrics_;
  std::unique_ptr<JobStore> jobs_;
  std::unique_ptr<JobManager> job_manager_;
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<std::mutex>, std::less<>>
      graph_mutexes_;                                                             // GUARDED_BY(mu_)
  std::map<std::string, std::unique_ptr<ingest::Watcher>, std::less<>> watches_;  // GUARDED_BY(mu_)
};

}  // namespace kg::server
