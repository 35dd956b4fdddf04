#pragma once
// Metrics: counters and a latency histogram of codekgd, rendered in the Prometheus text
// exposition format (version 0.0.4) by GET /metrics.
//
//   codekgd_http_requests_total{method,route,status}        counter
//   codekgd_http_request_duration_seconds{route}            histogram (le buckets below)
//   codekgd_query_limit_hits_total{limit}                   counter (max_rows, max_expansions, ...)
//   codekgd_jobs_total{kind,state}                          counter (finished ingest/synth jobs;
//                                                           kind "watch_ingest": watch re-ingests)
//   codekgd_request_limit_hits_total{limit}                 counter (max_body_bytes, auth)
//   codekgd_jobs_active{state}                              gauge (queued, running)
//   codekgd_uptime_seconds                                  gauge
//   codekgd_memory_bytes{part}                              gauge (rss: the process's resident
//                                                           memory; memtables, block_cache,
//                                                           block_cache_pinned, table_readers,
//                                                           adjacency_index: storage's parts;
//                                                           parser_heap: tree-sitter's heap,
//                                                           ingest/ts_heap.h, kept for reuse)
//
// `route` is the route pattern (e.g. "/v1/graphs/{graph}/query"), never the raw path, so the
// number of series stays bounded; requests matching no route count as route "unmatched".
// Thread-safety: every method may be called concurrently.

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

#include "storage/graph_store.h"

namespace kg::server {

class Metrics {
 public:
  // Upper bounds (seconds) of the latency histogram buckets; +Inf is implied.
  static constexpr std::array<double, 11> kBuckets = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                      0.25,  0.5,   1,    2.5,   10};

  Metrics() : start_(std::chrono::steady_clock::now()) {}
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  void RecordRequest(std::string_view method, std::string_view route, int status, double seconds);
  void RecordQueryLimitHit(std::string_view limit);
  void RecordJob(std::string_view kind, std::string_view state);
  void SetJobsActive(uint64_t queued, uint64_t running);
  void RecordRequestLimitHit(std::string_view limit);
  // The memory gauges: the process's resident bytes, storage's parts and the bytes of
  // tree-sitter's heap.
  void SetMemory(uint64_t rss_bytes, const storage::MemoryUsage& storage,
                 uint64_t parser_heap_bytes);

  // Every metric in the Prometheus text format, with # HELP and # TYPE lines.
  std::string RenderPrometheus() const;

 private:
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> buckets{};  // non-cumulative counts per bucket
    uint64_t count = 0;
    double sum = 0;
  };
  const std::chrono::steady_clock::time_point start_;
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;  // GUARDED_BY(mu_)
  std::map<std::string, Histogram> latency_;                                // GUARDED_BY(mu_)
  std::map<std::string, uint64_t> limit_hits_;                              // GUARDED_BY(mu_)
  std::map<std::pair<std::string, std::string>, uint64_t> jobs_;            // GUARDED_BY(mu_)
  std::map<std::string, uint64_t> request_limit_hits_;                      // GUARDED_BY(mu_)
  uint64_t jobs_queued_ = 0, jobs_running_ = 0;                             // GUARDED_BY(mu_)
  uint64_t rss_bytes_ = 0;                                                  // GUARDED_BY(mu_)
  storage::MemoryUsage storage_memory_;                                     // GUARDED_BY(mu_)
  uint64_t parser_heap_bytes_ = 0;                                          // GUARDED_BY(mu_)
};

}  // namespace kg::server
