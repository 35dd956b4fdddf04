#pragma once
// ServerContext: what every handler may use (the store, the jobs, the options), owned by Server.
//
// Thread-safety: shared by all request threads. GraphStore and JobStore are thread-safe; writers
// of one graph (ingest, delete) additionally serialize on GraphWriteMutex(graph), because
// ingest::IngestPath must not run twice on one graph at once.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

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
  std::string token;        // when set, routes that write need "Authorization: Bearer <token>"
  bool access_log = false;  // one JSON line per request on stderr (see server.h)
};

class ServerContext {
 public:
  ServerContext(ServerOptions options, std::unique_ptr<storage::GraphStore> store,
                std::unique_ptr<JobStore> jobs)
      : options_(std::move(options)), store_(std::move(store)), jobs_(std::move(jobs)) {}
  ServerContext(const ServerContext&) = delete;
  ServerContext& operator=(const ServerContext&) = delete;

  const ServerOptions& options() const { return options_; }
  storage::GraphStore& store() { return *store_; }
  JobStore& jobs() { return *jobs_; }
  Metrics& metrics() { return metrics_; }

  // The mutex serializing writers of `graph`. Never null; stable for the context's lifetime.
  std::mutex& GraphWriteMutex(std::string_view graph) {
    std::lock_guard<std::mutex> lock(mu_);
    auto& m = graph_mutexes_[std::string(graph)];
    if (!m) m = std::make_unique<std::mutex>();
    return *m;
  }

  // Destroys the store (closing RocksDB). REQUIRES: no request is in flight.
  void CloseStore() { store_.reset(); }

 private:
  const ServerOptions options_;
  std::unique_ptr<storage::GraphStore> store_;
  std::unique_ptr<JobStore> jobs_;
  Metrics metrics_;
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<std::mutex>, std::less<>>
      graph_mutexes_;  // GUARDED_BY(mu_)
};

}  // namespace kg::server
