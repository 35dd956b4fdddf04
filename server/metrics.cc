#include "server/metrics.h"

#include <cstdio>

namespace kg::server {

namespace {

// Escapes a label value: backslash, double quote and newline.
std::string Escape(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string Number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.9g", v);
  return buf;
}

}  // namespace

void Metrics::RecordRequest(std::string_view method, std::string_view route, int status,
                            double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[{std::string(method), std::string(route), status}];
  Histogram& h = latency_[std::string(route)];
  size_t i = 0;
  while (i < kBuckets.size() && seconds > kBuckets[i]) ++i;
  if (i < kBuckets.size()) ++h.buckets[i];
  ++h.count;
  h.sum += seconds;
}

void Metrics::RecordQueryLimitHit(std::string_view limit) {
  std::lock_guard<std::mutex> lock(mu_);
  ++limit_hits_[std::string(limit)];
}

void Metrics::SetJobsActive(uint64_t queued, uint64_t running) {
  std::lock_guard<std::mutex> lock(mu_);
  jobs_queued_ = queued;
  jobs_running_ = running;
}

void Metrics::SetMemory(uint64_t rss_bytes, const storage::MemoryUsage& storage,
                        uint64_t parser_heap_bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  rss_bytes_ = rss_bytes;
  storage_memory_ = storage;
  parser_heap_bytes_ = parser_heap_bytes;
}

void Metrics::RecordRequestLimitHit(std::string_view limit) {
  std::lock_guard<std::mutex> lock(mu_);
  ++request_limit_hits_[std::string(limit)];
}

void Metrics::RecordJob(std::string_view kind, std::string_view state) {
  std::lock_guard<std::mutex> lock(mu_);
  ++jobs_[{std::string(kind), std::string(state)}];
}

std::string Metrics::RenderPrometheus() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out;
  out += "# HELP codekgd_http_requests_total HTTP requests by method, route pattern and status.\n";
  out += "# TYPE codekgd_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [method, route, status] = key;
    out += "codekgd_http_requests_total{method=\"" + Escape(method) + "\",route=\"" +
           Escape(route) + "\",status=\"" + std::to_string(status) + "\"} " + std::to_string(n) +
           "\n";
  }
  out += "# HELP codekgd_http_request_duration_seconds Request latency by route pattern.\n";
  out += "# TYPE codekgd_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    std::string label = "route=\"" + Escape(route) + "\"";
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += h.buckets[i];
      out += "codekgd_http_request_duration_seconds_bucket{" + label + ",le=\"" +
             Number(kBuckets[i]) + "\"} " + std::to_string(cumulative) + "\n";
    }
    out += "codekgd_http_request_duration_seconds_bucket{" + label + ",le=\"+Inf\"} " +
           std::to_string(h.count) + "\n";
    out += "codekgd_http_request_duration_seconds_sum{" + label + "} " + Number(h.sum) + "\n";
    out += "codekgd_http_request_duration_seconds_count{" + label + "} " + std::to_string(h.count) +
           "\n";
  }
  out += "# HELP codekgd_query_limit_hits_total Queries cut by a limit, by limit name.\n";
  out += "# TYPE codekgd_query_limit_hits_total counter\n";
  for (const auto& [limit, n] : limit_hits_) {
    out += "codekgd_query_limit_hits_total{limit=\"" + Escape(limit) + "\"} " + std::to_string(n) +
           "\n";
  }
  out += "# HELP codekgd_jobs_total Finished jobs by kind and final state.\n";
  out += "# TYPE codekgd_jobs_total counter\n";
  for (const auto& [key, n] : jobs_) {
    out += "codekgd_jobs_total{kind=\"" + Escape(key.first) + "\",state=\"" + Escape(key.second) +
           "\"} " + std::to_string(n) + "\n";
  }
  out += "# HELP codekgd_jobs_active Jobs queued or running now.\n";
  out += "# TYPE codekgd_jobs_active gauge\n";
  out += "codekgd_jobs_active{state=\"queued\"} " + std::to_string(jobs_queued_) + "\n";
  out += "codekgd_jobs_active{state=\"running\"} " + std::to_string(jobs_running_) + "\n";
  out += "# HELP codekgd_request_limit_hits_total Requests refused by a server limit.\n";
  out += "# TYPE codekgd_request_limit_hits_total counter\n";
  for (const auto& [limit, n] : request_limit_hits_) {
    out += "codekgd_request_limit_hits_total{limit=\"" + Escape(limit) + "\"} " +
           std::to_string(n) + "\n";
  }
  out += "# HELP codekgd_uptime_seconds Seconds since the server started.\n";
  out += "# TYPE codekgd_uptime_seconds gauge\n";
  double up = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  out += "codekgd_uptime_seconds " + Number(up) + "\n";
  out +=
      "# HELP codekgd_memory_bytes Resident memory of the process, storage's parts and the "
      "parser's heap.\n";
  out += "# TYPE codekgd_memory_bytes gauge\n";
  const std::pair<const char*, uint64_t> parts[] = {
      {"rss", rss_bytes_},
      {"memtables", storage_memory_.memtable_bytes},
      {"block_cache", storage_memory_.block_cache_bytes},
      {"block_cache_pinned", storage_memory_.block_cache_pinned_bytes},
      {"table_readers", storage_memory_.table_readers_bytes},
      {"adjacency_index", storage_memory_.adjacency_index_bytes},
      {"parser_heap", parser_heap_bytes_},
  };
  for (const auto& [part, bytes] : parts) {
    out +=
        std::string("codekgd_memory_bytes{part=\"") + part + "\"} " + std::to_string(bytes) + "\n";
  }
  return out;
}

}  // namespace kg::server
